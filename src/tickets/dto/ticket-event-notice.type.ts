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

  @Field(() => TicketEventType)
  type: TicketEventType;

  @Field(() => ID)
  ticketId: string;

  @Field(() => Int)
  ticketNumber: number;

  @Field(() => TicketStatus, { description: 'The ticket status once the change was committed.' })
  ticketStatus: TicketStatus;

  @Field()
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
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  ticketId: string;

  @Field()
  body: string;

  @Field(() => AuthorType)
  authorType: AuthorType;

  @Field(() => String, { nullable: true })
  authorName: string | null;

  @Field({ description: 'Internal notes reach staff only.' })
  internal: boolean;

  @Field(() => Channel)
  channel: Channel;

  @Field()
  createdAt: Date;
}

@InputType()
export class TicketEventsFilterInput {
  @Field(() => [TicketEventType], { nullable: true, description: 'Only these kinds of event.' })
  @IsOptional()
  @IsArray()
  @IsEnum(TicketEventType, { each: true })
  types?: TicketEventType[];

  @Field(() => ID, { nullable: true })
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

  @Field(() => [Channel], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(Channel, { each: true })
  channels?: Channel[];
}
