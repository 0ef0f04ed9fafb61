import { Node } from '../../../common/graphql/node';
import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

export enum DeliveryOutcome {
  RECORDED = 'RECORDED',
  IGNORED = 'IGNORED',
}
registerEnumType(DeliveryOutcome, {
  name: 'StorePlatformDeliveryOutcome',
  description: 'What Rida did with a verified webhook of a store platform.',
  valuesMap: {
    RECORDED: { description: 'Mapped to store events (an order) or to a customer, and recorded.' },
    IGNORED: { description: 'Valid, but of an event Rida does not map (e.g. product.updated); answered 200 and kept here only.' },
  },
});

/** One verified webhook of a connection, once: its key is the platform's delivery id, or the order (or customer), event and state it carries. */
@ObjectType({ implements: () => [Node], description: 'One verified webhook a store platform sent to a connection. A redelivery of the same delivery is counted in `redeliveries`, not stored again.' })
@Entity('store_platform_deliveries')
@Index('store_platform_deliveries_key', ['tenantId', 'connectionId', 'deliveryKey'], { unique: true })
@Index('store_platform_deliveries_log_idx', ['tenantId', 'connectionId', 'id'])
@Check('store_platform_deliveries_outcome_check', `outcome IN ('RECORDED','IGNORED')`)
export class StorePlatformDelivery {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID, { description: 'The delivery id in Rida.' })
  @PrimaryColumn('uuid')
  id: string;

  @Field(() => ID, { description: 'The connection it came to.' })
  @Column('uuid')
  connectionId: string;

  @Field({
    description: "What makes it one delivery: Shopify's X-Shopify-Webhook-Id; for Salla and Zid (no delivery id) the event, the order or customer id and the state it carries.",
  })
  @Column('text')
  deliveryKey: string;

  @Field({ description: "The platform's event name, e.g. order.status.updated (Salla), order.status.update (Zid), fulfillment_events/create (Shopify)." })
  @Column('text')
  topic: string;

  @Field(() => DeliveryOutcome, { description: 'Recorded, or ignored as an event Rida does not map.' })
  @Column('text')
  outcome: DeliveryOutcome;

  @Field(() => String, { nullable: true, description: 'Why it was ignored, or which store events it became (e.g. "ORDER_DELIVERED").' })
  @Column('text', { nullable: true })
  note: string | null;

  @Field(() => String, { nullable: true, description: "The platform's order id it was about, if any." })
  @Column('text', { nullable: true })
  orderExternalId: string | null;

  @Field(() => Int, { description: 'How many times the platform sent it again after the first (each answered 200, nothing changed).' })
  @Column('integer', { default: 0 })
  redeliveries: number;

  @Field({ description: 'When it first arrived (ISO-8601).' })
  @Column('timestamptz', { default: () => 'now()' })
  receivedAt: Date;
}
