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
  name: 'AutomationKind',
  valuesMap: {
    SOLVED_CSAT: { description: 'The survey message some time after a ticket is solved; it has no order, so it only names a WhatsApp template (whatsappTemplates).' },
  },
});

export enum AutomationStatus {
  SCHEDULED = 'SCHEDULED',
  DONE = 'DONE',
  CANCELLED = 'CANCELLED',
  /** Already past due by more than the grace period when its event arrived (a backdated event): never sent; the note says why. */
  SKIPPED = 'SKIPPED',
}
registerEnumType(AutomationStatus, { name: 'AutomationStatus' });

/** A durable delayed action on an order (its pg-boss job carries only the id; this row decides). */
@ObjectType()
@Entity('scheduled_automations')
@Index('scheduled_automations_order_kind_key', ['tenantId', 'orderId', 'kind', 'occurrence'], { unique: true })
@Check('scheduled_automations_status_check', `status IN ('SCHEDULED','DONE','CANCELLED','SKIPPED')`)
export class ScheduledAutomation {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID)
  @PrimaryColumn('uuid')
  id: string;

  @Field(() => AutomationKind)
  @Column('text')
  kind: AutomationKind;

  @Field(() => ID)
  @Column('uuid')
  orderId: string;

  /** Which time of its kind for the order ('' for the one time; a delay notice: the new expected date). */
  @Column('text', { default: '' })
  occurrence: string;

  @Field()
  @Column('timestamptz')
  runAt: Date;

  @Field(() => AutomationStatus)
  @Column('text', { default: AutomationStatus.SCHEDULED })
  status: AutomationStatus;

  @Field(() => ID, { nullable: true, description: 'The ticket it opened, once done.' })
  @Column('uuid', { nullable: true })
  ticketId: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was cancelled.' })
  @Column('text', { nullable: true })
  note: string | null;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  doneAt: Date | null;
}
