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
registerEnumType(KpiGroupBy, {
  valuesMap: {
    AGENT: { description: 'One group per assignee (key: agent id, null for unassigned).' },
    CATEGORY: { description: 'One group per ticket category.' },
    CHANNEL: { description: 'One group per channel.' },
    CUSTOMER_TIER: { description: 'One group per customer tier at creation.' },
    DAY: { description: 'One group per day (store time zone).' },
    HOUR: { description: 'One group per hour (store time zone).' },
    MONTH: { description: 'One group per calendar month (store time zone).' },
    NONE: { description: 'One group for the whole period.' },
    PRIORITY: { description: 'One group per priority.' },
    PRODUCT: { description: 'One group per productRef (null for none).' },
    TAG: { description: 'One group per tag (a ticket with several tags counts in each).' },
    TEAM: { description: 'One group per team (null for none).' },
    WEEK: { description: 'One group per week, starting Sunday (store time zone).' },
  },
  name: 'KpiGroupBy',
  description: 'Time buckets are in the store time zone; weeks start on Sunday.',
});

@InputType({ description: 'Which tickets KPIs count: those created in [from, to) and matching every other field given.' })
export class KpiFilterInput {
  @Field({ description: 'Tickets created at or after.' })
  @IsDate()
  from: Date;

  @Field({ description: 'Tickets created before.' })
  @IsDate()
  to: Date;

  @Field(() => [Channel], { description: 'Only tickets from these channels.', nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(Channel, { each: true })
  channel?: Channel[];

  @Field(() => [TicketCategory], { description: 'Only tickets of these categories.', nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(TicketCategory, { each: true })
  category?: TicketCategory[];

  @Field(() => [TicketPriority], { description: 'Only tickets of these priorities.', nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(TicketPriority, { each: true })
  priority?: TicketPriority[];

  @Field(() => ID, { description: 'Only tickets of this team.', nullable: true })
  @IsOptional()
  @IsUUID()
  teamId?: string;

  @Field(() => ID, { description: 'Only tickets assigned to this agent.', nullable: true })
  @IsOptional()
  @IsUUID()
  assigneeId?: string;

  @Field({ description: 'Only tickets carrying this tag.', nullable: true })
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

@ObjectType({ description: 'Statistics of a duration over the tickets of a KPI group; values are in seconds.' })
export class DurationStats {
  @Field(() => Int, { description: 'How many tickets had the duration (e.g. got a first reply).' })
  count: number;

  @Field(() => Float, { nullable: true, description: 'Seconds, exact.' })
  average: number | null;

  @Field(() => Float, { nullable: true, description: 'Seconds, within 1% (log-bucket histograms).' })
  median: number | null;

  @Field(() => Float, { nullable: true, description: 'Seconds, within 1% (log-bucket histograms).' })
  p90: number | null;
}

@ObjectType({ description: "A rate measured against one of the store's goals." })
export class GoalRate {
  @Field(() => Float, { nullable: true, description: 'A share in [0, 1]; null when nothing was counted.' })
  rate: number | null;

  @Field(() => Float, { description: "The store's goal, a share in [0, 1]." })
  goal: number;

  @Field(() => Boolean, { description: 'Whether rate reaches goal; null when nothing was counted.', nullable: true })
  goalMet: boolean | null;
}

@ObjectType({ description: "How often an SLA target was met, against the store's goal." })
export class SlaCompliance extends GoalRate {
  @Field(() => Int, { description: 'Targets met in time.' })
  met: number;

  @Field(() => Int, { description: 'Targets breached.' })
  breached: number;
}

@ObjectType({ description: "Customer satisfaction of a KPI group against the store's goal." })
export class CsatKpi extends GoalRate {
  @Field(() => Int, { description: 'Tickets whose survey was sent.' })
  sent: number;

  @Field(() => Int, { description: 'Surveys answered (the latest per ticket).' })
  responses: number;

  @Field(() => Float, { description: 'Answered surveys over sent surveys, in [0, 1]; null when none was sent.', nullable: true })
  responseRate: number | null;
}

@ObjectType({ description: 'Net Promoter Score of a KPI group, from surveys that asked the 0–10 question.' })
export class NpsKpi {
  @Field(() => Float, { nullable: true, description: 'Net Promoter Score, −100 to +100: promoters (9–10) minus detractors (0–6), as shares of the answers.' })
  score: number | null;

  @Field(() => Int, { description: 'Answers counted (the latest per ticket).' })
  responses: number;

  @Field(() => Int, { description: 'Answers 9–10.' })
  promoters: number;

  @Field(() => Int, { description: 'Answers 0–6.' })
  detractors: number;
}

@ObjectType({ description: 'KPIs of the tickets of one group (or of the whole period when not grouped).' })
export class KpiGroup {
  @Field(() => String, {
    nullable: true,
    description:
      'The group: a channel, category, priority, team or agent id, tag, product or customer tier, or a bucket start (ISO with offset); null for NONE or for "none" (no team, agent or product).',
  })
  key: string | null;

  @Field(() => Int, { description: 'Tickets created in the group.' })
  created: number;

  @Field(() => Int, { description: 'Tickets of the group solved (now SOLVED or CLOSED).' })
  solved: number;

  @Field(() => Int, { description: 'Tickets reopened at least once.' })
  reopened: number;

  @Field(() => Float, { description: 'Reopened / solved, in [0, 1]; null when nothing was solved.', nullable: true })
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

  @Field(() => Float, { description: 'Messages per ticket, customer and agent, internal notes excluded; null when no tickets.', nullable: true })
  messagesPerTicket: number | null;

  @Field(() => Int, { description: 'Tickets that name an order (orderRef).' })
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
registerEnumType(FrictionDimension, {
  valuesMap: {
    CATEGORY: { description: 'By ticket category.' },
    CHANNEL: { description: 'By channel.' },
    KEYWORD: { description: 'By the normalised content words of the first message.' },
    PRODUCT: { description: 'By productRef.' },
    TAG: { description: 'By tag.' },
  },
  name: 'FrictionDimension',
  description: 'KEYWORD: normalised content words of the first message.',
});

export enum FrictionRank {
  TICKETS = 'TICKETS',
  INCREASE = 'INCREASE',
  GROWTH = 'GROWTH',
}
registerEnumType(FrictionRank, {
  valuesMap: {
    GROWTH: { description: 'Fastest relative growth first; sources new this period ahead.' },
    INCREASE: { description: 'Most tickets added over the previous period first.' },
    TICKETS: { description: 'Most tickets first.' },
  },
  name: 'FrictionRank',
  description: 'TICKETS: most tickets first. INCREASE: most tickets added over the previous period first. GROWTH: fastest relative growth first, sources new this period ahead.',
});

@ObjectType({ description: 'A source of tickets, compared with the period of the same length just before.' })
export class FrictionPoint {
  @Field({ description: 'The category, channel, keyword, product or tag.' })
  key: string;

  @Field(() => Int, { description: 'Tickets created in the period.' })
  tickets: number;

  @Field(() => Int, { description: 'Tickets in the period of the same length just before.' })
  previousTickets: number;

  @Field(() => Float, { nullable: true, description: '+0.5 = 50% more than the previous period; null when it had none.' })
  growth: number | null;
}

@ObjectType({ description: "One agent's KPIs for a period, with their open workload now." })
export class AgentScorecard {
  @Field(() => ID, { description: "The agent's id (kept when the agent was removed)." })
  agentId: string;

  @Field(() => KpiGroup, { description: 'KPIs of the tickets created in the period and assigned to the agent.' })
  kpis: KpiGroup;

  @Field(() => Int, { description: 'Open tickets assigned now (of the channels, categories … the filter names; its period aside).' })
  openTickets: number;

  @Field(() => Int, { description: 'Of them, breaching an SLA now.' })
  openBreached: number;
}

@ObjectType({ description: "One team's KPIs for a period, with its open workload now." })
export class TeamScorecard {
  @Field(() => ID, { description: "The team's id." })
  teamId: string;

  @Field(() => KpiGroup, { description: 'KPIs of the tickets created in the period and owned by the team.' })
  kpis: KpiGroup;

  @Field(() => Int, { description: 'Open tickets of the team now.' })
  openTickets: number;

  @Field(() => Int, { description: 'Of them, breaching an SLA now.' })
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
  @Field(() => Float, { description: 'First contact resolution goal, a share in [0, 1].', nullable: true })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  firstContactResolution?: number;

  @Field(() => Float, { description: 'First reply SLA goal, a share in [0, 1].', nullable: true })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  firstReplySla?: number;

  @Field(() => Float, { description: 'Next reply SLA goal, a share in [0, 1].', nullable: true })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  nextReplySla?: number;

  @Field(() => Float, { description: 'Resolution SLA goal, a share in [0, 1].', nullable: true })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  resolutionSla?: number;

  @Field(() => Float, { description: 'CSAT goal, a share in [0, 1].', nullable: true })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  csat?: number;
}
