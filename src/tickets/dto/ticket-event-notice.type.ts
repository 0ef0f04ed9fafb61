import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsArray, IsEnum, IsOptional, IsUUID } from 'class-validator';
import GraphQLJSON from 'graphql-type-json';
import '../graphql-enums';
import type { JsonObject } from '../../common/request-context';
import { AuthorType, Channel, TicketEventType, TicketStatus } from '../ticket-enums';

@ObjectType({ description: 'A ticket event as it happens (subscriptions). Customer tokens get `data` and `ticket` as null.' })
export class TicketEventNotice {
  @Field(() => ID, { description: 'The audit event id: stable, for de-duplication.' })
  id: string;

  @Field(() => TicketEventType, { description: 'What happened.' })
  type: TicketEventType;

  @Field(() => ID, { description: 'The ticket.' })
  ticketId: string;

  @Field(() => Int, { description: "The ticket's number, for display." })
  ticketNumber: number;

  @Field(() => TicketStatus, { description: 'The ticket status once the change was committed.' })
  ticketStatus: TicketStatus;

  @Field({ description: 'When it happened (ISO 8601 with offset, UTC).' })
  at: Date;

  @Field(() => String, { description: 'API_KEY, AGENT, CUSTOMER or SYSTEM.' })
  actorType: string;

  @Field(() => GraphQLJSON, { nullable: true, description: 'What changed (staff only).' })
  data: JsonObject | null;

  /** For the field resolvers. */
  tenantId: string;
  messageId: string | null;
  forCustomer: boolean;
}

@ObjectType({ description: 'A message as it is added to a ticket (subscriptions, live chat).' })
export class LiveMessage {
  @Field(() => ID, { description: "The message's id, the same as Message.id." })
  id: string;

  @Field(() => ID, { description: 'The ticket it belongs to.' })
  ticketId: string;

  @Field({ description: 'The text.' })
  body: string;

  @Field(() => AuthorType, { description: 'Who wrote it.' })
  authorType: AuthorType;

  @Field(() => String, { description: 'Display name of the author (agent name, customer name or bot name).', nullable: true })
  authorName: string | null;

  @Field({ description: 'Internal notes reach staff only.' })
  internal: boolean;

  @Field(() => Channel, { description: 'The channel it came in on or goes out on.' })
  channel: Channel;

  @Field({ description: 'When it was added (ISO 8601 with offset, UTC).' })
  createdAt: Date;
}

@InputType({ description: 'Which ticket events a subscription receives.' })
export class TicketEventsFilterInput {
  @Field(() => [TicketEventType], { nullable: true, description: 'Only these kinds of event.' })
  @IsOptional()
  @IsArray()
  @IsEnum(TicketEventType, { each: true })
  types?: TicketEventType[];

  @Field(() => ID, { description: "Only this ticket's events.", nullable: true })
  @IsOptional()
  @IsUUID()
  ticketId?: string;

  @Field(() => ID, { nullable: true, description: 'Tickets of this team (after the change).' })
  @IsOptional()
  @IsUUID()
  teamId?: string;

  @Field(() => ID, { nullable: true, description: 'Tickets assigned to this agent (after the change).' })
  @IsOptional()
  @IsUUID()
  assigneeId?: string;

  @Field(() => [Channel], { description: 'Only tickets of these channels; all when omitted.', nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(Channel, { each: true })
  channels?: Channel[];
}
