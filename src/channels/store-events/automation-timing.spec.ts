import fc from 'fast-check';
import { AUTOMATION_GRACE_HOURS, automationTiming } from './automation-timing';

const HOUR = 3_600_000;

describe('automationTiming', () => {
  const now = new Date('2026-12-05T12:00:00Z');

  it('runs what is not due yet, and what is late by at most the grace period', () => {
    expect(automationTiming(new Date(now.getTime() + 48 * HOUR), now)).toEqual({ run: true });
    expect(automationTiming(new Date(now.getTime() - AUTOMATION_GRACE_HOURS * HOUR), now)).toEqual({ run: true });
  });

  it('skips, with the reason, what a backdated event made due long ago', () => {
    // Delivered three days ago: the 48-hour follow-up fell due a day ago.
    expect(automationTiming(new Date(now.getTime() - 24 * HOUR), now)).toEqual({
      run: false,
      note: 'Skipped: due 2026-12-04T12:00:00.000Z, already 24 h past when the event arrived (more than the 12 h grace)',
    });
  });

  it('decides by lateness alone: later due times never skip what an earlier one runs', () => {
    fc.assert(
      fc.property(fc.integer({ min: -30 * 24, max: 30 * 24 }), fc.integer({ min: 0, max: 30 * 24 }), (offsetHours, moreHours) => {
        const earlier = automationTiming(new Date(now.getTime() + offsetHours * HOUR), now);
        const later = automationTiming(new Date(now.getTime() + (offsetHours + moreHours) * HOUR), now);
        return !earlier.run || later.run;
      }),
    );
  });
});
