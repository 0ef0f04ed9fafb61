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
registerEnumType(StoreEventType, { name: 'StoreEventType' });

/** Every store event received, once: its external id makes a repeated push harmless. */
@ObjectType()
@Entity('store_events')
@Index('store_events_tenant_external_key', ['tenantId', 'externalId'], { unique: true })
@Check('store_events_type_check', `type IN ('ORDER_CREATED','ORDER_PAID','ORDER_SHIPPED','ORDER_DELIVERED','ORDER_DELAYED','ORDER_RETURNED','ORDER_CANCELLED')`)
export class StoreEvent {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID)
  @PrimaryColumn('uuid')
  id: string;

  @Field({ description: "The integrator's event id (or one derived from the order id, type and time)." })
  @Column('text')
  externalId: string;

  @Field(() => StoreEventType)
  @Column('text')
  type: StoreEventType;

  @Field(() => ID)
  @Column('uuid')
  orderId: string;

  @Field()
  @Column('timestamptz')
  occurredAt: Date;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  receivedAt: Date;
}
