import { Node } from '../../common/graphql/node';
import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ConnectionType } from '../../common/graphql/connection';
import '../graphql-enums';
import { AuthorType, Channel, TicketStatus } from '../ticket-enums';
import { IsNotBlank, LIMITS } from '../../common/validators';

/**
 * What a customer sees of a ticket: its own types, so staff-only fields (internal notes, audit
 * events, custom fields, assignees) can never reach a customer token by accident.
 */
@ObjectType({ implements: () => [Node], description: "A public message of the customer's ticket as the customer sees it (no internal notes, no staff fields)." })
export class PortalMessage {
  @Field(() => ID, { description: 'Stable id of the message (UUID).' })
  id: string;

  @Field({ description: 'The text.' })
  body: string;

  @Field(() => AuthorType, { description: 'Who wrote it.' })
  authorType: AuthorType;

  @Field(() => String, { description: "The author's display name (an agent's name, or the customer's).", nullable: true })
  authorName: string | null;

  @Field({ description: 'When it was added (ISO 8601 with offset, UTC).' })
  createdAt: Date;
}

@ObjectType({ implements: () => [Node], description: "One of the customer's own tickets as the customer sees it." })
export class PortalTicket {
  @Field(() => ID, { description: 'Stable id of the ticket (UUID).' })
  id: string;

  @Field(() => Int, { description: "The store's ticket number, e.g. 1001, to quote to staff." })
  number: number;

  @Field({ description: "The ticket's subject." })
  subject: string;

  @Field(() => TicketStatus, { description: 'Where the ticket stands.' })
  status: TicketStatus;

  @Field(() => Channel, { description: 'Where the conversation happens.' })
  channel: Channel;

  @Field({ description: 'When it was opened (ISO 8601 with offset, UTC).' })
  createdAt: Date;

  @Field({ description: 'When it last changed (ISO 8601 with offset, UTC).' })
  updatedAt: Date;
}

@ObjectType({ description: "A page of the customer's own tickets, newest first (Relay cursor connection): ask for `first` (1–100) and pass `pageInfo.endCursor` as `after` for the next page." })
export class PortalTicketConnection extends ConnectionType(PortalTicket) {}

@InputType({ description: 'A new ticket a customer opens from the portal.' })
export class PortalCreateTicketInput {
  @Field({ description: 'A one-line summary, up to 500 characters.' })
  @IsString()
  @IsNotBlank()
  @MaxLength(LIMITS.subject)
  subject: string;

  @Field({ description: "The customer's message, up to 100 000 characters." })
  @IsString()
  @IsNotBlank()
  @MaxLength(LIMITS.body)
  body: string;

  @Field(() => Channel, { description: 'WEB_FORM unless given.', nullable: true, defaultValue: Channel.WEB_FORM })
  @IsOptional()
  @IsEnum(Channel)
  channel?: Channel;
}

@InputType({ description: "A customer's reply on one of their tickets." })
export class PortalReplyInput {
  @Field(() => ID, { description: "One of the customer's own tickets (NOT_FOUND otherwise)." })
  @IsUUID()
  ticketId: string;

  @Field({ description: 'The text, up to 100 000 characters.' })
  @IsString()
  @IsNotBlank()
  @MaxLength(LIMITS.body)
  body: string;
}
