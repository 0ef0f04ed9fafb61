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
registerEnumType(OrderStatus, { name: 'OrderStatus' });

export interface OrderItem {
  productId: string;
  name: string;
  quantity: number;
  price?: number | null;
}

@ObjectType({ description: 'An order of the store, as its store events told us.' })
@Entity('orders')
@Index('orders_tenant_external_key', ['tenantId', 'externalId'], { unique: true })
@Index('orders_tenant_customer_idx', ['tenantId', 'customerId', 'placedAt'])
@Check('orders_status_check', `status IN ('CREATED','PAID','SHIPPED','DELIVERED','DELAYED','RETURNED','CANCELLED')`)
export class Order {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID)
  @PrimaryColumn('uuid')
  id: string;

  @Field({ description: "The store's own order id (e.g. Salla/Zid order number)." })
  @Column('text')
  externalId: string;

  @Field(() => ID)
  @Column('uuid')
  customerId: string;

  @Field(() => OrderStatus)
  @Column('text')
  status: OrderStatus;

  @Field(() => Float, { nullable: true })
  @Column('numeric', { precision: 14, scale: 2, nullable: true, transformer: nullableNumberColumn })
  totalAmount: number | null;

  @Field()
  @Column('text', { default: 'SAR' })
  currency: string;

  @Field(() => GraphQLJSON, { description: '[{ productId, name, quantity, price }]' })
  @Column('jsonb', { default: () => "'[]'" })
  items: OrderItem[];

  @Field()
  @Column('timestamptz')
  placedAt: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  paidAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  shippedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  deliveredAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'The new expected delivery date after a delay.' })
  @Column('timestamptz', { nullable: true })
  expectedDeliveryAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  returnedAt: Date | null;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
