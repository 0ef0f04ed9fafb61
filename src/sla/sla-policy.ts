import { addBusinessTime, BusinessCalendar, businessTimeBetween, CalendarError } from './business-hours';

/**
 * SLA policies and deadline arithmetic. Pure: the service stores what these functions decide.
 * Enum-like values are plain strings so this file has no imports from other modules.
 */
export type SlaClock = 'BUSINESS' | 'CALENDAR';
export type SlaTargetKind = 'FIRST_RESPONSE' | 'NEXT_RESPONSE' | 'RESOLUTION';
export type SlaTargetStatus = 'ACTIVE' | 'PAUSED' | 'MET' | 'BREACHED';

export interface TargetSpec {
  seconds: number;
  clock: SlaClock;
}

export interface PolicyConditions {
  channels?: string[];
  categories?: string[];
  priorities?: string[];
  tiers?: string[];
  /** Matches when the ticket has any of these tags. */
  tags?: string[];
}

export interface SlaPolicySpec {
  name: string;
  /** Lower runs first; the first policy whose conditions all hold applies. */
  position: number;
  conditions: PolicyConditions;
  firstResponse?: TargetSpec;
  nextResponse?: TargetSpec;
  resolution?: TargetSpec;
  /** Percent of a target's time after which a warning fires. */
  warnAtPercent: number;
  /** Statuses during which the clocks stop (PENDING: waiting on the customer). */
  pauseWhile: string[];
}

export interface TicketFacts {
  channel: string;
  category: string;
  priority: string;
  tier: string;
  tags: string[];
}

const MINUTE = 60;
const HOUR = 3600;
/** A business day is the default week's 8 hours. */
const BUSINESS_DAY = 8 * HOUR;

const business = (seconds: number): TargetSpec => ({ seconds, clock: 'BUSINESS' });
const calendar = (seconds: number): TargetSpec => ({ seconds, clock: 'CALENDAR' });

/** The defaults of the design notes, seeded for every new store. */
export const DEFAULT_POLICIES: SlaPolicySpec[] = [
  {
    name: 'محادثة مباشرة — Live chat',
    position: 10,
    conditions: { channels: ['CHAT'] },
    firstResponse: calendar(5 * MINUTE),
    nextResponse: calendar(5 * MINUTE),
    resolution: business(BUSINESS_DAY),
    warnAtPercent: 80,
    pauseWhile: ['PENDING'],
  },
  {
    // A missed call is a promise to call back: an hour, ahead of the channel's own target.
    name: 'معاودة الاتصال — Call-backs after a missed call',
    position: 15,
    conditions: { tags: ['call-back'] },
    firstResponse: business(1 * HOUR),
    nextResponse: business(4 * HOUR),
    resolution: business(BUSINESS_DAY),
    warnAtPercent: 80,
    pauseWhile: ['PENDING'],
  },
  {
    name: 'عملاء VIP — VIP customers',
    position: 20,
    conditions: { tiers: ['VIP'] },
    firstResponse: business(30 * MINUTE),
    nextResponse: business(1 * HOUR),
    resolution: business(BUSINESS_DAY),
    warnAtPercent: 80,
    pauseWhile: ['PENDING'],
  },
  {
    name: 'الرسائل الاجتماعية — WhatsApp, Instagram, X, Facebook',
    position: 30,
    conditions: { channels: ['WHATSAPP', 'INSTAGRAM', 'X', 'FACEBOOK'] },
    firstResponse: business(15 * MINUTE),
    nextResponse: business(30 * MINUTE),
    resolution: business(BUSINESS_DAY),
    warnAtPercent: 80,
    pauseWhile: ['PENDING'],
  },
  {
    name: 'البريد الإلكتروني — Email',
    position: 40,
    conditions: { channels: ['EMAIL'] },
    firstResponse: business(1 * HOUR),
    nextResponse: business(4 * HOUR),
    resolution: business(2 * BUSINESS_DAY),
    warnAtPercent: 80,
    pauseWhile: ['PENDING'],
  },
  {
    name: 'التذاكر — Tickets, web form, API, phone, comments',
    position: 50,
    conditions: {},
    firstResponse: business(4 * HOUR),
    nextResponse: business(8 * HOUR),
    resolution: business(3 * BUSINESS_DAY),
    warnAtPercent: 80,
    pauseWhile: ['PENDING'],
  },
];

const allows = (list: string[] | undefined, value: string) => !list?.length || list.includes(value);

export function policyMatches(policy: Pick<SlaPolicySpec, 'conditions'>, ticket: TicketFacts): boolean {
  const c = policy.conditions;
  return (
    allows(c.channels, ticket.channel) &&
    allows(c.categories, ticket.category) &&
    allows(c.priorities, ticket.priority) &&
    allows(c.tiers, ticket.tier) &&
    (!c.tags?.length || c.tags.some((tag) => ticket.tags.includes(tag)))
  );
}

/** The first policy, by position, whose conditions hold; undefined when none does. */
export function matchPolicy<P extends Pick<SlaPolicySpec, 'conditions' | 'position'>>(policies: readonly P[], ticket: TicketFacts): P | undefined {
  return [...policies].sort((a, b) => a.position - b.position).find((policy) => policyMatches(policy, ticket));
}

/**
 * When a target started at `start` is due. A stored calendar without enough open time (saved before
 * such calendars were refused) counts calendar time instead: a deadline must never stop intake.
 */
export function dueAt(start: Date, target: TargetSpec, cal: BusinessCalendar): Date {
  if (target.clock === 'CALENDAR') return new Date(start.getTime() + target.seconds * 1000);
  try {
    return addBusinessTime(start, target.seconds, cal);
  } catch (error) {
    if (error instanceof CalendarError) return new Date(start.getTime() + target.seconds * 1000);
    throw error;
  }
}

/** When the warning for a target started at `start` fires (warnAtPercent of its time). */
export function warningAt(start: Date, target: TargetSpec, warnAtPercent: number, cal: BusinessCalendar): Date {
  return dueAt(start, { ...target, seconds: Math.floor((target.seconds * warnAtPercent) / 100) }, cal);
}

/** Time left until `due` on the target's clock, negative once overdue (calendar seconds then). */
export function remainingSeconds(now: Date, due: Date, clock: SlaClock, cal: BusinessCalendar): number {
  if (due <= now) return -Math.round((now.getTime() - due.getTime()) / 1000);
  return clock === 'CALENDAR' ? Math.round((due.getTime() - now.getTime()) / 1000) : businessTimeBetween(now, due, cal);
}

/**
 * After a pause, the clock resumes with exactly the time that was left when it stopped: a ticket
 * paused with 2 business hours left is due 2 business hours after it resumes.
 */
export function resumeDue(pausedAt: Date, due: Date, resumedAt: Date, clock: SlaClock, cal: BusinessCalendar): Date {
  const left = remainingSeconds(pausedAt, due, clock, cal);
  if (left <= 0) return due;
  return dueAt(resumedAt, { seconds: left, clock }, cal);
}
