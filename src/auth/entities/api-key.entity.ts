import { Node } from '../../common/graphql/node';
import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Role } from '../../common/request-context';

@ObjectType({ implements: () => [Node], description: 'An API key; the secret is shown once when created and stored only as a hash.' })
@Entity('api_keys')
@Index('api_keys_tenant_idx', ['tenantId', 'createdAt'])
@Index('api_keys_tenant_prefix_key', ['tenantId', 'prefix'], { unique: true })
@Check('api_keys_role_check', `role IN ('admin','agent','integration','reporting')`)
export class ApiKey {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID, { description: 'Stable id of the key (UUID), used to revoke it.' })
  @PrimaryColumn('uuid')
  id: string;

  @Field({ description: 'A label chosen when the key was created, e.g. "Salla integration".' })
  @Column('text')
  name: string;

  @Field({ description: 'The public part of the key (rida_<prefix>_…), for telling keys apart.' })
  @Column('text')
  prefix: string;

  @Column('bytea')
  secretHash: Buffer;

  @Field(() => String, { description: "The key's role: admin, agent, integration or reporting." })
  @Column('text')
  role: Role;

  @Field(() => [String], { description: "What the key may do, e.g. tickets:read; a subset of its role's grants." })
  @Column('text', { array: true, default: () => "'{}'" })
  scopes: string[];

  @Field({ description: 'When the key was created (ISO 8601 with offset, UTC).' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date, { description: 'When a request last authenticated with the key; null if never used.', nullable: true })
  @Column('timestamptz', { nullable: true })
  lastUsedAt: Date | null;

  @Field(() => Date, { description: 'When the key was revoked; a revoked key is refused with UNAUTHENTICATED. Null while active.', nullable: true })
  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;
}
