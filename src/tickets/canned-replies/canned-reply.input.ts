import { Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEnum, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import '../graphql-enums';
import { TicketCategory, TicketPriority, TicketStatus } from '../ticket-enums';
import { ContentLocale } from './canned-reply.entity';

@InputType({ description: 'What applying the canned reply as a macro also changes on the ticket.' })
export class MacroActionsInput {
  @Field(() => TicketStatus, { nullable: true })
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

  @Field(() => TicketCategory, { nullable: true })
  @IsOptional()
  @IsEnum(TicketCategory)
  category?: TicketCategory;

  @Field(() => TicketPriority, { nullable: true })
  @IsOptional()
  @IsEnum(TicketPriority)
  priority?: TicketPriority;
}

@InputType()
export class CannedReplyInput {
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title?: string;

  @Field({ nullable: true, description: 'Starts with "/", no spaces: /تأخير-الشحن.' })
  @IsOptional()
  @Matches(/^\/[^\s/]{1,60}$/u, { message: 'shortcut must start with "/" and have 1–60 characters without spaces' })
  shortcut?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  body?: string;

  @Field(() => ContentLocale, { nullable: true })
  @IsOptional()
  @IsEnum(ContentLocale)
  locale?: ContentLocale;

  @Field(() => TicketCategory, { nullable: true })
  @IsOptional()
  @IsEnum(TicketCategory)
  category?: TicketCategory | null;

  @Field(() => MacroActionsInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => MacroActionsInput)
  actions?: MacroActionsInput;

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
