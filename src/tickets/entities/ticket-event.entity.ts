import { Node } from '../../common/graphql/node';
import { Field, ID, ObjectType } from '@nestjs/graphql';
import GraphQLJSON from 'graphql-type-json';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import '../graphql-enums';
import type { ActorType, JsonObject } from '../../common/request-context';
import { TicketEventType } from '../ticket-enums';

@ObjectType({ implements: () => [Node], description: "One entry of a ticket's audit timeline." })
@Entity('ticket_events')
@Index('ticket_events_tenant_ticket_created_idx', ['tenantId', 'ticketId', 'createdAt'])
export class TicketEvent {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID, { description: 'Stable id (UUID).' })
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  ticketId: string;

  @Field(() => TicketEventType, { description: 'What happened.' })
  @Column('text')
  type: TicketEventType;

  @Field(() => String, { description: 'API_KEY, AGENT, CUSTOMER or SYSTEM.' })
  @Column('text')
  actorType: ActorType;

  @Field(() => String, { description: 'The agent, key or customer id of actorType; null for SYSTEM.', nullable: true })
  @Column('uuid', { nullable: true })
  actorId: string | null;

  @Field(() => GraphQLJSON, { description: 'What changed, e.g. { "from": "OPEN", "to": "SOLVED" }.' })
  @Column('jsonb', { default: () => "'{}'" })
  data: JsonObject;

  @Field({ description: 'When it happened (ISO 8601 with offset, UTC).' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
