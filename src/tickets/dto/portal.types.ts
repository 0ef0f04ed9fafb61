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
@ObjectType()
export class PortalMessage {
  @Field(() => ID)
  id: string;

  @Field()
  body: string;

  @Field(() => AuthorType)
  authorType: AuthorType;

  @Field(() => String, { nullable: true })
  authorName: string | null;

  @Field()
  createdAt: Date;
}

@ObjectType()
export class PortalTicket {
  @Field(() => ID)
  id: string;

  @Field(() => Int)
  number: number;

  @Field()
  subject: string;

  @Field(() => TicketStatus)
  status: TicketStatus;

  @Field(() => Channel)
  channel: Channel;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;
}

@ObjectType()
export class PortalTicketConnection extends ConnectionType(PortalTicket) {}

@InputType()
export class PortalCreateTicketInput {
  @Field()
  @IsString()
  @IsNotBlank()
  @MaxLength(LIMITS.subject)
  subject: string;

  @Field()
  @IsString()
  @IsNotBlank()
  @MaxLength(LIMITS.body)
  body: string;

  @Field(() => Channel, { nullable: true, defaultValue: Channel.WEB_FORM })
  @IsOptional()
  @IsEnum(Channel)
  channel?: Channel;
}

@InputType()
export class PortalReplyInput {
  @Field(() => ID)
  @IsUUID()
  ticketId: string;

  @Field()
  @IsString()
  @IsNotBlank()
  @MaxLength(LIMITS.body)
  body: string;
}
