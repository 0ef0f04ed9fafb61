import { Node } from '../../../common/graphql/node';
import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export enum StoreEventType {
  ORDER_CREATED = 'ORDER_CREATED',
  ORDER_PAID = 'ORDER_PAID',
  ORDER_SHIPPED = 'ORDER_SHIPPED',
  ORDER_DELIVERED = 'ORDER_DELIVERED',
  ORDER_DELAYED = 'ORDER_DELAYED',
  ORDER_RETURNED = 'ORDER_RETURNED',
  ORDER_CANCELLED = 'ORDER_CANCELLED',
}
registerEnumType(StoreEventType, {
  valuesMap: {
    ORDER_CANCELLED: { description: 'The order was cancelled.' },
    ORDER_CREATED: { description: 'The order was placed.' },
    ORDER_DELAYED: { description: 'The shipment is late (a new expectedDeliveryAt may come with it).' },
    ORDER_DELIVERED: { description: 'The order was delivered.' },
    ORDER_PAID: { description: 'The order was paid.' },
    ORDER_RETURNED: { description: 'The order was returned.' },
    ORDER_SHIPPED: { description: 'The order was shipped.' },
  },
  description: 'What happened to an order.',
  name: 'StoreEventType',
});

/** Every store event received, once: its external id makes a repeated push harmless. */
@ObjectType({ implements: () => [Node], description: 'An event the store platform sent about an order.' })
@Entity('store_events')
@Index('store_events_tenant_external_key', ['tenantId', 'externalId'], { unique: true })
@Check('store_events_type_check', `type IN ('ORDER_CREATED','ORDER_PAID','ORDER_SHIPPED','ORDER_DELIVERED','ORDER_DELAYED','ORDER_RETURNED','ORDER_CANCELLED')`)
export class StoreEvent {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID, { description: 'Stable id (UUID).' })
  @PrimaryColumn('uuid')
  id: string;

  @Field({ description: "The integrator's event id (or one derived from the order id, type and time)." })
  @Column('text')
  externalId: string;

  @Field(() => StoreEventType, { description: 'What happened.' })
  @Column('text')
  type: StoreEventType;

  @Field(() => ID, { description: "Rida's id of the order." })
  @Column('uuid')
  orderId: string;

  @Field({ description: 'When it happened at the store (ISO 8601 with offset, UTC).' })
  @Column('timestamptz')
  occurredAt: Date;

  @Field({ description: 'When Rida received it.' })
  @CreateDateColumn({ type: 'timestamptz' })
  receivedAt: Date;
}
