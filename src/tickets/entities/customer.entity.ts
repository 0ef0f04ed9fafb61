import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import '../graphql-enums';
import { CustomerTier } from '../ticket-enums';

@ObjectType({ description: 'One person across every channel they use.' })
@Entity('customers')
@Index('customers_tenant_created_idx', ['tenantId', 'createdAt'])
@Check('customers_tier_check', `tier IN ('STANDARD','SILVER','GOLD','VIP')`)
export class Customer {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID)
  @PrimaryColumn('uuid')
  id: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  name: string | null;

  @Field(() => CustomerTier)
  @Column('text', { default: CustomerTier.STANDARD })
  tier: CustomerTier;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
