import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  addBusinessTime,
  BusinessCalendar,
  businessTimeBetween,
  CalendarError,
  DateRange,
  DEFAULT_CALENDAR,
  HoursOverride,
  isOpenAt,
  localDay,
  nextOpening,
  TimeRange,
  validateCalendar,
  hasOpenTimeAfter,
  Weekday,
  WEEKDAYS,
} from './business-hours';

const HOUR = 3600;
/** A local wall-clock time in a zone, as an instant. */
const at = (iso: string, zone = 'Asia/Riyadh') => DateTime.fromISO(iso, { zone }).toJSDate();
const local = (date: Date, zone = 'Asia/Riyadh') => DateTime.fromJSDate(date, { zone }).toFormat('ccc yyyy-MM-dd HH:mm');

describe('addBusinessTime — the examples the product promises (Asia/Riyadh, Sun–Thu 09:00–17:00)', () => {
  it('an email at Thursday 16:30 with 1 business hour is due Sunday 09:30', () => {
    expect(local(addBusinessTime(at('2026-11-26T16:30'), HOUR, DEFAULT_CALENDAR))).toBe('Sun 2026-11-29 09:30');
  });

  it('a ticket on Friday 11:00 with 4 business hours is due Sunday 13:00', () => {
    expect(local(addBusinessTime(at('2026-11-27T11:00'), 4 * HOUR, DEFAULT_CALENDAR))).toBe('Sun 2026-11-29 13:00');
  });

  it('a ticket before opening counts from 09:00; exactly at closing it continues the next working day', () => {
    expect(local(addBusinessTime(at('2026-11-29T07:00'), 30 * 60, DEFAULT_CALENDAR))).toBe('Sun 2026-11-29 09:30');
    expect(local(addBusinessTime(at('2026-11-29T17:00'), 60, DEFAULT_CALENDAR))).toBe('Mon 2026-11-30 09:01');
    expect(local(addBusinessTime(at('2026-11-29T16:00'), HOUR, DEFAULT_CALENDAR))).toBe('Sun 2026-11-29 17:00');
  });

  it('zero business time is the next opening', () => {
    expect(local(nextOpening(at('2026-11-27T11:00'), DEFAULT_CALENDAR))).toBe('Sun 2026-11-29 09:00');
    expect(local(nextOpening(at('2026-11-29T10:15'), DEFAULT_CALENDAR))).toBe('Sun 2026-11-29 10:15');
  });

  it('spans several days and weekends', () => {
    // 3 business days of 8 h from Wednesday 12:00: Wed 5 h, Thu 8 h, Sun 8 h, Mon 3 h.
    expect(local(addBusinessTime(at('2026-11-25T12:00'), 24 * HOUR, DEFAULT_CALENDAR))).toBe('Mon 2026-11-30 12:00');
  });
});

describe('holidays and overrides', () => {
  const withHolidays: BusinessCalendar = {
    ...DEFAULT_CALENDAR,
    holidays: [
      { from: '2026-09-23', name: 'اليوم الوطني' },
      { from: '2026-03-20', to: '2026-03-24', name: 'عيد الفطر' },
    ],
  };

  it('skips a single-day holiday (National Day, Wednesday 23 September)', () => {
    expect(local(addBusinessTime(at('2026-09-22T16:00'), 2 * HOUR, withHolidays))).toBe('Thu 2026-09-24 10:00');
  });

  it('skips a holiday range (Eid al-Fitr) and the weekend around it', () => {
    // Thursday 19 March 16:00 + 2 h: 1 h that day, Eid Fri 20 – Tue 24, so Wednesday 25 at 10:00.
    expect(local(addBusinessTime(at('2026-03-19T16:00'), 2 * HOUR, withHolidays))).toBe('Wed 2026-03-25 10:00');
    expect(businessTimeBetween(at('2026-03-19T09:00'), at('2026-03-26T09:00'), withHolidays)).toBe(16 * HOUR);
  });

  const ramadan: BusinessCalendar = {
    ...DEFAULT_CALENDAR,
    overrides: [
      {
        from: '2027-02-08',
        to: '2027-03-09',
        name: 'رمضان',
        hours: [
          { start: '10:00', end: '15:00' },
          { start: '21:00', end: '01:00' },
        ],
      },
    ],
  };

  it('uses Ramadan hours, including the evening shift that crosses midnight', () => {
    expect(local(addBusinessTime(at('2027-02-10T14:00'), 3 * HOUR, ramadan))).toBe('Wed 2027-02-10 23:00');
    expect(local(addBusinessTime(at('2027-02-10T23:30'), 2 * HOUR, ramadan))).toBe('Thu 2027-02-11 10:30');
    expect(isOpenAt(at('2027-02-11T00:30'), ramadan)).toBe(true);
    expect(isOpenAt(at('2027-02-11T01:30'), ramadan)).toBe(false);
    expect(businessTimeBetween(at('2027-02-10T00:00'), at('2027-02-11T00:00'), ramadan)).toBe(5 * HOUR + 3 * HOUR + 1 * HOUR);
  });

  it('the override applies every day of its range, weekends included; outside it the week applies', () => {
    expect(isOpenAt(at('2027-02-12T11:00'), ramadan)).toBe(true); // a Friday in Ramadan
    expect(isOpenAt(at('2027-03-10T16:00'), ramadan)).toBe(true); // after Ramadan: 09:00–17:00
    expect(isOpenAt(at('2027-03-09T16:00'), ramadan)).toBe(false); // last day of Ramadan hours
  });

  it('a holiday wins over an override; the evening shift before it still runs until it ends', () => {
    const cal: BusinessCalendar = { ...ramadan, holidays: [{ from: '2027-02-15' }] };
    expect(businessTimeBetween(at('2027-02-15T01:00'), at('2027-02-16T00:00'), cal)).toBe(0);
    expect(businessTimeBetween(at('2027-02-15T00:00'), at('2027-02-15T01:00'), cal)).toBe(HOUR);
  });
});

describe('time zones with daylight saving (Europe/Berlin)', () => {
  const berlin: BusinessCalendar = {
    timeZone: 'Europe/Berlin',
    weekly: Object.fromEntries(['MON', 'TUE', 'WED', 'THU', 'FRI'].map((d) => [d, [{ start: '09:00', end: '17:00' }]])),
    holidays: [],
    overrides: [],
  };
  const allDay: BusinessCalendar = { ...berlin, weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, [{ start: '00:00', end: '24:00' }]])) };

  it('keeps local opening hours across the spring change', () => {
    const due = addBusinessTime(at('2026-03-27T16:00', 'Europe/Berlin'), 2 * HOUR, berlin);
    expect(local(due, 'Europe/Berlin')).toBe('Mon 2026-03-30 10:00');
    expect(due.toISOString()).toBe('2026-03-30T08:00:00.000Z');
  });

  it('a day has 23 hours in spring and 25 in autumn', () => {
    expect(businessTimeBetween(at('2026-03-29T00:00', 'Europe/Berlin'), at('2026-03-30T00:00', 'Europe/Berlin'), allDay)).toBe(23 * HOUR);
    expect(businessTimeBetween(at('2026-10-25T00:00', 'Europe/Berlin'), at('2026-10-26T00:00', 'Europe/Berlin'), allDay)).toBe(25 * HOUR);
  });
});

describe('validation and impossible calendars', () => {
  it('names each problem', () => {
    const problems = validateCalendar({
      timeZone: 'Mars/Olympus',
      weekly: { SUN: [{ start: '9:00', end: '17:00' }], FUNDAY: [] } as never,
      holidays: [{ from: '2026-02-30' }, { from: '2026-05-02', to: '2026-05-01' }],
      overrides: [{ from: '2026-01-01', to: '2026-01-02', hours: [{ start: '10:00', end: '10:00' }] }],
    });
    expect(problems).toEqual([
      'timeZone: unknown time zone "Mars/Olympus"',
      'weekly.SUN[0].start: expected HH:MM',
      'weekly.FUNDAY: not a weekday',
      'holidays[0].from: expected YYYY-MM-DD',
      'holidays[1]: ends before it starts',
      'overrides[0].hours[0]: start and end are equal',
    ]);
    expect(validateCalendar(DEFAULT_CALENDAR)).toEqual([]);
  });

  it('refuses a week without open hours, and tells when holidays close everything ahead', () => {
    const closedWeek: BusinessCalendar = { ...DEFAULT_CALENDAR, weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, []])) };
    expect(validateCalendar(closedWeek)).toEqual(['weekly: the week has no open hours; open at least one day']);
    expect(validateCalendar({ ...DEFAULT_CALENDAR, weekly: {} })).toEqual(['weekly: the week has no open hours; open at least one day']);
    const closedForYears: BusinessCalendar = { ...DEFAULT_CALENDAR, holidays: [{ from: '2026-01-01', to: '2030-12-31' }] };
    expect(hasOpenTimeAfter(at('2026-01-01T00:00'), closedForYears)).toBe(false);
    expect(hasOpenTimeAfter(at('2026-01-01T00:00'), DEFAULT_CALENDAR)).toBe(true);
  });

  it('refuses to search forever in a calendar that is never open', () => {
    const closed: BusinessCalendar = { ...DEFAULT_CALENDAR, weekly: {} };
    expect(() => addBusinessTime(at('2026-01-01T00:00'), 60, closed)).toThrow(CalendarError);
    expect(() => addBusinessTime(at('2026-01-01T00:00'), -1, DEFAULT_CALENDAR)).toThrow(CalendarError);
  });
});

describe('properties over random calendars, zones and instants', () => {
  const zones = ['Asia/Riyadh', 'Europe/Berlin', 'America/New_York', 'Africa/Cairo', 'Asia/Kolkata'];
  const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45)).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
  const range: fc.Arbitrary<TimeRange> = fc
    .tuple(time, time)
    .filter(([a, b]) => a !== b)
    .map(([start, end]) => ({ start, end }));
  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  const weeklyMinutes = (cal: BusinessCalendar) =>
    Object.values(cal.weekly)
      .flat()
      .reduce((sum, r) => sum + ((minutes(r!.end) - minutes(r!.start) + 1440) % 1440), 0);
  // At least 4 open hours a week: 300 hours of work then take at most 75 weeks, inside the 800-day search limit.
  const calendar: fc.Arbitrary<BusinessCalendar> = fc
    .record({
      timeZone: fc.constantFrom(...zones),
      weekly: fc
        .array(fc.tuple(fc.constantFrom(...WEEKDAYS), fc.array(range, { minLength: 1, maxLength: 2 })), { minLength: 1, maxLength: 7 })
        .map((entries) => Object.fromEntries(entries) as Partial<Record<Weekday, TimeRange[]>>),
      holidays: fc.constant<DateRange[]>([{ from: '2026-09-23' }]),
      overrides: fc.constant<HoursOverride[]>([{ from: '2026-03-10', to: '2026-03-20', hours: [{ start: '21:00', end: '01:00' }] }]),
    })
    .filter((cal) => weeklyMinutes(cal) >= 240);
  const instant = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) }).map((ms) => new Date(ms));
  const seconds = fc.integer({ min: 0, max: 300 * HOUR });

  it('businessTimeBetween(s, addBusinessTime(s, d)) = d', () => {
    fc.assert(
      fc.property(calendar, instant, seconds, (cal, start, d) => {
        expect(businessTimeBetween(start, addBusinessTime(start, d, cal), cal)).toBe(d);
      }),
      { numRuns: 300 },
    );
  });

  it('more business time never gives an earlier deadline', () => {
    const short = fc.integer({ min: 0, max: 40 * HOUR });
    fc.assert(
      fc.property(calendar, instant, short, short, (cal, start, a, b) => {
        const [small, large] = a <= b ? [a, b] : [b, a];
        expect(addBusinessTime(start, small, cal).getTime()).toBeLessThanOrEqual(addBusinessTime(start, large, cal).getTime());
      }),
      { numRuns: 200 },
    );
  });

  it('open time is additive over consecutive periods', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 0, max: 20 * 86_400_000 }), fc.integer({ min: 0, max: 20 * 86_400_000 }), (cal, a, x, y) => {
        const b = new Date(a.getTime() + x);
        const c = new Date(b.getTime() + y);
        expect(businessTimeBetween(a, b, cal) + businessTimeBetween(b, c, cal)).toBeCloseTo(businessTimeBetween(a, c, cal), 6);
      }),
      { numRuns: 200 },
    );
  });

  it('a deadline with time left to count lies in open time', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 60, max: 100 * HOUR }), (cal, start, d) => {
        const due = addBusinessTime(start, d, cal);
        expect(isOpenAt(new Date(due.getTime() - 1), cal)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('a calendar open around the clock adds plain time', () => {
    const always: BusinessCalendar = { timeZone: 'UTC', weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, [{ start: '00:00', end: '24:00' }]])), holidays: [], overrides: [] };
    fc.assert(fc.property(instant, seconds, (start, d) => expect(addBusinessTime(start, d, always).getTime()).toBe(start.getTime() + d * 1000)));
  });
});

describe('the memoised local day', () => {
  // Zones with half- and three-quarter-hour offsets, and a half-hour daylight saving change (Lord Howe).
  const zones = ['Asia/Riyadh', 'Asia/Kathmandu', 'Australia/Eucla', 'America/St_Johns', 'Australia/Lord_Howe', 'Europe/Berlin'];
  it('is the day luxon works out for the instant itself, in every zone', () => {
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2035, 11, 31) }), (zone, ms) => {
        expect(localDay(ms, zone).toISO()).toBe(DateTime.fromMillis(ms, { zone }).startOf('day').toISO());
        // The last instant of its quarter hour and the first of the next, where a day can change.
        const slotEnd = Math.floor(ms / 900_000) * 900_000 + 899_999;
        for (const edge of [slotEnd, slotEnd + 1]) expect(localDay(edge, zone).toISO()).toBe(DateTime.fromMillis(edge, { zone }).startOf('day').toISO());
      }),
      { numRuns: 2000 },
    );
  });
});
