import { Node } from '../../../common/graphql/node';
import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import '../../../tickets/graphql-enums';
import { TicketEventType } from '../../../tickets/ticket-enums';

@ObjectType({ implements: () => [Node], description: "An integrator's URL that receives the store's ticket events, signed with its secret." })
@Entity('webhook_endpoints')
export class WebhookEndpoint {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID, { description: 'Stable id (UUID).' })
  @PrimaryColumn('uuid')
  id: string;

  @Field({ description: 'Where events are POSTed (https).' })
  @Column('text')
  url: string;

  @Field(() => String, { description: 'A note for people.', nullable: true })
  @Column('text', { nullable: true })
  description: string | null;

  @Field(() => [TicketEventType], { description: 'The events sent; empty means all of them.' })
  @Column('text', { array: true, default: () => "'{}'" })
  events: TicketEventType[];

  /** AES-256-GCM under SECRETS_KEY; shown to the caller only when created or rotated. */
  @Column('bytea')
  secret: Buffer;

  @Field({ description: 'A disabled endpoint is sent no new events; deliveries already pending wait until it is re-enabled.' })
  @Column('boolean', { default: true })
  enabled: boolean;

  @Field(() => String, { nullable: true, description: 'Why it was disabled automatically (deliveries failing for the whole retry window).' })
  @Column('text', { nullable: true })
  disabledReason: string | null;

  @Field({ description: 'When it was added (ISO 8601 with offset, UTC).' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field({ description: 'When it last changed (ISO 8601 with offset, UTC).' })
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
