import { Field, ID, InputType } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import '../graphql-enums';
import { AuthorType, Channel } from '../ticket-enums';
import { IsNotBlank, LIMITS } from '../../common/validators';

@InputType({ description: "A message to add to a ticket's conversation: a reply to the customer, an internal note, or a customer message relayed by an integration." })
export class AddMessageInput {
  @Field(() => ID, { description: "The ticket to add the message to (NOT_FOUND when it is not in the caller's store)." })
  @IsUUID()
  ticketId: string;

  @Field({ description: 'The text, up to 100 000 characters. Plain text; line breaks are kept.' })
  @IsString()
  @IsNotBlank()
  @MaxLength(LIMITS.body)
  body: string;

  @Field(() => AuthorType, {
    description: "Who wrote it. AGENT (default) replies go out on the ticket's channel; CUSTOMER messages count as the customer writing (they may reopen a SOLVED ticket).",
    defaultValue: AuthorType.AGENT,
  })
  @IsEnum(AuthorType)
  authorType: AuthorType;

  @Field(() => ID, { nullable: true, description: "The agent writing (AGENT messages); customer messages are by the ticket's customer." })
  @IsOptional()
  @IsUUID()
  authorId?: string;

  @Field({ description: 'Display name for a BOT or SYSTEM author (e.g. "مساعد المتجر"); ignored for agents and customers, whose names come from their records.', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.name)
  authorName?: string;

  @Field({ defaultValue: false, description: 'An internal note, never shown to the customer.' })
  @IsBoolean()
  internal: boolean;

  @Field(() => Channel, { nullable: true, description: "Defaults to the ticket's channel." })
  @IsOptional()
  @IsEnum(Channel)
  channel?: Channel;

  @Field({ nullable: true, description: "The provider's message id; a repeat returns the stored message." })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.ref)
  externalId?: string;
}
