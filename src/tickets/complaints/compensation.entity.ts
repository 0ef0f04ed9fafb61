import { Node } from '../../common/graphql/node';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { nullableNumberColumn } from '../../common/database/number-transformer';

export enum CompensationKind {
  COUPON = 'COUPON',
  REFUND = 'REFUND',
  FREE_SHIPPING = 'FREE_SHIPPING',
  GIFT = 'GIFT',
  OTHER = 'OTHER',
}
registerEnumType(CompensationKind, {
  valuesMap: {
    COUPON: { description: 'A discount code for a next order.' },
    FREE_SHIPPING: { description: 'Shipping refunded or free on a next order.' },
    GIFT: { description: 'A gift added to an order.' },
    OTHER: { description: 'Anything else (describe it in note).' },
    REFUND: { description: 'Money back, whole or part.' },
  },
  description: 'What the store gave an unhappy customer.',
  name: 'CompensationKind',
});

export enum FollowUpStatus {
  NONE = 'NONE',
  /** The check is due N days after the ticket is solved; it is not solved yet. */
  AWAITING_SOLVE = 'AWAITING_SOLVE',
  SCHEDULED = 'SCHEDULED',
  DONE = 'DONE',
  /** The ticket was closed (or merged away) before the check came due. */
  SKIPPED = 'SKIPPED',
}
registerEnumType(FollowUpStatus, {
  valuesMap: {
    AWAITING_SOLVE: { description: 'The check is due some days after the ticket is solved; it is not solved yet.' },
    DONE: { description: 'The check ran: the ticket was reopened for a follow-up.' },
    NONE: { description: 'No follow-up was asked for.' },
    SCHEDULED: { description: 'The ticket is solved; the check runs at followUpAt.' },
    SKIPPED: { description: 'The ticket was closed (or merged away) before the check came due.' },
  },
  name: 'FollowUpStatus',
  description: 'Where the complaint follow-up check stands.',
});

@ObjectType({ implements: () => [Node], description: 'What the store gave an unhappy customer (the complaint protocol: apologise, compensate, follow up).' })
@Entity('compensations')
@Index('compensations_tenant_ticket_idx', ['tenantId', 'ticketId'])
@Index('compensations_tenant_created_idx', ['tenantId', 'createdAt'])
@Check('compensations_kind_check', `kind IN ('COUPON','REFUND','FREE_SHIPPING','GIFT','OTHER')`)
@Check('compensations_follow_up_status_check', `follow_up_status IN ('NONE','AWAITING_SOLVE','SCHEDULED','DONE','SKIPPED')`)
@Check('compensations_amount_check', 'amount IS NULL OR amount >= 0')
export class Compensation {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID, { description: 'Stable id (UUID).' })
  @PrimaryColumn('uuid')
  id: string;

  @Field(() => ID, { description: 'The complaint ticket.' })
  @Column('uuid')
  ticketId: string;

  @Field(() => CompensationKind, { description: 'What was given.' })
  @Column('text')
  kind: CompensationKind;

  @Field(() => Float, { description: 'The value given, in currency; null for kinds without an amount (e.g. a gift).', nullable: true })
  @Column('numeric', { precision: 12, scale: 2, nullable: true, transformer: nullableNumberColumn })
  amount: number | null;

  @Field({ description: 'ISO 4217; SAR unless given.' })
  @Column('text', { default: 'SAR' })
  currency: string;

  @Field(() => String, { description: 'Free text for colleagues, e.g. the coupon code.', nullable: true })
  @Column('text', { nullable: true })
  note: string | null;

  @Column('text')
  actorType: string;

  @Column('uuid', { nullable: true })
  actorId: string | null;

  @Field(() => Int, { nullable: true, description: 'Days after solving when the follow-up check reopens the ticket.' })
  @Column('integer', { nullable: true })
  followUpDays: number | null;

  @Field(() => FollowUpStatus, { description: 'Whether the follow-up check is pending, done or cancelled.' })
  @Column('text', { default: FollowUpStatus.NONE })
  followUpStatus: FollowUpStatus;

  @Field(() => Date, { nullable: true, description: 'When the follow-up check runs (or ran).' })
  @Column('timestamptz', { nullable: true })
  followUpAt: Date | null;

  @Field({ description: 'When it was recorded (ISO 8601 with offset, UTC).' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
