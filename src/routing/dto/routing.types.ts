import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsEnum, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import '../../tickets/graphql-enums';
import { Channel, CustomerTier, TicketCategory, TicketPriority } from '../../tickets/ticket-enums';
import { IsNotBlank, LIMITS } from '../../common/validators';
import { Team } from '../entities/team.entity';

@ObjectType()
export class RoutingRule {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field(() => Int, { description: 'Lower first; the first matching rule decides.' })
  position: number;

  @Field(() => TicketCategory)
  category: TicketCategory;

  @Field(() => [String], { description: 'Any of these words or phrases, Arabic or English; spelling variants and diacritics are ignored.' })
  phrases: string[];

  @Field(() => [Channel], { description: 'Empty: any channel.' })
  channels: Channel[];

  @Field(() => [CustomerTier], { description: 'Empty: any customer.' })
  tiers: CustomerTier[];

  @Field()
  active: boolean;
}

@InputType()
export class RoutingRuleInput {
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  position?: number;

  @Field(() => TicketCategory, { nullable: true })
  @IsOptional()
  @IsEnum(TicketCategory)
  category?: TicketCategory;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  phrases?: string[];

  @Field(() => [Channel], { nullable: true })
  @IsOptional()
  @IsEnum(Channel, { each: true })
  channels?: Channel[];

  @Field(() => [CustomerTier], { nullable: true })
  @IsOptional()
  @IsEnum(CustomerTier, { each: true })
  tiers?: CustomerTier[];

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

@ObjectType('CategoryPriority')
@InputType('CategoryPriorityInput')
export class CategoryPriorityType {
  @Field(() => TicketCategory)
  @IsEnum(TicketCategory)
  category: TicketCategory;

  @Field(() => TicketPriority)
  @IsEnum(TicketPriority)
  priority: TicketPriority;
}

@ObjectType()
export class RoutingSettings {
  @Field(() => Team, { nullable: true, description: 'Where tickets of categories no team owns go.' })
  defaultTeam: Team | null;

  @Field(() => [CategoryPriorityType], { description: 'Starting priority per category (NORMAL otherwise).' })
  categoryBase: CategoryPriorityType[];

  @Field(() => [CustomerTier], { description: 'Customers served first (+1 priority level).' })
  priorityTiers: CustomerTier[];

  @Field(() => [String], { description: 'Words of urgency or anger (+1 priority level).' })
  urgentPhrases: string[];

  @Field(() => Int, { description: "A customer's new message (joinOpenTicket) joins their open ticket of the same category updated within this many hours; 0: never." })
  continuityWindowHours: number;
}

@InputType()
export class UpdateRoutingSettingsInput {
  @Field(() => ID, { nullable: true, description: 'null removes the default team.' })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsUUID()
  defaultTeamId?: string | null;

  @Field(() => [CategoryPriorityType], { nullable: true })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => CategoryPriorityType)
  categoryBase?: CategoryPriorityType[];

  @Field(() => [CustomerTier], { nullable: true })
  @IsOptional()
  @IsEnum(CustomerTier, { each: true })
  priorityTiers?: CustomerTier[];

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  urgentPhrases?: string[];

  @Field(() => [String], {
    nullable: true,
    description: 'Phrases added to the urgent list (after urgentPhrases replaced it, when both are given); a phrase already on the list is not added twice. Keeps the defaults, unlike urgentPhrases.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  addUrgentPhrases?: string[];

  @Field(() => [String], { nullable: true, description: 'Phrases taken off the urgent list (exact match, after any addition).' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  removeUrgentPhrases?: string[];

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(24 * 90)
  continuityWindowHours?: number;
}

@InputType()
export class RoutingPreviewInput {
  @Field({ defaultValue: '' })
  @IsString()
  @MaxLength(LIMITS.subject)
  subject: string;

  @Field()
  @IsString()
  @MaxLength(LIMITS.body)
  body: string;

  @Field(() => Channel, { defaultValue: Channel.API })
  @IsEnum(Channel)
  channel: Channel;

  @Field(() => CustomerTier, { defaultValue: CustomerTier.STANDARD })
  @IsEnum(CustomerTier)
  tier: CustomerTier;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.ref)
  orderRef?: string;
}

@ObjectType()
export class MatchedRule {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field({ description: 'The phrase that matched.' })
  phrase: string;
}

@ObjectType()
export class RoutingPreview {
  @Field(() => TicketCategory)
  category: TicketCategory;

  @Field()
  categoryReason: string;

  @Field(() => MatchedRule, { nullable: true })
  matchedRule: MatchedRule | null;

  @Field(() => TicketPriority)
  priority: TicketPriority;

  @Field(() => [String])
  priorityReasons: string[];

  @Field(() => Team, { nullable: true })
  team: Team | null;

  @Field()
  teamReason: string;
}
