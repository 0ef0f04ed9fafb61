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

  @Field(() => Int, {
    nullable: true,
    description: 'Days from the order within which the store promises delivery (used for Salla and Zid, which send no expected date); an order undelivered by then gets the delay notice. null: off.',
  })
  @Column('int', { nullable: true })
  promisedDeliveryDays: number | null;

  @Field({ description: 'ISO 4217; lifetime value and tier rules count orders in this currency only. Default SAR.' })
  @Column('text', { default: 'SAR' })
  currency: string;

  @Field(() => Int, {
    nullable: true,
    description:
      "Minutes after a ticket is solved for the survey message on the ticket's channel (0: at once); null: off. Default 60. Never for merged, spam or self-served (auto-answered) tickets, at most once per ticket.",
  })
  @Column('int', { nullable: true, default: 60 })
  csatAfterSolveMinutes: number | null;

  @Field({ description: 'The survey message after a solve, in Arabic. Placeholders: {{customer.name}}, {{ticket.number}}, {{ticket.subject}}, {{survey.link}} (required).' })
  @Column('text')
  csatAfterSolveMessage: string;

  @Field({ description: 'The same message for English conversations (the customer wrote in English). Same placeholders.' })
  @Column('text')
  csatAfterSolveMessageEn: string;

  @Field(() => String, { nullable: true, description: "The store's logo on the survey page: an https URL of an image the store serves. Null: the store's name only." })
  @Column('text', { nullable: true })
  surveyLogoUrl: string | null;

  @Field(() => String, { nullable: true, description: 'The accent colour of the survey page, #rrggbb. Null: the default teal (#0f766e).' })
  @Column('text', { nullable: true })
  surveyAccentColor: string | null;

  @Column('jsonb')
  tierRules: TierRule[];

  @Column('jsonb', { default: () => "'[]'" })
  whatsappTemplates: AutomationTemplate[];

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
