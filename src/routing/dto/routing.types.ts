import { Node } from '../../common/graphql/node';
import { applyDecorators } from '@nestjs/common';
import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsEnum, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import '../../tickets/graphql-enums';
import { Channel, CustomerTier, TicketCategory, TicketPriority } from '../../tickets/ticket-enums';
import { IsNotBlank, LIMITS } from '../../common/validators';
import { Team } from '../entities/team.entity';

/** An optional list of urgent phrases: at most 200, each 1–100 characters. */
const UrgentPhraseList = () => applyDecorators(IsOptional(), IsArray(), ArrayMaxSize(200), IsString({ each: true }), MinLength(1, { each: true }), MaxLength(100, { each: true }));

@ObjectType({ implements: () => [Node], description: 'A categorisation rule: phrases (Arabic or English) that put a ticket into a category.' })
export class RoutingRule {
  @Field(() => ID, { description: 'Stable id (UUID).' })
  id: string;

  @Field({ description: 'A name for lists, e.g. "المدفوعات — Payments".' })
  name: string;

  @Field(() => Int, { description: 'Lower first; the first matching rule decides.' })
  position: number;

  @Field(() => TicketCategory, { description: 'The category a matching ticket gets.' })
  category: TicketCategory;

  @Field(() => [String], { description: 'Any of these words or phrases, Arabic or English; spelling variants and diacritics are ignored.' })
  phrases: string[];

  @Field(() => [Channel], { description: 'Empty: any channel.' })
  channels: Channel[];

  @Field(() => [CustomerTier], { description: 'Empty: any customer.' })
  tiers: CustomerTier[];

  @Field({ description: 'Inactive rules are kept but not applied.' })
  active: boolean;
}

@InputType({ description: 'A routing rule to create (name, category and phrases required) or the fields to change.' })
export class RoutingRuleInput {
  @Field({ description: 'A name for lists.', nullable: true })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name?: string;

  @Field(() => Int, { description: 'Rules are tried in ascending position; the first match wins.', nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  position?: number;

  @Field(() => TicketCategory, { description: 'The category a matching ticket gets.', nullable: true })
  @IsOptional()
  @IsEnum(TicketCategory)
  category?: TicketCategory;

  @Field(() => [String], {
    description: 'Words or phrases to look for in the subject and first message; Arabic is matched after normalising letters (أ/إ/آ → ا, ة → ه, ى → ي) and removing diacritics.',
    nullable: true,
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  phrases?: string[];

  @Field(() => [Channel], { description: 'Only tickets from these channels; all when empty.', nullable: true })
  @IsOptional()
  @IsEnum(Channel, { each: true })
  channels?: Channel[];

  @Field(() => [CustomerTier], { description: 'Only customers of these tiers; all when empty.', nullable: true })
  @IsOptional()
  @IsEnum(CustomerTier, { each: true })
  tiers?: CustomerTier[];

  @Field({ description: 'False turns the rule off without deleting it.', nullable: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

@ObjectType('CategoryPriority', { description: 'The base priority of tickets of one category.' })
@InputType('CategoryPriorityInput', { description: 'The base priority of tickets of one category.' })
export class CategoryPriorityType {
  @Field(() => TicketCategory, { description: 'The ticket category.' })
  @IsEnum(TicketCategory)
  category: TicketCategory;

  @Field(() => TicketPriority, { description: 'Priority a ticket of this category starts at, before VIP and urgent-wording raises.' })
  @IsEnum(TicketPriority)
  priority: TicketPriority;
}

@ObjectType({ description: 'How the store computes priority and joins conversations.' })
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

@InputType({ description: 'Changes to the routing settings; each list given replaces the stored one, omitted fields stay as they are.' })
export class UpdateRoutingSettingsInput {
  @Field(() => ID, { nullable: true, description: 'Null removes the default team.' })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsUUID()
  defaultTeamId?: string | null;

  @Field(() => [CategoryPriorityType], { description: 'Replaces the base priority of the categories listed.', nullable: true })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => CategoryPriorityType)
  categoryBase?: CategoryPriorityType[];

  @Field(() => [CustomerTier], { description: 'Customer tiers whose tickets are raised one priority level (default VIP and GOLD); replaces the stored list.', nullable: true })
  @IsOptional()
  @IsEnum(CustomerTier, { each: true })
  priorityTiers?: CustomerTier[];

  @Field(() => [String], { description: 'Replaces the urgent or angry phrases that raise a ticket one priority level (the defaults are gone unless repeated).', nullable: true })
  @UrgentPhraseList()
  urgentPhrases?: string[];

  @Field(() => [String], {
    nullable: true,
    description: 'Phrases added to the urgent list (after urgentPhrases replaced it, when both are given); a phrase already on the list is not added twice. Keeps the defaults, unlike urgentPhrases.',
  })
  @UrgentPhraseList()
  addUrgentPhrases?: string[];

  @Field(() => [String], { nullable: true, description: 'Phrases taken off the urgent list (exact match, after any addition).' })
  @UrgentPhraseList()
  removeUrgentPhrases?: string[];

  @Field(() => Int, { description: "A customer's new message joins their open ticket of the same category updated within this many hours; 0: never.", nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(24 * 90)
  continuityWindowHours?: number;
}

@InputType({ description: 'A ticket as it would arrive, to preview routing.' })
export class RoutingPreviewInput {
  @Field({ description: 'The subject.', defaultValue: '' })
  @IsString()
  @MaxLength(LIMITS.subject)
  subject: string;

  @Field({ description: 'The first message.' })
  @IsString()
  @MaxLength(LIMITS.body)
  body: string;

  @Field(() => Channel, { description: 'The channel it arrives on.', defaultValue: Channel.API })
  @IsEnum(Channel)
  channel: Channel;

  @Field(() => CustomerTier, { description: "The customer's tier; STANDARD unless given.", defaultValue: CustomerTier.STANDARD })
  @IsEnum(CustomerTier)
  tier: CustomerTier;

  @Field({ description: 'An order number, when the ticket names one.', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.ref)
  orderRef?: string;
}

@ObjectType({ description: 'A routing rule that matched a ticket, and why.' })
export class MatchedRule {
  @Field(() => ID, { description: "The rule's id." })
  id: string;

  @Field({ description: 'The rule\'s name, e.g. "المدفوعات — Payments".' })
  name: string;

  @Field({ description: 'The phrase that matched.' })
  phrase: string;
}

@ObjectType({ description: 'What routing would decide for a ticket, with the reasons, without creating anything.' })
export class RoutingPreview {
  @Field(() => TicketCategory, { description: 'The category the rules give.' })
  category: TicketCategory;

  @Field({ description: 'Why, e.g. the rule and phrase that matched, or "no rule matched".' })
  categoryReason: string;

  @Field(() => MatchedRule, { description: 'The routing rule that decided the category; null when none matched.', nullable: true })
  matchedRule: MatchedRule | null;

  @Field(() => TicketPriority, { description: 'The priority computed.' })
  priority: TicketPriority;

  @Field(() => [String], { description: 'Each step of the priority, e.g. "PAYMENT: starts at HIGH", "VIP customer".' })
  priorityReasons: string[];

  @Field(() => Team, { description: 'The team that would get the ticket; null when none owns the category and there is no default team.', nullable: true })
  team: Team | null;

  @Field({ description: 'Why that team.' })
  teamReason: string;
}
