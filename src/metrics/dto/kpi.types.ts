import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsArray, IsDate, IsEnum, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import '../../tickets/graphql-enums';
import { Channel, CustomerTier, TicketCategory, TicketPriority } from '../../tickets/ticket-enums';

export enum KpiGroupBy {
  NONE = 'NONE',
  CHANNEL = 'CHANNEL',
  CATEGORY = 'CATEGORY',
  PRIORITY = 'PRIORITY',
  TEAM = 'TEAM',
  AGENT = 'AGENT',
  TAG = 'TAG',
  PRODUCT = 'PRODUCT',
  CUSTOMER_TIER = 'CUSTOMER_TIER',
  HOUR = 'HOUR',
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}
registerEnumType(KpiGroupBy, { name: 'KpiGroupBy', description: 'Time buckets are in the store time zone; weeks start on Sunday.' });

@InputType()
export class KpiFilterInput {
  @Field({ description: 'Tickets created at or after.' })
  @IsDate()
  from: Date;

  @Field({ description: 'Tickets created before.' })
  @IsDate()
  to: Date;

  @Field(() => [Channel], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(Channel, { each: true })
  channel?: Channel[];

  @Field(() => [TicketCategory], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(TicketCategory, { each: true })
  category?: TicketCategory[];

  @Field(() => [TicketPriority], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(TicketPriority, { each: true })
  priority?: TicketPriority[];

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  teamId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  assigneeId?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  tag?: string;

  @Field({ nullable: true, description: 'The product (productRef) tickets are about.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  product?: string;

  @Field(() => [CustomerTier], { nullable: true, description: 'The tier the customer had when the ticket was created.' })
  @IsOptional()
  @IsArray()
  @IsEnum(CustomerTier, { each: true })
  customerTier?: CustomerTier[];
}

@ObjectType()
export class DurationStats {
  @Field(() => Int)
  count: number;

  @Field(() => Float, { nullable: true, description: 'Seconds, exact.' })
  average: number | null;

  @Field(() => Float, { nullable: true, description: 'Seconds, within 1% (log-bucket histograms).' })
  median: number | null;

  @Field(() => Float, { nullable: true, description: 'Seconds, within 1% (log-bucket histograms).' })
  p90: number | null;
}

@ObjectType()
export class GoalRate {
  @Field(() => Float, { nullable: true, description: 'A share in [0, 1]; null when nothing was counted.' })
  rate: number | null;

  @Field(() => Float)
  goal: number;

  @Field(() => Boolean, { nullable: true })
  goalMet: boolean | null;
}

@ObjectType()
export class SlaCompliance extends GoalRate {
  @Field(() => Int)
  met: number;

  @Field(() => Int)
  breached: number;
}

@ObjectType()
export class CsatKpi extends GoalRate {
  @Field(() => Int, { description: 'Tickets whose survey was sent.' })
  sent: number;

  @Field(() => Int)
  responses: number;

  @Field(() => Float, { nullable: true })
  responseRate: number | null;
}

@ObjectType()
export class NpsKpi {
  @Field(() => Float, { nullable: true, description: 'Net Promoter Score, −100 to +100: promoters (9–10) minus detractors (0–6), as shares of the answers.' })
  score: number | null;

  @Field(() => Int)
  responses: number;

  @Field(() => Int)
  promoters: number;

  @Field(() => Int)
  detractors: number;
}

@ObjectType()
export class KpiGroup {
  @Field(() => String, {
    nullable: true,
    description:
      'The group: a channel, category, priority, team or agent id, tag, product or customer tier, or a bucket start (ISO with offset); null for NONE or for "none" (no team, agent or product).',
  })
  key: string | null;

  @Field(() => Int)
  created: number;

  @Field(() => Int)
  solved: number;

  @Field(() => Int, { description: 'Tickets reopened at least once.' })
  reopened: number;

  @Field(() => Float, { nullable: true })
  reopenRate: number | null;

  @Field(() => Int, { nullable: true, description: 'Open tickets at the end of the last day of the group (or period); null for HOUR or questions answered by a scan.' })
  backlog: number | null;

  @Field(() => DurationStats, { description: 'Creation to first public agent reply, calendar time.' })
  firstResponse: DurationStats;

  @Field(() => DurationStats, { description: 'Creation to first public agent reply, in the store business hours.' })
  firstResponseBusiness: DurationStats;

  @Field(() => DurationStats, { description: 'Creation to solved.' })
  resolution: DurationStats;

  @Field(() => GoalRate, { description: 'Solved with exactly one public agent reply and never reopened, over solved tickets (goal 75%).' })
  firstContactResolution: GoalRate;

  @Field(() => SlaCompliance, { description: 'First replies within their SLA target, over targets met or breached (goal 80%).' })
  firstReplySla: SlaCompliance;

  @Field(() => SlaCompliance, { description: 'Rounds of next reply (each customer message after an answer): met over met or breached (goal 80%).' })
  nextReplySla: SlaCompliance;

  @Field(() => SlaCompliance, { description: 'Resolution targets met over met or breached (goal 80%).' })
  resolutionSla: SlaCompliance;

  @Field(() => CsatKpi, { description: 'Share of ratings 4–5 among all ratings of the latest survey per ticket (goal 90%).' })
  csat: CsatKpi;

  @Field(() => NpsKpi, { description: 'From the surveys that asked "how likely are you to recommend us?" (0–10), latest per ticket.' })
  nps: NpsKpi;

  @Field(() => Int, { description: 'Tickets with any SLA target breached.' })
  slaBreached: number;

  @Field(() => Float, { nullable: true })
  messagesPerTicket: number | null;

  @Field(() => Int)
  ticketsWithOrder: number;

  @Field(() => Float, { nullable: true, description: 'Tickets about an order per order whose first ticket is in the group.' })
  ticketsPerOrder: number | null;
}

export enum FrictionDimension {
  CATEGORY = 'CATEGORY',
  TAG = 'TAG',
  PRODUCT = 'PRODUCT',
  KEYWORD = 'KEYWORD',
  CHANNEL = 'CHANNEL',
}
registerEnumType(FrictionDimension, { name: 'FrictionDimension', description: 'KEYWORD: normalised content words of the first message.' });

export enum FrictionRank {
  TICKETS = 'TICKETS',
  INCREASE = 'INCREASE',
  GROWTH = 'GROWTH',
}
registerEnumType(FrictionRank, {
  name: 'FrictionRank',
  description: 'TICKETS: most tickets first. INCREASE: most tickets added over the previous period first. GROWTH: fastest relative growth first, sources new this period ahead.',
});

@ObjectType({ description: 'A source of tickets, compared with the period of the same length just before.' })
export class FrictionPoint {
  @Field()
  key: string;

  @Field(() => Int)
  tickets: number;

  @Field(() => Int)
  previousTickets: number;

  @Field(() => Float, { nullable: true, description: '+0.5 = 50% more than the previous period; null when it had none.' })
  growth: number | null;
}

@ObjectType()
export class AgentScorecard {
  @Field(() => ID)
  agentId: string;

  @Field(() => KpiGroup, { description: 'KPIs of the tickets created in the period and assigned to the agent.' })
  kpis: KpiGroup;

  @Field(() => Int, { description: 'Open tickets assigned now (of the channels, categories … the filter names; its period aside).' })
  openTickets: number;

  @Field(() => Int, { description: 'Of them, breaching an SLA now.' })
  openBreached: number;
}

@ObjectType()
export class TeamScorecard {
  @Field(() => ID)
  teamId: string;

  @Field(() => KpiGroup)
  kpis: KpiGroup;

  @Field(() => Int)
  openTickets: number;

  @Field(() => Int)
  openBreached: number;
}

@ObjectType({ description: "The store's goals, as shares in [0, 1]; every KPI group reports against them." })
export class KpiGoals {
  @Field(() => Float, { description: 'Default 0.75.' })
  firstContactResolution: number;

  @Field(() => Float, { description: 'Default 0.8 (80% of first replies within target).' })
  firstReplySla: number;

  @Field(() => Float, { description: 'Default 0.8.' })
  nextReplySla: number;

  @Field(() => Float, { description: 'Default 0.8.' })
  resolutionSla: number;

  @Field(() => Float, { description: 'Default 0.9.' })
  csat: number;
}

@InputType({ description: 'Only the goals given change.' })
export class UpdateKpiGoalsInput {
  @Field(() => Float, { nullable: true })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  firstContactResolution?: number;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  firstReplySla?: number;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  nextReplySla?: number;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  resolutionSla?: number;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  csat?: number;
}
