import { Node } from '../../common/graphql/node';
import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import '../graphql-enums';
import { CustomerTier } from '../ticket-enums';

@ObjectType({ implements: () => [Node], description: 'One person across every channel they use.' })
@Entity('customers')
@Index('customers_tenant_created_idx', ['tenantId', 'createdAt'])
@Check('customers_tier_check', `tier IN ('STANDARD','BRONZE','SILVER','GOLD','VIP')`)
@Check('customers_tier_source_check', `tier_source IN ('RULES','MANUAL')`)
export class Customer {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID, { description: 'Stable id of the customer (UUID); kept when identities change.' })
  @PrimaryColumn('uuid')
  id: string;

  @Field(() => String, { description: 'The name as given by the first channel or integration that knew it; null when unknown.', nullable: true })
  @Column('text', { nullable: true })
  name: string | null;

  @Field(() => CustomerTier, { description: "The customer's tier; VIP tickets are raised in priority and may have tighter SLA targets." })
  @Column('text', { default: CustomerTier.STANDARD })
  tier: CustomerTier;

  @Field(() => String, { description: "RULES: the store's tier rules decide (on lifetime value and orders); MANUAL: set by the integrator." })
  @Column('text', { default: 'RULES' })
  tierSource: 'RULES' | 'MANUAL';

  @Field(() => Float, { description: 'Sum of paid orders not returned or cancelled, in the store currency.' })
  @Column('numeric', { precision: 14, scale: 2, default: 0, transformer: { to: (v: number) => v, from: (v: string | null) => (v === null ? 0 : Number(v)) } })
  lifetimeValue: number;

  @Field(() => Int, { description: 'Paid orders not returned or cancelled.' })
  @Column('int', { default: 0 })
  orderCount: number;

  /** Set when this customer was merged into another: their identities, tickets and orders moved there. */
  @Field(() => ID, { nullable: true, description: 'The customer this one was merged into.' })
  @Column('uuid', { nullable: true })
  mergedIntoId: string | null;

  @Field({ description: 'When the customer was first seen (ISO 8601 with offset, UTC).' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field({ description: "When the customer's record last changed (ISO 8601 with offset, UTC)." })
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
