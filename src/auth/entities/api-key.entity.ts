import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Role } from '../../common/request-context';

@ObjectType({ description: 'An API key; the secret is shown once when created and stored only as a hash.' })
@Entity('api_keys')
@Index('api_keys_tenant_idx', ['tenantId', 'createdAt'])
@Index('api_keys_tenant_prefix_key', ['tenantId', 'prefix'], { unique: true })
@Check('api_keys_role_check', `role IN ('admin','agent','integration','reporting')`)
export class ApiKey {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID)
  @PrimaryColumn('uuid')
  id: string;

  @Field()
  @Column('text')
  name: string;

  @Field({ description: 'The public part of the key (rida_<prefix>_…), for telling keys apart.' })
  @Column('text')
  prefix: string;

  @Column('bytea')
  secretHash: Buffer;

  @Field(() => String)
  @Column('text')
  role: Role;

  @Field(() => [String], { description: "What the key may do, e.g. tickets:read; a subset of its role's grants." })
  @Column('text', { array: true, default: () => "'{}'" })
  scopes: string[];

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  lastUsedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;
}
