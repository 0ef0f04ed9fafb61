import { Field, Float, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsDate, IsEnum, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import '../../tickets/graphql-enums';
import { ContentLocale } from '../../tickets/canned-replies/canned-reply.entity';
import { Channel, TicketCategory } from '../../tickets/ticket-enums';
import { ArticleStatus } from '../entities/kb-article.entity';

@InputType({ description: 'An article to create (title and body required) or the fields to change.' })
export class ArticleInput {
  @Field({ description: 'The article\'s title (required when creating), e.g. "سياسة الإرجاع والاستبدال".', nullable: true })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title?: string;

  @Field({ nullable: true, description: 'Made from the title when not given; letters of any script, digits and "-".' })
  @IsOptional()
  @Matches(/^[\p{L}\p{N}]+(-[\p{L}\p{N}]+)*$/u, { message: 'slug must be letters and digits separated by single "-"' })
  @MaxLength(80)
  slug?: string;

  @Field({ nullable: true, description: 'Markdown.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(50_000)
  body?: string;

  @Field(() => String, { nullable: true, description: 'A short answer for lists and the FAQ auto-answer; null takes the first paragraph of the body.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  summary?: string | null;

  @Field(() => ContentLocale, { nullable: true, description: 'Ar unless given.' })
  @IsOptional()
  @IsEnum(ContentLocale)
  locale?: ContentLocale;

  @Field(() => TicketCategory, { description: 'The ticket category the article answers; used to suggest it on tickets of that category.', nullable: true })
  @IsOptional()
  @IsEnum(TicketCategory)
  category?: TicketCategory | null;

  @Field(() => [String], { description: 'Free tags, e.g. ["إرجاع", "returns"]; replaces the article\'s tags when given.', nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  tags?: string[];

  @Field(() => ArticleStatus, { nullable: true, description: 'DRAFT unless given.' })
  @IsOptional()
  @IsEnum(ArticleStatus)
  status?: ArticleStatus;
}

@InputType({ description: 'Which knowledge-base articles to list; every field given must match.' })
export class ArticleFilter {
  @Field(() => ArticleStatus, { description: 'Only DRAFT or only PUBLISHED articles; both when omitted.', nullable: true })
  @IsOptional()
  @IsEnum(ArticleStatus)
  status?: ArticleStatus;

  @Field(() => ContentLocale, { description: 'Only articles in this language.', nullable: true })
  @IsOptional()
  @IsEnum(ContentLocale)
  locale?: ContentLocale;

  @Field(() => TicketCategory, { description: 'Only articles of this ticket category.', nullable: true })
  @IsOptional()
  @IsEnum(TicketCategory)
  category?: TicketCategory;

  @Field({ description: 'Only articles carrying this tag (exact match).', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  tag?: string;
}

@InputType({ description: 'Changes to the knowledge-base settings; omitted fields stay as they are.' })
export class KnowledgeBaseSettingsInput {
  @Field(() => [Channel], { nullable: true, description: 'CHAT and/or WHATSAPP; empty turns the auto-answer off.' })
  @IsOptional()
  @IsArray()
  @IsEnum(Channel, { each: true })
  autoAnswerChannels?: Channel[];

  @Field(() => Float, { nullable: true, description: 'From 0.3 to 1: how sure the match must be before the customer gets an automatic answer.' })
  @IsOptional()
  @Min(0.3)
  @Max(1)
  autoAnswerMinConfidence?: number;

  @Field(() => String, { nullable: true, description: 'The help centre\'s address; an article\'s link is this + "/" + its slug. Null: answers carry no link.' })
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true, require_tld: false })
  @MaxLength(500)
  helpCentreUrl?: string | null;
}

@InputType({ description: 'Which FAQ auto-answers to count: by when they were sent, optionally on one channel.' })
export class FaqDeflectionFilter {
  @Field({ description: 'Answers sent at or after.' })
  @IsDate()
  from: Date;

  @Field({ description: 'Answers sent before.' })
  @IsDate()
  to: Date;

  @Field(() => Channel, { description: 'Only answers on this channel (CHAT or WHATSAPP); all when omitted.', nullable: true })
  @IsOptional()
  @IsEnum(Channel)
  channel?: Channel;
}
