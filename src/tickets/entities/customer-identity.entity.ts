import { Node } from '../../common/graphql/node';
import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import '../graphql-enums';
import { IdentityKind } from '../ticket-enums';

@ObjectType({ implements: () => [Node], description: 'A way to reach a customer: email, E.164 phone (also WhatsApp), social handle, store id.' })
@Entity('customer_identities')
@Index('customer_identities_tenant_kind_value_key', ['tenantId', 'kind', 'value'], { unique: true })
@Index('customer_identities_tenant_customer_idx', ['tenantId', 'customerId'])
@Check('customer_identities_kind_check', `kind IN ('EMAIL','PHONE','INSTAGRAM','X','FACEBOOK','EXTERNAL')`)
export class CustomerIdentity {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID, { description: 'Stable id of the identity (UUID).' })
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  customerId: string;

  @Field(() => IdentityKind, { description: 'What kind of address value is.' })
  @Column('text')
  kind: IdentityKind;

  @Field({ description: 'Normalised: lower-case email, E.164 phone, handle without @.' })
  @Column('text')
  value: string;

  @Field({ description: 'When the identity was attached (ISO 8601 with offset, UTC).' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
