import { Node } from '../../../common/graphql/node';
import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export enum AutomationKind {
  /** A message some time after delivery ("did everything arrive well?"). */
  DELIVERY_FOLLOW_UP = 'DELIVERY_FOLLOW_UP',
  /** The CSAT survey some days after delivery. */
  DELIVERY_CSAT = 'DELIVERY_CSAT',
  /** A proactive ticket when a shipment is delayed, before the customer asks. */
  DELAY_NOTICE = 'DELAY_NOTICE',
  /** The survey message after a ticket is solved (scheduled per ticket, not per order: only its WhatsApp template is set here). */
  SOLVED_CSAT = 'SOLVED_CSAT',
}
registerEnumType(AutomationKind, {
  valuesMap: {
    DELAY_NOTICE: { description: 'A proactive ticket and message when a shipment is delayed, before the customer asks.' },
    DELIVERY_CSAT: { description: 'The CSAT survey some days after delivery.' },
    DELIVERY_FOLLOW_UP: { description: 'A message some time after delivery ("did everything arrive well?").' },
    SOLVED_CSAT: { description: 'The survey message some time after a ticket is solved; it has no order, so it only names a WhatsApp template (whatsappTemplates).' },
  },
  description: 'What a scheduled automation does.',
  name: 'AutomationKind',
});

export enum AutomationStatus {
  SCHEDULED = 'SCHEDULED',
  DONE = 'DONE',
  CANCELLED = 'CANCELLED',
  /** Already past due by more than the grace period when its event arrived (a backdated event): never sent; the note says why. */
  SKIPPED = 'SKIPPED',
}
registerEnumType(AutomationStatus, {
  valuesMap: {
    CANCELLED: { description: 'Called off before it ran (e.g. the order was returned or cancelled).' },
    DONE: { description: 'Ran and sent its message.' },
    SCHEDULED: { description: 'Waiting for its time (runAt).' },
    SKIPPED: { description: 'Its time came but it did not apply any more (e.g. the customer already has an open ticket); nothing was sent.' },
  },
  description: 'Where a scheduled automation stands.',
  name: 'AutomationStatus',
});

/** A durable delayed action on an order (its pg-boss job carries only the id; this row decides). */
@ObjectType({ implements: () => [Node], description: 'A message planned from store events (a follow-up or survey after delivery, a delay notice).' })
@Entity('scheduled_automations')
@Index('scheduled_automations_order_kind_key', ['tenantId', 'orderId', 'kind', 'occurrence'], { unique: true })
@Check('scheduled_automations_status_check', `status IN ('SCHEDULED','DONE','CANCELLED','SKIPPED')`)
export class ScheduledAutomation {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID, { description: 'Stable id (UUID).' })
  @PrimaryColumn('uuid')
  id: string;

  @Field(() => AutomationKind, { description: 'What it does.' })
  @Column('text')
  kind: AutomationKind;

  @Field(() => ID, { description: 'The order it is about.' })
  @Column('uuid')
  orderId: string;

  /** Which time of its kind for the order ('' for the one time; a delay notice: the new expected date). */
  @Column('text', { default: '' })
  occurrence: string;

  @Field({ description: 'When it runs (ISO 8601 with offset, UTC).' })
  @Column('timestamptz')
  runAt: Date;

  @Field(() => AutomationStatus, { description: 'Where it stands.' })
  @Column('text', { default: AutomationStatus.SCHEDULED })
  status: AutomationStatus;

  @Field(() => ID, { nullable: true, description: 'The ticket it opened, once done.' })
  @Column('uuid', { nullable: true })
  ticketId: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was cancelled.' })
  @Column('text', { nullable: true })
  note: string | null;

  @Field({ description: 'When it was scheduled (ISO 8601 with offset, UTC).' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date, { description: 'When it ran, was skipped or cancelled; null while scheduled.', nullable: true })
  @Column('timestamptz', { nullable: true })
  doneAt: Date | null;
}
