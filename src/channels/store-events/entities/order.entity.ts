import { Node } from '../../../common/graphql/node';
import { Field, Float, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import GraphQLJSON from 'graphql-type-json';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { nullableNumberColumn } from '../../../common/database/number-transformer';

export enum OrderStatus {
  CREATED = 'CREATED',
  PAID = 'PAID',
  SHIPPED = 'SHIPPED',
  DELIVERED = 'DELIVERED',
  DELAYED = 'DELAYED',
  RETURNED = 'RETURNED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(OrderStatus, {
  valuesMap: {
    CANCELLED: { description: 'Cancelled; pending automations are called off.' },
    CREATED: { description: 'Placed, not yet paid.' },
    DELAYED: { description: 'The shipment is late; may trigger a delay notice.' },
    DELIVERED: { description: 'Delivered; schedules the follow-up and CSAT automations.' },
    PAID: { description: 'Paid.' },
    RETURNED: { description: 'Returned by the customer.' },
    SHIPPED: { description: 'Handed to the shipping company.' },
  },
  description: "Where an order stands, from the store's events.",
  name: 'OrderStatus',
});

export interface OrderItem {
  productId: string;
  name: string;
  quantity: number;
  price?: number | null;
}

@ObjectType({ implements: () => [Node], description: 'An order of the store, as its store events told us.' })
@Entity('orders')
@Index('orders_tenant_external_key', ['tenantId', 'externalId'], { unique: true })
@Index('orders_tenant_customer_idx', ['tenantId', 'customerId', 'placedAt'])
@Check('orders_status_check', `status IN ('CREATED','PAID','SHIPPED','DELIVERED','DELAYED','RETURNED','CANCELLED')`)
export class Order {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID, { description: "Rida's id of the order (UUID); the store's own number is externalId." })
  @PrimaryColumn('uuid')
  id: string;

  @Field({ description: "The store's own order id (e.g. Salla/Zid order number)." })
  @Column('text')
  externalId: string;

  @Field(() => ID, { description: 'The customer who placed it.' })
  @Column('uuid')
  customerId: string;

  @Field(() => OrderStatus, { description: 'The latest status the store reported.' })
  @Column('text')
  status: OrderStatus;

  @Field(() => Float, { description: 'Order total in currency; null when the store did not send it.', nullable: true })
  @Column('numeric', { precision: 14, scale: 2, nullable: true, transformer: nullableNumberColumn })
  totalAmount: number | null;

  @Field({ description: 'ISO 4217 code, e.g. SAR.' })
  @Column('text', { default: 'SAR' })
  currency: string;

  @Field(() => GraphQLJSON, { description: '[{ productId, name, quantity, price }]' })
  @Column('jsonb', { default: () => "'[]'" })
  items: OrderItem[];

  @Field({ description: "When the customer placed it (the first event's occurredAt)." })
  @Column('timestamptz')
  placedAt: Date;

  @Field(() => Date, { description: 'When it was paid; null until then.', nullable: true })
  @Column('timestamptz', { nullable: true })
  paidAt: Date | null;

  @Field(() => Date, { description: 'When it was shipped; null until then.', nullable: true })
  @Column('timestamptz', { nullable: true })
  shippedAt: Date | null;

  @Field(() => Date, { description: 'When the store reported it delivered; null until then.', nullable: true })
  @Column('timestamptz', { nullable: true })
  deliveredAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'The new expected delivery date after a delay.' })
  @Column('timestamptz', { nullable: true })
  expectedDeliveryAt: Date | null;

  @Field(() => Date, { description: 'When it was returned; null unless returned.', nullable: true })
  @Column('timestamptz', { nullable: true })
  returnedAt: Date | null;

  @Field({ description: 'When Rida first heard of the order (ISO 8601 with offset, UTC).' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field({ description: 'When the latest event about it arrived (ISO 8601 with offset, UTC).' })
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
