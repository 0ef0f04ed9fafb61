import { Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEnum, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import '../graphql-enums';
import { TicketCategory, TicketPriority, TicketStatus } from '../ticket-enums';
import { ContentLocale } from './canned-reply.entity';

@InputType({ description: 'What applying the canned reply as a macro also changes on the ticket.' })
export class MacroActionsInput {
  @Field(() => TicketStatus, { description: "Set the ticket's status (e.g. PENDING after asking the customer something).", nullable: true })
  @IsOptional()
  @IsEnum(TicketStatus)
  status?: TicketStatus;

  @Field(() => [String], { nullable: true, description: 'Tags added to the ticket.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  addTags?: string[];

  @Field(() => TicketCategory, { description: "Set the ticket's category.", nullable: true })
  @IsOptional()
  @IsEnum(TicketCategory)
  category?: TicketCategory;

  @Field(() => TicketPriority, { description: "Set the ticket's priority.", nullable: true })
  @IsOptional()
  @IsEnum(TicketPriority)
  priority?: TicketPriority;
}

@InputType({ description: 'A canned reply to create (shortcut, title and body required) or the fields to change.' })
export class CannedReplyInput {
  @Field({ description: 'A name for lists.', nullable: true })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title?: string;

  @Field({ nullable: true, description: 'Starts with "/", no spaces: /تأخير-الشحن.' })
  @IsOptional()
  @Matches(/^\/[^\s/]{1,60}$/u, { message: 'shortcut must start with "/" and have 1–60 characters without spaces' })
  shortcut?: string;

  @Field({ description: 'Mustache template, e.g. "مرحباً {{customer.name}}، طلبك {{ticket.orderRef}} …"; placeholders are checked when saved (BAD_USER_INPUT names unknown ones).', nullable: true })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  body?: string;

  @Field(() => ContentLocale, { description: 'The language it is written in; ar unless given.', nullable: true })
  @IsOptional()
  @IsEnum(ContentLocale)
  locale?: ContentLocale;

  @Field(() => TicketCategory, { description: 'The ticket category it is meant for; null for any.', nullable: true })
  @IsOptional()
  @IsEnum(TicketCategory)
  category?: TicketCategory | null;

  @Field(() => MacroActionsInput, { description: 'What applying it as a macro also changes on the ticket (tags, status, priority, category).', nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => MacroActionsInput)
  actions?: MacroActionsInput;

  @Field({ description: 'False hides it from agents without deleting it.', nullable: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
