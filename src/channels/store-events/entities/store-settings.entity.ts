import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { TierRule } from '../customer-tier';
import type { AutomationTemplate } from '../store-settings-rules';

/** What store events set in motion, per store (created with the defaults on first use). */
@ObjectType({ description: "The store's order automations, currency and tier rules." })
@Entity('store_settings')
export class StoreSettings {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => Int, { nullable: true, description: 'Hours after delivery for the follow-up message; null: off. Default 48.' })
  @Column('int', { nullable: true, default: 48 })
  followUpAfterDeliveryHours: number | null;

  @Field({ description: 'Placeholders: {{customer.name}}, {{order.id}}.' })
  @Column('text')
  followUpMessage: string;

  @Field(() => Int, { nullable: true, description: 'Days after delivery for the CSAT survey; null: off. Default 7.' })
  @Column('int', { nullable: true, default: 7 })
  csatAfterDeliveryDays: number | null;

  @Field({ description: 'Placeholders: {{customer.name}}, {{order.id}}, {{survey.link}}.' })
  @Column('text')
  csatMessage: string;

  @Field({ description: 'Open a ticket and message the customer when a shipment is delayed.' })
  @Column('boolean', { default: true })
  delayNotices: boolean;

  @Field({ description: 'Placeholders: {{customer.name}}, {{order.id}}, {{order.expectedDeliveryAt}}.' })
  @Column('text')
  delayMessage: string;

  @Field({ description: 'ISO 4217; lifetime value and tier rules count orders in this currency only. Default SAR.' })
  @Column('text', { default: 'SAR' })
  currency: string;

  @Column('jsonb')
  tierRules: TierRule[];

  @Column('jsonb', { default: () => "'[]'" })
  whatsappTemplates: AutomationTemplate[];

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
