import fc from 'fast-check';
import {
  addToHistogram,
  bucketOf,
  bucketStart,
  bucketValue,
  csat,
  emptyCounts,
  emptyHistograms,
  firstContactResolutionRate,
  growth,
  Histogram,
  histogramPercentile,
  meetsGoal,
  netPromoterScore,
  percentile,
  rankFriction,
  rate,
  resolvedOnFirstContact,
  summarise,
  summariseHistogram,
  summariseKpis,
} from './kpi-formulas';

describe('percentile (as PostgreSQL percentile_cont)', () => {
  it('matches hand-computed values', () => {
    // sorted 10 20 30 40: median at position 1.5 → 25; p90 at 2.7 → 30 + 0.7 × 10 = 37
    expect(percentile([40, 10, 30, 20], 0.5)).toBe(25);
    expect(percentile([40, 10, 30, 20], 0.9)).toBeCloseTo(37, 10);
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 10);
    expect(percentile([], 0.5)).toBeNull();
    expect(() => percentile([1], 1.5)).toThrow(RangeError);
  });

  it('lies between the smallest and largest value and grows with p', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 1 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (values, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const low = percentile(values, lo)!;
        const high = percentile(values, hi)!;
        expect(low).toBeGreaterThanOrEqual(Math.min(...values));
        expect(high).toBeLessThanOrEqual(Math.max(...values));
        expect(low).toBeLessThanOrEqual(high + 1e-9);
      }),
    );
  });
});

describe('summaries and rates', () => {
  it('summarises first response times (seconds)', () => {
    expect(summarise([120, 60, 300, 30, 90])).toEqual({ count: 5, average: 120, median: 90, p90: 228 });
    expect(summarise([])).toEqual({ count: 0, average: null, median: null, p90: null });
  });

  it('an empty group has no rate rather than 0%', () => {
    expect(rate(0, 0)).toBeNull();
    expect(rate(3, 4)).toBe(0.75);
    expect(meetsGoal(null, 0.8)).toBeNull();
    expect(meetsGoal(0.8, 0.8)).toBe(true);
    expect(meetsGoal(0.79, 0.8)).toBe(false);
  });
});

describe('first contact resolution', () => {
  it('solved with exactly one public agent reply and never reopened', () => {
    expect(resolvedOnFirstContact({ solved: true, publicAgentReplies: 1, reopens: 0 })).toBe(true);
    expect(resolvedOnFirstContact({ solved: true, publicAgentReplies: 2, reopens: 0 })).toBe(false);
    expect(resolvedOnFirstContact({ solved: true, publicAgentReplies: 1, reopens: 1 })).toBe(false);
    expect(resolvedOnFirstContact({ solved: false, publicAgentReplies: 1, reopens: 0 })).toBe(false);
  });

  it('is a share of solved tickets (unsolved ones do not count against it)', () => {
    const tickets = [
      { solved: true, publicAgentReplies: 1, reopens: 0 },
      { solved: true, publicAgentReplies: 1, reopens: 0 },
      { solved: true, publicAgentReplies: 3, reopens: 0 },
      { solved: true, publicAgentReplies: 1, reopens: 2 },
      { solved: false, publicAgentReplies: 1, reopens: 0 },
    ];
    expect(firstContactResolutionRate(tickets)).toBe(0.5);
    expect(firstContactResolutionRate([])).toBeNull();
  });
});

describe('CSAT', () => {
  it('is the share of 4s and 5s among all ratings', () => {
    expect(csat([5, 4, 3, 5, 1, 4, 5, 5, 2, 5])).toBe(0.7);
    expect(csat([])).toBeNull();
    expect(() => csat([6])).toThrow(RangeError);
  });
});

describe('time buckets in the store time zone', () => {
  it('a ticket at 23:30 UTC belongs to the next day in Riyadh', () => {
    expect(bucketStart(new Date('2026-11-24T23:30:00Z'), 'DAY', 'Asia/Riyadh')).toBe('2026-11-25T00:00:00+03:00');
    expect(bucketStart(new Date('2026-11-24T20:59:59Z'), 'DAY', 'Asia/Riyadh')).toBe('2026-11-24T00:00:00+03:00');
    expect(bucketStart(new Date('2026-11-24T21:00:00Z'), 'DAY', 'Asia/Riyadh')).toBe('2026-11-25T00:00:00+03:00');
  });

  it('weeks start on Sunday; months and hours in local time', () => {
    // Thursday 26 Nov 2026 → the week of Sunday 22 Nov.
    expect(bucketStart(new Date('2026-11-26T10:00:00Z'), 'WEEK', 'Asia/Riyadh')).toBe('2026-11-22T00:00:00+03:00');
    expect(bucketStart(new Date('2026-11-22T10:00:00Z'), 'WEEK', 'Asia/Riyadh')).toBe('2026-11-22T00:00:00+03:00');
    expect(bucketStart(new Date('2026-11-30T22:00:00Z'), 'MONTH', 'Asia/Riyadh')).toBe('2026-12-01T00:00:00+03:00');
    expect(bucketStart(new Date('2026-11-24T23:45:00Z'), 'HOUR', 'Asia/Riyadh')).toBe('2026-11-25T02:00:00+03:00');
  });

  it('follows daylight saving in zones that have it', () => {
    expect(bucketStart(new Date('2026-03-29T12:00:00Z'), 'DAY', 'Europe/Berlin')).toBe('2026-03-29T00:00:00+01:00');
    expect(bucketStart(new Date('2026-03-30T12:00:00Z'), 'DAY', 'Europe/Berlin')).toBe('2026-03-30T00:00:00+02:00');
  });
});

describe('duration histograms', () => {
  const histogramOf = (values: number[]) => {
    const h: Histogram = new Map();
    for (const v of values) addToHistogram(h, bucketOf(v), 1);
    return h;
  };

  it('puts every value within 1% of its bucket representative', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.0011, max: 90 * 86_400, noNaN: true }), (seconds) => {
        expect(Math.abs(bucketValue(bucketOf(seconds)) - seconds) / seconds).toBeLessThanOrEqual(0.0101);
      }),
    );
  });

  it('gives percentiles within 1% of percentile_cont, merged from pieces in any order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 2, max: 7 * 86_400 }), { minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 5 }), (values, pieces) => {
        const merged: Histogram = new Map();
        for (let i = 0; i < pieces; i++) {
          for (const [bucket, count] of histogramOf(values.filter((_, j) => j % pieces === i))) addToHistogram(merged, bucket, count);
        }
        for (const p of [0, 0.5, 0.9, 1]) {
          const exact = percentile(values, p)!;
          expect(Math.abs(histogramPercentile(merged, p)! - exact) / exact).toBeLessThanOrEqual(0.0101);
        }
      }),
    );
  });

  it('keeps sub-second medians within 1% (not the 0.99 s of one bucket for everything up to a second)', () => {
    for (const values of [[0.2, 0.3, 0.4], [0.05], [0.5, 0.75, 3], [0.004, 0.0105, 0.9, 0.999]]) {
      const exact = percentile(values, 0.5)!;
      expect(Math.abs(histogramPercentile(histogramOf(values), 0.5)! - exact) / exact).toBeLessThanOrEqual(0.0101);
    }
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.0011, max: 3, noNaN: true }), { minLength: 1, maxLength: 100 }), (values) => {
        for (const p of [0, 0.5, 0.9, 1]) {
          const exact = percentile(values, p)!;
          expect(Math.abs(histogramPercentile(histogramOf(values), p)! - exact) / exact).toBeLessThanOrEqual(0.0101);
        }
      }),
    );
  });

  it('reads a millisecond or less (a reply stamped with its ticket) as 0, and zero durations pull the median towards 0', () => {
    expect(bucketValue(bucketOf(0))).toBe(0);
    expect(bucketValue(bucketOf(0.0005))).toBe(0);
    expect(bucketValue(bucketOf(-2))).toBe(0);
    expect(histogramPercentile(histogramOf([0, 0, 10]), 0.5)).toBe(0);
    expect(histogramPercentile(histogramOf([0, 10]), 0.5)).toBeCloseTo(bucketValue(bucketOf(10)) / 2);
  });

  it('ignores buckets emptied by retractions and has no percentile when empty', () => {
    const h = histogramOf([60, 600]);
    addToHistogram(h, bucketOf(600), -1);
    expect(histogramPercentile(h, 0.9)).toBeCloseTo(bucketValue(bucketOf(60)));
    addToHistogram(h, bucketOf(60), -1);
    expect(histogramPercentile(h, 0.5)).toBeNull();
    expect(summariseHistogram(0, 0, h)).toEqual({ count: 0, average: null, median: null, p90: null });
  });
});

describe('summariseKpis', () => {
  const none = emptyHistograms();

  it('derives rates from counts, with null for what was not counted', () => {
    const kpis = summariseKpis(
      { ...emptyCounts(), created: 4, solved: 2, fcr: 1, frsMet: 3, frsBreached: 1, csatSent: 2, csatResponses: 1, csatSatisfied: 1, messages: 10, withOrder: 3, opensOrder: 2 },
      none,
    );
    expect(kpis).toMatchObject({
      reopenRate: 0,
      firstContactResolution: { rate: 0.5, goal: 0.75, goalMet: false },
      firstReplySla: { rate: 0.75, met: 3, breached: 1, goalMet: false },
      csat: { rate: 1, responseRate: 0.5, goalMet: true },
      messagesPerTicket: 2.5,
      ticketsPerOrder: 1.5,
    });
    expect(summariseKpis(emptyCounts(), none)).toMatchObject({ reopenRate: null, firstContactResolution: { rate: null, goalMet: null }, ticketsPerOrder: null });
  });

  it('computes growth against the previous period', () => {
    expect(growth(15, 10)).toBe(0.5);
    expect(growth(5, 10)).toBe(-0.5);
    expect(growth(3, 0)).toBeNull();
  });
});

describe('rankFriction', () => {
  const p = (key: string, tickets: number, previousTickets: number) => ({ key, tickets, previousTickets, growth: growth(tickets, previousTickets) });
  const points = [p('شحن', 150, 100), p('دفع', 6, 2), p('مقاس', 40, 0), p('ارجاع', 150, 160), p('لون', 6, 2)];

  it('ranks by tickets, by the increase over the previous period, or by relative growth with new sources first', () => {
    expect(rankFriction(points, 'TICKETS').map((x) => x.key)).toEqual(['ارجاع', 'شحن', 'مقاس', 'دفع', 'لون']);
    expect(rankFriction(points, 'INCREASE').map((x) => x.key)).toEqual(['شحن', 'مقاس', 'دفع', 'لون', 'ارجاع']);
    expect(rankFriction(points, 'GROWTH').map((x) => x.key)).toEqual(['مقاس', 'دفع', 'لون', 'شحن', 'ارجاع']);
  });

  it('leaves the input alone and gives an empty ranking for no sources', () => {
    const before = [...points];
    rankFriction(points, 'GROWTH');
    expect(points).toEqual(before);
    expect(rankFriction([], 'INCREASE')).toEqual([]);
  });
});

describe('netPromoterScore', () => {
  it('is promoters minus detractors as a share of all answers, in points; passives count in neither', () => {
    // 10 answers: 9, 10, 10, 9, 9 (5 promoters), 7, 8 (passives), 0, 6, 3 (3 detractors) → (5 − 3) / 10 = +20
    expect(netPromoterScore(5, 3, 10)).toEqual({ score: 20, responses: 10, promoters: 5, detractors: 3 });
    expect(netPromoterScore(0, 4, 4).score).toBe(-100);
    expect(netPromoterScore(0, 0, 0).score).toBeNull();
  });
});
