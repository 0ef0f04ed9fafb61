import { DateTime } from 'luxon';

/**
 * KPI formulas, pure. Percentiles interpolate linearly between ranks — the definition of
 * PostgreSQL's percentile_cont. Rolled-up durations are kept as log-bucket histograms
 * (DDSketch-style, 1% relative accuracy), which merge across days and groups by adding counts.
 */

/** The p-th percentile (0 ≤ p ≤ 1) of values; null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (p < 0 || p > 1) throw new RangeError(`percentile must be within [0, 1], got ${p}`);
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * p;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

export interface Summary {
  count: number;
  average: number | null;
  median: number | null;
  p90: number | null;
}

/** Count, average, median and 90th percentile of durations (seconds). */
export function summarise(values: readonly number[]): Summary {
  if (values.length === 0) return { count: 0, average: null, median: null, p90: null };
  return {
    count: values.length,
    average: values.reduce((sum, v) => sum + v, 0) / values.length,
    median: percentile(values, 0.5),
    p90: percentile(values, 0.9),
  };
}

/** A share in [0, 1]; null when nothing was counted (an empty group has no rate, not 0%). */
export function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

export interface ResolutionFacts {
  solved: boolean;
  publicAgentReplies: number;
  reopens: number;
}

/**
 * First contact resolution: the ticket was solved with exactly one public agent reply and never
 * reopened. The rate is over solved tickets.
 */
export function resolvedOnFirstContact(ticket: ResolutionFacts): boolean {
  return ticket.solved && ticket.publicAgentReplies === 1 && ticket.reopens === 0;
}

export function firstContactResolutionRate(tickets: readonly ResolutionFacts[]): number | null {
  const solved = tickets.filter((t) => t.solved);
  return rate(solved.filter(resolvedOnFirstContact).length, solved.length);
}

/** CSAT: the share of ratings 4 or 5 among all ratings (1–5 scale). */
export function csat(ratings: readonly number[]): number | null {
  if (ratings.some((r) => !Number.isInteger(r) || r < 1 || r > 5)) throw new RangeError('CSAT ratings are integers from 1 to 5');
  return rate(ratings.filter((r) => r >= 4).length, ratings.length);
}

/** Whether a rate reaches its goal (null when there is nothing to judge). */
export function meetsGoal(value: number | null, goal: number): boolean | null {
  return value === null ? null : value >= goal;
}

export type Bucket = 'HOUR' | 'DAY' | 'WEEK' | 'MONTH';

/**
 * The start of the bucket an instant falls in, in the store's time zone, as an ISO date-time with
 * offset. Weeks start on Sunday, as the Saudi working week does.
 */
export function bucketStart(at: Date, bucket: Bucket, timeZone: string): string {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  let start: DateTime;
  switch (bucket) {
    case 'HOUR':
      start = local.startOf('hour');
      break;
    case 'DAY':
      start = local.startOf('day');
      break;
    case 'WEEK':
      start = local.startOf('day').minus({ days: local.weekday % 7 });
      break;
    case 'MONTH':
      start = local.startOf('month');
      break;
  }
  return start.toISO({ suppressMilliseconds: true })!;
}

/**
 * Bucket i of a duration histogram holds (γ^(i-1), γ^i] seconds, for i of any sign: bucket 0 is
 * (0.98 s, 1 s], bucket -80 about 0.2 s. Durations of a millisecond or less (a reply stamped with
 * its ticket, a clock a little behind) are ZERO_BUCKET, read as 0. Matches kpi_bucket() in SQL.
 */
export const HISTOGRAM_GAMMA = 101 / 99;
export const HISTOGRAM_MIN_SECONDS = 0.001;
export const ZERO_BUCKET = -1000;

/** The bucket's representative: within 1% of every value in it (0 for ZERO_BUCKET). */
export function bucketValue(bucket: number): number {
  return bucket === ZERO_BUCKET ? 0 : (2 * HISTOGRAM_GAMMA ** bucket) / (HISTOGRAM_GAMMA + 1);
}

/** For tests and for reading: the bucket a duration falls in (as kpi_bucket() computes it). */
export function bucketOf(seconds: number): number {
  // "|| 0": a value just under 1 s would otherwise be bucket -0.
  return seconds <= HISTOGRAM_MIN_SECONDS ? ZERO_BUCKET : Math.ceil(Math.log(seconds) / Math.log(HISTOGRAM_GAMMA)) || 0;
}

/** bucket → count; counts may arrive in several pieces (days, pending changes) and are added up. */
export type Histogram = Map<number, number>;

export function addToHistogram(histogram: Histogram, bucket: number, count: number): void {
  histogram.set(bucket, (histogram.get(bucket) ?? 0) + count);
}

/**
 * The p-th percentile of a histogram, interpolated between ranks like percentile_cont but with
 * each value read as its bucket's representative: within 1% of the exact percentile.
 */
export function histogramPercentile(histogram: Histogram, p: number): number | null {
  if (p < 0 || p > 1) throw new RangeError(`percentile must be within [0, 1], got ${p}`);
  const buckets = [...histogram.entries()].filter(([, count]) => count > 0).sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return null;
  const position = (total - 1) * p;
  const valueAtRank = (rank: number) => {
    let seen = 0;
    for (const [bucket, count] of buckets) {
      seen += count;
      if (rank < seen) return bucketValue(bucket);
    }
    return bucketValue(buckets[buckets.length - 1][0]);
  };
  const lower = valueAtRank(Math.floor(position));
  const upper = valueAtRank(Math.ceil(position));
  return lower + (upper - lower) * (position - Math.floor(position));
}

/** Count, exact average (from the sum) and histogram median and p90. */
export function summariseHistogram(count: number, sum: number, histogram: Histogram): Summary {
  if (count <= 0) return { count: 0, average: null, median: null, p90: null };
  return { count, average: sum / count, median: histogramPercentile(histogram, 0.5), p90: histogramPercentile(histogram, 0.9) };
}

/** Additive counts of a group of tickets, as stored in rollups and deltas. */
export interface KpiCounts {
  created: number;
  solved: number;
  reopened: number;
  fcr: number;
  frsMet: number;
  frsBreached: number;
  slaBreached: number;
  messages: number;
  csatSent: number;
  csatResponses: number;
  csatSatisfied: number;
  withOrder: number;
  opensOrder: number;
  frtCount: number;
  frtSum: number;
  frtBusinessCount: number;
  frtBusinessSum: number;
  resolutionCount: number;
  resolutionSum: number;
  nextMet: number;
  nextBreached: number;
  resolutionMet: number;
  resolutionBreached: number;
  npsResponses: number;
  npsPromoters: number;
  npsDetractors: number;
}

export const KPI_COUNT_KEYS: ReadonlyArray<keyof KpiCounts> = [
  'created',
  'solved',
  'reopened',
  'fcr',
  'frsMet',
  'frsBreached',
  'slaBreached',
  'messages',
  'csatSent',
  'csatResponses',
  'csatSatisfied',
  'withOrder',
  'opensOrder',
  'frtCount',
  'frtSum',
  'frtBusinessCount',
  'frtBusinessSum',
  'resolutionCount',
  'resolutionSum',
  'nextMet',
  'nextBreached',
  'resolutionMet',
  'resolutionBreached',
  'npsResponses',
  'npsPromoters',
  'npsDetractors',
];

export const emptyCounts = (): KpiCounts => Object.fromEntries(KPI_COUNT_KEYS.map((k) => [k, 0])) as unknown as KpiCounts;

export interface KpiGoals {
  firstContactResolution: number;
  firstReplySla: number;
  nextReplySla: number;
  resolutionSla: number;
  csat: number;
}

/** The design notes' goals: FCR 75%, 80% of first replies within target (held for the other targets too), CSAT 90%. */
export const DEFAULT_KPI_GOALS: KpiGoals = { firstContactResolution: 0.75, firstReplySla: 0.8, nextReplySla: 0.8, resolutionSla: 0.8, csat: 0.9 };

export type SlaCompliance = GoalRate & { met: number; breached: number };

export interface GoalRate {
  rate: number | null;
  goal: number;
  goalMet: boolean | null;
}

export interface KpiSummary {
  created: number;
  solved: number;
  reopened: number;
  reopenRate: number | null;
  firstResponse: Summary;
  firstResponseBusiness: Summary;
  resolution: Summary;
  firstContactResolution: GoalRate;
  firstReplySla: SlaCompliance;
  nextReplySla: SlaCompliance;
  resolutionSla: SlaCompliance;
  slaBreached: number;
  csat: GoalRate & { sent: number; responses: number; responseRate: number | null };
  nps: NetPromoterScore;
  messagesPerTicket: number | null;
  ticketsWithOrder: number;
  ticketsPerOrder: number | null;
}

export interface DurationHistograms {
  frt: Histogram;
  frtBusiness: Histogram;
  resolution: Histogram;
}

export const emptyHistograms = (): DurationHistograms => ({ frt: new Map(), frtBusiness: new Map(), resolution: new Map() });

const goalRate = (value: number | null, goal: number): GoalRate => ({ rate: value, goal, goalMet: meetsGoal(value, goal) });

/** Targets met over targets met or breached (still running or paused ones are not counted yet). */
const slaCompliance = (met: number, breached: number, goal: number): SlaCompliance => ({ ...goalRate(rate(met, met + breached), goal), met, breached });

/** The KPIs of a group from its additive counts and duration histograms. */
export function summariseKpis(c: KpiCounts, histograms: DurationHistograms, goals: KpiGoals = DEFAULT_KPI_GOALS): KpiSummary {
  const satisfaction = rate(c.csatSatisfied, c.csatResponses);
  return {
    created: c.created,
    solved: c.solved,
    reopened: c.reopened,
    reopenRate: rate(c.reopened, c.created),
    firstResponse: summariseHistogram(c.frtCount, c.frtSum, histograms.frt),
    firstResponseBusiness: summariseHistogram(c.frtBusinessCount, c.frtBusinessSum, histograms.frtBusiness),
    resolution: summariseHistogram(c.resolutionCount, c.resolutionSum, histograms.resolution),
    firstContactResolution: goalRate(rate(c.fcr, c.solved), goals.firstContactResolution),
    firstReplySla: slaCompliance(c.frsMet, c.frsBreached, goals.firstReplySla),
    nextReplySla: slaCompliance(c.nextMet, c.nextBreached, goals.nextReplySla),
    resolutionSla: slaCompliance(c.resolutionMet, c.resolutionBreached, goals.resolutionSla),
    slaBreached: c.slaBreached,
    csat: { ...goalRate(satisfaction, goals.csat), sent: c.csatSent, responses: c.csatResponses, responseRate: rate(c.csatResponses, c.csatSent) },
    nps: netPromoterScore(c.npsPromoters, c.npsDetractors, c.npsResponses),
    messagesPerTicket: rate(c.messages, c.created),
    ticketsWithOrder: c.withOrder,
    ticketsPerOrder: rate(c.withOrder, c.opensOrder),
  };
}

/** Growth against the previous period: +0.5 is 50% more; null when the previous period had none. */
export function growth(current: number, previous: number): number | null {
  return previous === 0 ? null : (current - previous) / previous;
}

export interface FrictionCount {
  key: string;
  tickets: number;
  previousTickets: number;
  growth: number | null;
}

/**
 * Orders friction points. TICKETS: most tickets first. INCREASE: most added tickets over the
 * previous period first (a rise from 100 to 150 outranks one from 2 to 6). GROWTH: fastest relative
 * growth first, sources new this period (no growth rate) ahead of all, by tickets. Ties go to the
 * larger source, then by key.
 */
export function rankFriction<T extends FrictionCount>(points: readonly T[], by: 'TICKETS' | 'INCREASE' | 'GROWTH'): T[] {
  const measure = (p: T): number => (by === 'TICKETS' ? p.tickets : by === 'INCREASE' ? p.tickets - p.previousTickets : (p.growth ?? Number.POSITIVE_INFINITY));
  return [...points].sort((a, b) => {
    const ma = measure(a);
    const mb = measure(b);
    return (ma === mb ? 0 : mb > ma ? 1 : -1) || b.tickets - a.tickets || a.key.localeCompare(b.key);
  });
}

export interface NetPromoterScore {
  /** −100 … +100; null without answers. */
  score: number | null;
  responses: number;
  promoters: number;
  detractors: number;
}

/** NPS: the share of promoters (9–10) minus the share of detractors (0–6), in points; passives (7–8) count in neither. */
export function netPromoterScore(promoters: number, detractors: number, responses: number): NetPromoterScore {
  return { score: responses === 0 ? null : ((promoters - detractors) / responses) * 100, responses, promoters, detractors };
}
