import { Node } from '../../common/graphql/node';
import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import GraphQLJSON from 'graphql-type-json';
import type { JsonObject } from '../../common/request-context';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import '../graphql-enums';
import { Channel, PRIORITY_BY_RANK, PRIORITY_RANK, TicketCategory, TicketPriority, TicketStatus } from '../ticket-enums';

const priorityRank = {
  to: (value: TicketPriority | undefined) => (value === undefined ? undefined : PRIORITY_RANK[value]),
  from: (rank: number | null) => (rank === null ? null : PRIORITY_BY_RANK[rank]),
};

/**
 * Indexes serve the filters and sorts of `tickets(...)`: every one leads with tenant_id,
 * then the filter column, then the sort column. Denormalised facts (first response, reopens,
 * counts) are stored as they happen so KPIs never replay message history.
 */
@ObjectType({ implements: () => [Node], description: 'A customer request and its conversation, from any channel.' })
@Entity('tickets')
@Index('tickets_tenant_number_key', ['tenantId', 'number'], { unique: true })
@Index('tickets_tenant_created_idx', ['tenantId', 'createdAt', 'id'])
@Index('tickets_tenant_updated_idx', ['tenantId', 'updatedAt', 'id'])
@Index('tickets_tenant_priority_idx', ['tenantId', 'priority', 'createdAt', 'id'])
@Index('tickets_tenant_status_created_idx', ['tenantId', 'status', 'createdAt'])
@Index('tickets_tenant_category_created_idx', ['tenantId', 'category', 'createdAt'])
@Index('tickets_tenant_channel_created_idx', ['tenantId', 'channel', 'createdAt'])
@Index('tickets_tenant_customer_created_idx', ['tenantId', 'customerId', 'createdAt'])
@Index('tickets_tenant_customer_open_idx', ['tenantId', 'customerId', 'category', 'updatedAt'], { where: "status IN ('NEW','OPEN','PENDING','ON_HOLD')" })
@Index('tickets_tenant_assignee_status_idx', ['tenantId', 'assigneeId', 'status'])
@Index('tickets_tenant_team_status_idx', ['tenantId', 'teamId', 'status'])
@Index('tickets_tags_gin', { synchronize: false }) // GIN (tags), created in the migration
@Check('tickets_status_check', `status IN ('NEW','OPEN','PENDING','ON_HOLD','SOLVED','CLOSED')`)
@Check('tickets_priority_check', 'priority BETWEEN 0 AND 3')
@Check('tickets_category_check', `category IN ('PAYMENT','SHIPPING','TECHNICAL','RETURNS','PRE_SALES','PRODUCT','ACCOUNT','GENERAL')`)
@Check('tickets_channel_check', `channel IN ('EMAIL','WHATSAPP','INSTAGRAM','X','FACEBOOK','CHAT','PHONE','WEB_FORM','API','COMMENT')`)
@Index('tickets_waiting_idx', ['tenantId', 'teamId', 'createdAt'], { where: "assignee_id IS NULL AND team_id IS NOT NULL AND status IN ('NEW','OPEN')" })
@Index('tickets_sla_next_check_idx', ['slaNextCheckAt'], { where: 'sla_next_check_at IS NOT NULL' })
@Index('tickets_tenant_sla_next_check_idx', ['tenantId', 'slaNextCheckAt'], { where: 'sla_next_check_at IS NOT NULL' })
@Index('tickets_tenant_sla_health_due_idx', ['tenantId', 'slaHealth', 'slaDueAt'])
@Index('tickets_tenant_order_idx', ['tenantId', 'orderRef', 'createdAt'], { where: 'order_ref IS NOT NULL' })
@Index('tickets_tenant_idempotency_key', ['tenantId', 'idempotencyKey'], { unique: true, where: 'idempotency_key IS NOT NULL' })
export class Ticket {
  // Primary key (tenant_id, id): ready for distribution by tenant, and the target of
  // composite foreign keys that keep every reference inside one store.
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID, { description: 'Stable id (UUID).' })
  @PrimaryColumn('uuid')
  id: string;

  @Field(() => Int, { description: 'Per-store human number: #1001, #1002 …' })
  @Column('integer')
  number: number;

  @Field({ description: 'One-line summary.' })
  @Column('text')
  subject: string;

  @Field(() => TicketStatus, { description: 'Where it stands in its lifecycle.' })
  @Column('text')
  status: TicketStatus;

  @Field(() => TicketPriority, { description: 'How urgent it is.' })
  @Column('smallint', { transformer: priorityRank })
  priority: TicketPriority;

  @Field(() => TicketCategory, { description: 'What the ticket is about (from the integrator, or the routing rules).' })
  @Column('text')
  category: TicketCategory;

  @Field(() => Channel, { description: 'The channel the ticket started on.' })
  @Column('text')
  channel: Channel;

  @Column('uuid')
  customerId: string;

  @Column('uuid', { nullable: true })
  assigneeId: string | null;

  @Column('uuid', { nullable: true })
  teamId: string | null;

  @Field(() => [String], { description: 'Free tags.' })
  @Column('text', { array: true, default: () => "'{}'" })
  tags: string[];

  @Field(() => GraphQLJSON, { description: 'Store-defined fields, as a JSON object.' })
  @Column('jsonb', { default: () => "'{}'" })
  customFields: JsonObject;

  @Field(() => String, { nullable: true, description: 'The store order this ticket is about.' })
  @Column('text', { nullable: true })
  orderRef: string | null;

  @Field(() => String, { nullable: true, description: 'The product (SKU or id) this ticket is about.' })
  @Column('text', { nullable: true })
  productRef: string | null;

  @Column('text', { nullable: true })
  idempotencyKey: string | null;

  @Column('text', { nullable: true })
  idempotencyFingerprint: string | null;

  @Column('uuid', { nullable: true })
  followUpOfId: string | null;

  /** Set when this ticket was merged into another (it is then closed). */
  @Column('uuid', { nullable: true })
  mergedIntoId: string | null;

  @Field(() => Int, { description: 'Messages on the ticket, internal notes included.' })
  @Column('integer', { default: 0 })
  messageCount: number;

  @Field(() => Int, { description: 'Public replies by agents (first contact resolution counts these).' })
  @Column('integer', { default: 0 })
  publicAgentReplyCount: number;

  @Field(() => Int, { description: 'How many times it went from SOLVED back to OPEN.' })
  @Column('integer', { default: 0 })
  reopenCount: number;

  @Field(() => Date, { nullable: true, description: 'When an agent first replied publicly.' })
  @Column('timestamptz', { nullable: true })
  firstResponseAt: Date | null;

  @Field(() => Int, { nullable: true, description: 'Business seconds (store calendar) from creation to the first public reply.' })
  @Column('integer', { nullable: true })
  firstResponseBusinessSeconds: number | null;

  /** A CSAT survey was sent; the rating of the latest one (null until answered). Copied here for KPIs. */
  @Column('boolean', { default: false })
  csatSent: boolean;

  @Column('smallint', { nullable: true })
  csatRating: number | null;

  /** The latest survey's 0–10 recommendation answer, for NPS. */
  @Column('smallint', { nullable: true })
  npsScore: number | null;

  /** The first ticket about its order (written before COMMIT by the app, see kpi-capture.ts): tickets per order = tickets with an order / these. */
  @Column({ type: 'boolean', default: false, update: false })
  opensOrder: boolean;

  /** The customer's tier when the ticket was created (written with the ticket), for KPIs by tier. */
  @Column({ type: 'text', default: 'STANDARD', update: false })
  customerTier: string;

  /** Normalised content words of the first message, for friction reports. */
  @Column('text', { array: true, default: () => "'{}'" })
  keywords: string[];

  @Field(() => Date, { description: 'When the customer last wrote (WhatsApp allows free-form replies only within 24 hours of it).', nullable: true })
  @Column('timestamptz', { nullable: true })
  lastCustomerMessageAt: Date | null;

  @Field(() => Date, { description: 'When an agent last replied publicly; null before the first reply.', nullable: true })
  @Column('timestamptz', { nullable: true })
  lastAgentReplyAt: Date | null;

  @Field(() => Date, { description: 'When it was last solved; null while not solved.', nullable: true })
  @Column('timestamptz', { nullable: true })
  solvedAt: Date | null;

  @Field(() => Date, { description: 'When it was closed; closed tickets never change (a new message opens a follow-up).', nullable: true })
  @Column('timestamptz', { nullable: true })
  closedAt: Date | null;

  /**
   * SLA state (policy, targets with due/warn instants and statuses), owned by the SLA module;
   * null when no policy applies. The columns below copy what the sweep and the queues query.
   */
  @Column('jsonb', { nullable: true })
  sla: JsonObject | null;

  /** When the SLA sweep must next look at this ticket (a warning or a breach comes due). */
  @Column('timestamptz', { nullable: true })
  slaNextCheckAt: Date | null;

  /** The earliest due time among running SLA targets. */
  @Column('timestamptz', { nullable: true })
  slaDueAt: Date | null;

  /** OK, AT_RISK or BREACHED. */
  @Column('text', { nullable: true })
  slaHealth: string | null;

  // Millisecond precision, like JavaScript dates, so keyset cursors round-trip exactly.
  @Field({ description: 'When it was created (ISO 8601 with offset, UTC).' })
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Field({ description: 'When it last changed (ISO 8601 with offset, UTC).' })
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
