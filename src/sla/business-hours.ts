import { DateTime } from 'luxon';

/**
 * Business-time arithmetic over a store's calendar: weekly hours, holidays and date-range
 * overrides (Ramadan hours), in the store's time zone. Pure: no framework, no I/O.
 * Times of day are local ("HH:MM"); a range whose end is not after its start crosses midnight
 * (Ramadan's 21:00–01:00) and belongs to the day it starts on.
 */

export type Weekday = 'SUN' | 'MON' | 'TUE' | 'WED' | 'THU' | 'FRI' | 'SAT';
export const WEEKDAYS: readonly Weekday[] = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export interface TimeRange {
  /** "HH:MM", 00:00–23:59 */
  start: string;
  /** "HH:MM", or "24:00"; not after `start` means the next day */
  end: string;
}

export interface DateRange {
  /** ISO date in the store's time zone, inclusive */
  from: string;
  /** ISO date, inclusive; absent for a single day */
  to?: string;
  name?: string;
}

export interface HoursOverride extends DateRange {
  /** The hours of every day in the range; empty means closed. */
  hours: TimeRange[];
}

export interface BusinessCalendar {
  timeZone: string;
  weekly: Partial<Record<Weekday, TimeRange[]>>;
  holidays: DateRange[];
  overrides: HoursOverride[];
}

/** Saudi default: Sunday–Thursday 09:00–17:00, Friday and Saturday off, Asia/Riyadh. */
export const DEFAULT_CALENDAR: BusinessCalendar = {
  timeZone: 'Asia/Riyadh',
  weekly: Object.fromEntries(['SUN', 'MON', 'TUE', 'WED', 'THU'].map((d) => [d, [{ start: '09:00', end: '17:00' }]])),
  holidays: [],
  overrides: [],
};

export class CalendarError extends Error {}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Past this much calendar time without enough open hours, a deadline is refused rather than searched for. */
const SEARCH_LIMIT_DAYS = 800;
const DAY_MS = 86_400_000;

/** Problems a person can fix, each naming where it is; empty when the calendar is usable. */
export function validateCalendar(calendar: BusinessCalendar): string[] {
  const problems: string[] = [];
  if (!DateTime.local().setZone(calendar.timeZone).isValid) problems.push(`timeZone: unknown time zone "${calendar.timeZone}"`);
  const checkRanges = (ranges: TimeRange[], where: string) =>
    ranges.forEach((range, i) => {
      if (!TIME.test(range.start) || range.start === '24:00') problems.push(`${where}[${i}].start: expected HH:MM`);
      if (!TIME.test(range.end)) problems.push(`${where}[${i}].end: expected HH:MM or 24:00`);
      if (range.start === range.end) problems.push(`${where}[${i}]: start and end are equal`);
    });
  for (const [day, ranges] of Object.entries(calendar.weekly)) {
    if (!WEEKDAYS.includes(day as Weekday)) problems.push(`weekly.${day}: not a weekday`);
    checkRanges(ranges ?? [], `weekly.${day}`);
  }
  const checkDates = (range: DateRange, where: string) => {
    if (!DATE.test(range.from) || !DateTime.fromISO(range.from).isValid) problems.push(`${where}.from: expected YYYY-MM-DD`);
    if (range.to !== undefined && (!DATE.test(range.to) || !DateTime.fromISO(range.to).isValid)) problems.push(`${where}.to: expected YYYY-MM-DD`);
    if (range.to !== undefined && range.to < range.from) problems.push(`${where}: ends before it starts`);
  };
  calendar.holidays.forEach((h, i) => checkDates(h, `holidays[${i}]`));
  calendar.overrides.forEach((o, i) => {
    checkDates(o, `overrides[${i}]`);
    checkRanges(o.hours, `overrides[${i}].hours`);
  });
  // Every business-time deadline needs open time ahead; a closed week would stop all intake.
  if (!Object.values(calendar.weekly).some((ranges) => ranges?.length)) problems.push('weekly: the week has no open hours; open at least one day');
  return problems;
}

/** Whether any open time follows `at` within the search limit (holidays and overrides may close it all). */
export function hasOpenTimeAfter(at: Date, calendar: BusinessCalendar): boolean {
  try {
    addBusinessTime(at, 1, calendar);
    return true;
  } catch (error) {
    if (error instanceof CalendarError) return false;
    throw error;
  }
}

const covers = (range: DateRange, isoDate: string) => range.from <= isoDate && isoDate <= (range.to ?? range.from);

function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** The hours that apply on one local date: a holiday closes it, an override (the last matching) replaces the week. */
export function hoursOn(calendar: BusinessCalendar, day: DateTime): TimeRange[] {
  const iso = day.toISODate()!;
  if (calendar.holidays.some((h) => covers(h, iso))) return [];
  for (let i = calendar.overrides.length - 1; i >= 0; i--) {
    if (covers(calendar.overrides[i], iso)) return calendar.overrides[i].hours;
  }
  return calendar.weekly[WEEKDAYS[day.weekday % 7]] ?? [];
}

/**
 * Open intervals of one local day, memoised per calendar object: the same days are asked for again
 * and again (every ticket of a store, every sweep), and building them is most of the cost.
 */
const dayCache = new WeakMap<BusinessCalendar, Map<number, Array<[number, number]>>>();
const DAY_CACHE_LIMIT = 4000;

function intervalsOfDay(calendar: BusinessCalendar, day: DateTime): Array<[number, number]> {
  let days = dayCache.get(calendar);
  if (!days) dayCache.set(calendar, (days = new Map()));
  const key = day.toMillis();
  const cached = days.get(key);
  if (cached) return cached;
  const intervals: Array<[number, number]> = [];
  for (const range of hoursOn(calendar, day)) {
    const startMinutes = minutesOf(range.start);
    const endMinutes = minutesOf(range.end);
    const start = day.set({ hour: Math.floor(startMinutes / 60), minute: startMinutes % 60 });
    const endDay = endMinutes <= startMinutes ? day.plus({ days: 1 }) : day;
    const end = endMinutes === 1440 ? day.plus({ days: 1 }) : endDay.set({ hour: Math.floor(endMinutes / 60), minute: endMinutes % 60 });
    if (end.toMillis() > start.toMillis()) intervals.push([start.toMillis(), end.toMillis()]);
  }
  if (days.size >= DAY_CACHE_LIMIT) days.clear();
  days.set(key, intervals);
  return intervals;
}

/** Open intervals [start, end) in epoch ms that start on local days [firstDay, firstDay + days), merged. */
function openIntervals(calendar: BusinessCalendar, firstDay: DateTime, days: number): Array<[number, number]> {
  const intervals: Array<[number, number]> = [];
  for (let i = 0; i < days; i++) intervals.push(...intervalsOfDay(calendar, plusDays(firstDay, i)));
  intervals.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const interval of intervals) {
    const last = merged.at(-1);
    if (last && interval[0] <= last[1]) last[1] = Math.max(last[1], interval[1]);
    else merged.push([interval[0], interval[1]]);
  }
  return merged;
}

/**
 * Local days, memoised: luxon works a zone's offset out through Intl for every DateTime it makes
 * (9 % of a create's CPU in a profile, for its SLA deadlines), while every ticket of a store asks
 * for the same few days. The local day is the same for every instant of one quarter hour of UTC —
 * zones' offsets and their changes fall on quarter hours (local mean times before about 1950 aside)
 * — so a day is found by its zone and quarter-hour slot, and a day a number of days on by its own.
 */
const QUARTER_HOUR_MS = 15 * 60_000;
const DAY_MEMO_LIMIT = 4000;
const localDays = new Map<string, DateTime>();
const shiftedDays = new Map<string, DateTime>();

function memoised(table: Map<string, DateTime>, key: string, make: () => DateTime): DateTime {
  let day = table.get(key);
  if (!day) {
    if (table.size >= DAY_MEMO_LIMIT) table.clear();
    table.set(key, (day = make()));
  }
  return day;
}

export function localDay(ms: number, timeZone: string): DateTime {
  return memoised(localDays, `${timeZone} ${Math.floor(ms / QUARTER_HOUR_MS)}`, () => DateTime.fromMillis(ms, { zone: timeZone }).startOf('day'));
}

/** The local day `days` after `day` (before, when negative). */
function plusDays(day: DateTime, days: number): DateTime {
  return memoised(shiftedDays, `${day.zoneName} ${day.toMillis()} ${days}`, () => day.plus({ days }));
}

/**
 * The instant at which `seconds` of open time have passed since `start`. A start outside hours
 * begins counting at the next opening, so the deadline always lies in or at the end of open time.
 */
export function addBusinessTime(start: Date, seconds: number, calendar: BusinessCalendar): Date {
  if (!Number.isFinite(seconds) || seconds < 0) throw new CalendarError(`Business time must be a non-negative number of seconds, got ${seconds}`);
  let remaining = seconds * 1000;
  let cursor = start.getTime();
  // The previous day is included: its overnight shift may still be running at `start`.
  let day = plusDays(localDay(cursor, calendar.timeZone), -1);
  const windowDays = 8;
  for (let searched = 0; searched < SEARCH_LIMIT_DAYS; searched += windowDays - 1) {
    for (const [open, close] of openIntervals(calendar, day, windowDays)) {
      if (close <= cursor) continue;
      const from = Math.max(open, cursor);
      if (remaining === 0) return new Date(from);
      if (from + remaining <= close) return new Date(from + remaining);
      remaining -= close - from;
      cursor = close;
    }
    // Windows overlap by a day so that an overnight shift at the edge is never missed.
    day = plusDays(day, windowDays - 1);
  }
  throw new CalendarError(`The calendar does not have ${seconds} s of open time within ${SEARCH_LIMIT_DAYS} days of ${start.toISOString()}`);
}

/** Open time between two instants, in seconds (0 when `end` is not after `start`). */
export function businessTimeBetween(start: Date, end: Date, calendar: BusinessCalendar): number {
  const from = start.getTime();
  const to = end.getTime();
  if (to <= from) return 0;
  const firstDay = plusDays(localDay(from, calendar.timeZone), -1);
  const days = Math.ceil((to - firstDay.toMillis()) / DAY_MS) + 2;
  let total = 0;
  for (const [open, close] of openIntervals(calendar, firstDay, days)) {
    const overlap = Math.min(close, to) - Math.max(open, from);
    if (overlap > 0) total += overlap;
  }
  return total / 1000;
}

/** Whether the store is open at this instant. */
export function isOpenAt(at: Date, calendar: BusinessCalendar): boolean {
  const ms = at.getTime();
  return openIntervals(calendar, plusDays(localDay(ms, calendar.timeZone), -1), 2).some(([open, close]) => open <= ms && ms < close);
}

/** The next instant the store is open (the instant itself when open). */
export function nextOpening(at: Date, calendar: BusinessCalendar): Date {
  return addBusinessTime(at, 0, calendar);
}
