import fc from 'fast-check';
import { DateTime } from 'luxon';
import { DEFAULT_CALENDAR } from './business-hours';
import { DEFAULT_POLICIES, dueAt, matchPolicy, remainingSeconds, resumeDue, TicketFacts, warningAt } from './sla-policy';

const at = (iso: string) => DateTime.fromISO(iso, { zone: 'Asia/Riyadh' }).toJSDate();
const local = (date: Date) => DateTime.fromJSDate(date, { zone: 'Asia/Riyadh' }).toFormat('ccc HH:mm');
const facts = (overrides: Partial<TicketFacts> = {}): TicketFacts => ({ channel: 'API', category: 'GENERAL', priority: 'NORMAL', tier: 'STANDARD', tags: [], ...overrides });

describe('default policies (design notes)', () => {
  it('match by channel, VIP before social channels, and fall back to the ticket policy', () => {
    expect(matchPolicy(DEFAULT_POLICIES, facts({ channel: 'CHAT' }))?.position).toBe(10);
    expect(matchPolicy(DEFAULT_POLICIES, facts({ channel: 'CHAT', tier: 'VIP' }))?.position).toBe(10);
    expect(matchPolicy(DEFAULT_POLICIES, facts({ channel: 'WHATSAPP', tier: 'VIP' }))?.position).toBe(20);
    expect(matchPolicy(DEFAULT_POLICIES, facts({ channel: 'WHATSAPP' }))?.position).toBe(30);
    expect(matchPolicy(DEFAULT_POLICIES, facts({ channel: 'EMAIL' }))?.position).toBe(40);
    for (const channel of ['WEB_FORM', 'API', 'PHONE', 'COMMENT']) expect(matchPolicy(DEFAULT_POLICIES, facts({ channel }))?.position).toBe(50);
  });

  it('a live chat at 23:00 with a 5-minute calendar target is due 23:05, even out of hours', () => {
    const chat = matchPolicy(DEFAULT_POLICIES, facts({ channel: 'CHAT' }))!;
    expect(local(dueAt(at('2026-11-26T23:00'), chat.firstResponse!, DEFAULT_CALENDAR))).toBe('Thu 23:05');
  });

  it('an email at Thursday 16:30 is due Sunday 09:30, warned at 80% (Sunday 09:18)', () => {
    const email = matchPolicy(DEFAULT_POLICIES, facts({ channel: 'EMAIL' }))!;
    const start = at('2026-11-26T16:30');
    expect(local(dueAt(start, email.firstResponse!, DEFAULT_CALENDAR))).toBe('Sun 09:30');
    expect(local(warningAt(start, email.firstResponse!, email.warnAtPercent, DEFAULT_CALENDAR))).toBe('Sun 09:18');
  });
});

describe('conditions', () => {
  const policies = [
    { position: 2, conditions: { tags: ['شكوى', 'vip'] } },
    { position: 1, conditions: { categories: ['PAYMENT'], priorities: ['HIGH', 'URGENT'] } },
    { position: 3, conditions: {} },
  ];
  it('all given conditions must hold; tags match when any is present; position decides', () => {
    expect(matchPolicy(policies, facts({ category: 'PAYMENT', priority: 'URGENT', tags: ['vip'] }))?.position).toBe(1);
    expect(matchPolicy(policies, facts({ category: 'PAYMENT', priority: 'LOW', tags: ['vip'] }))?.position).toBe(2);
    expect(matchPolicy(policies, facts({ category: 'PAYMENT', priority: 'LOW' }))?.position).toBe(3);
    expect(matchPolicy([], facts())).toBeUndefined();
  });
});

describe('remaining time and pauses', () => {
  const ticketTarget = { seconds: 4 * 3600, clock: 'BUSINESS' as const };

  it('remaining business time counts open hours only; overdue is negative calendar time', () => {
    const due = at('2026-11-29T13:00');
    expect(remainingSeconds(at('2026-11-26T16:00'), due, 'BUSINESS', DEFAULT_CALENDAR)).toBe(5 * 3600);
    expect(remainingSeconds(at('2026-11-29T13:30'), due, 'BUSINESS', DEFAULT_CALENDAR)).toBe(-1800);
  });

  it('a pause keeps the time that was left: paused Sunday 10:00 with 3 h left, resumed Monday 15:00 → due Tuesday 10:00', () => {
    const start = at('2026-11-29T09:00');
    const due = dueAt(start, ticketTarget, DEFAULT_CALENDAR);
    expect(local(due)).toBe('Sun 13:00');
    expect(local(resumeDue(at('2026-11-29T10:00'), due, at('2026-11-30T15:00'), 'BUSINESS', DEFAULT_CALENDAR))).toBe('Tue 10:00');
  });

  it('an already breached target stays due when it resumes', () => {
    const due = at('2026-11-29T13:00');
    expect(resumeDue(at('2026-11-29T14:00'), due, at('2026-11-30T09:00'), 'BUSINESS', DEFAULT_CALENDAR)).toEqual(due);
  });

  it('pausing and resuming at once changes nothing (business or calendar clock)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }),
        fc.integer({ min: 60, max: 40 * 3600 }),
        fc.constantFrom('BUSINESS' as const, 'CALENDAR' as const),
        fc.integer({ min: 0, max: 3 * 86_400_000 }),
        (startMs, seconds, clock, elapsed) => {
          const start = new Date(startMs);
          const due = dueAt(start, { seconds, clock }, DEFAULT_CALENDAR);
          const pausedAt = new Date(Math.min(startMs + elapsed, due.getTime() - 1));
          const resumed = resumeDue(pausedAt, due, pausedAt, clock, DEFAULT_CALENDAR);
          expect(Math.abs(resumed.getTime() - due.getTime())).toBeLessThanOrEqual(1000);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('a stored calendar without open time', () => {
  it('counts calendar time instead of failing the deadline', () => {
    const closed = { ...DEFAULT_CALENDAR, weekly: {} };
    const start = new Date('2026-11-26T10:00:00Z');
    expect(dueAt(start, { seconds: 3600, clock: 'BUSINESS' }, closed)).toEqual(new Date('2026-11-26T11:00:00Z'));
  });
});
