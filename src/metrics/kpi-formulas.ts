import { DateTime } from 'luxon';

/**
 * KPI formulas, pure. Percentiles interpolate linearly between ranks — the definition of
 * PostgreSQL's percentile_cont — so numbers computed here and in SQL rollups agree exactly.
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
