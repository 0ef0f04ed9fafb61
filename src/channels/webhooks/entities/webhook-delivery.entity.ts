import { Node } from '../../../common/graphql/node';
import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import GraphQLJSON from 'graphql-type-json';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { JsonObject } from '../../../common/request-context';

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}
registerEnumType(WebhookDeliveryStatus, {
  valuesMap: {
    DELIVERED: { description: 'The receiver answered 2xx.' },
    FAILED: { description: 'Retried for the whole retry window without success; replay it when the receiver is fixed.' },
    PENDING: { description: 'Not yet delivered; retried with backoff.' },
  },
  name: 'WebhookDeliveryStatus',
  description: 'FAILED: retried for the whole retry window without success (replay it when the receiver is fixed).',
});

/** The transactional outbox and the delivery log in one: written with the change, updated by each attempt. */
@ObjectType({ implements: () => [Node], description: 'One ticket event sent (or being sent) to one webhook endpoint.' })
@Entity('webhook_deliveries')
@Check('webhook_deliveries_status_check', `status IN ('PENDING','DELIVERED','FAILED')`)
@Index('webhook_deliveries_endpoint_idx', ['tenantId', 'endpointId', 'createdAt'])
@Index('webhook_deliveries_pending_idx', ['tenantId', 'endpointId', 'ticketId', 'eventId'], { where: `status = 'PENDING'` })
@Index('webhook_deliveries_due_idx', ['tenantId', 'nextAttemptAt'], { where: `status = 'PENDING'` })
export class WebhookDelivery {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID, { description: 'Stable id (UUID); also sent as the delivery id header for de-duplication.' })
  @PrimaryColumn('uuid')
  id: string;

  @Field(() => ID, { description: 'The endpoint.' })
  @Column('uuid')
  endpointId: string;

  @Field(() => ID, { description: 'The event id (also in the body and the Rida-Event-Id header): the same for a replay, for de-duplication.' })
  @Column('uuid')
  eventId: string;

  @Field({ description: 'The ticket event sent.' })
  @Column('text')
  eventType: string;

  @Field(() => ID, { description: 'The ticket of the event.', nullable: true })
  @Column('uuid', { nullable: true })
  ticketId: string | null;

  @Field(() => GraphQLJSON, { description: 'The body sent.' })
  @Column('jsonb')
  payload: JsonObject;

  @Field(() => WebhookDeliveryStatus, { description: 'PENDING, DELIVERED or FAILED.' })
  @Column('text', { default: WebhookDeliveryStatus.PENDING })
  status: WebhookDeliveryStatus;

  @Field(() => Int, { description: 'POSTs tried so far.' })
  @Column('int', { default: 0 })
  attempts: number;

  @Field(() => Date, { description: 'When the next retry runs; null when delivered or failed.', nullable: true })
  @Column('timestamptz', { nullable: true })
  nextAttemptAt: Date | null;

  @Field(() => Date, { description: 'When the last POST was tried; null before the first.', nullable: true })
  @Column('timestamptz', { nullable: true })
  lastAttemptAt: Date | null;

  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status on the last attempt." })
  @Column('int', { nullable: true })
  responseStatus: number | null;

  @Field(() => String, { description: 'The last failure (status code or network error); null when none.', nullable: true })
  @Column('text', { nullable: true })
  lastError: string | null;

  @Field(() => ID, { nullable: true, description: 'The delivery this one replays.' })
  @Column('uuid', { nullable: true })
  replayOfId: string | null;

  @Field({ description: 'When the event was queued (ISO 8601 with offset, UTC).' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date, { description: 'When the receiver answered 2xx; null until then.', nullable: true })
  @Column('timestamptz', { nullable: true })
  deliveredAt: Date | null;
}
