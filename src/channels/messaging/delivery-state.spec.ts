import fc from 'fast-check';
import { DeliveryState, furthestDelivery, isRetryable, windowOpen } from './delivery-state';

const RECEIPTS = ['SENT', 'DELIVERED', 'READ', 'FAILED'] as const;

describe('furthestDelivery', () => {
  it('keeps the furthest state when receipts come out of order or twice', () => {
    expect(furthestDelivery('QUEUED', 'READ')).toBe('READ');
    expect(furthestDelivery('READ', 'DELIVERED')).toBe('READ');
    expect(furthestDelivery('DELIVERED', 'SENT')).toBe('DELIVERED');
    expect(furthestDelivery('SENT', 'SENT')).toBe('SENT');
    expect(furthestDelivery(null, 'DELIVERED')).toBe('DELIVERED');
  });

  it('counts a failure only before delivery, and a read after a failure wins', () => {
    expect(furthestDelivery('SENT', 'FAILED')).toBe('FAILED');
    expect(furthestDelivery('QUEUED', 'FAILED')).toBe('FAILED');
    expect(furthestDelivery('DELIVERED', 'FAILED')).toBe('DELIVERED');
    expect(furthestDelivery('FAILED', 'DELIVERED')).toBe('FAILED');
    expect(furthestDelivery('FAILED', 'READ')).toBe('READ');
  });

  it('ends in the same state whatever order the receipts arrive in (property)', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([...RECEIPTS], { minLength: 1 }), fc.context(), (receipts, ctx) => {
        const apply = (order: readonly (typeof RECEIPTS)[number][]) => order.reduce<DeliveryState>((s, r) => furthestDelivery(s, r), 'QUEUED');
        const forward = apply(receipts);
        const backward = apply([...receipts].reverse());
        ctx.log(`${receipts.join(',')} → ${forward} / ${backward}`);
        const reachedDelivery = receipts.includes('DELIVERED') || receipts.includes('READ');
        if (receipts.includes('READ')) expect(forward).toBe('READ');
        if (!reachedDelivery && receipts.includes('FAILED')) expect(forward).toBe('FAILED');
        if (!receipts.includes('FAILED')) expect(forward).toBe(backward);
      }),
    );
  });
});

describe('windowOpen', () => {
  const last = new Date('2026-11-24T10:00:00Z');
  it('is open for 24 hours after the customer last wrote, closed from then on', () => {
    expect(windowOpen(last, new Date('2026-11-25T09:59:59Z'))).toBe(true);
    expect(windowOpen(last, new Date('2026-11-25T10:00:00Z'))).toBe(false);
    expect(windowOpen(null, last)).toBe(false);
    expect(windowOpen(last, new Date('2026-11-30T09:00:00Z'), 7 * 24)).toBe(true);
  });
});

describe('isRetryable', () => {
  it('retries network errors, 5xx, 429 and throttling codes, never permanent platform errors', () => {
    expect(isRetryable({})).toBe(true);
    expect(isRetryable({ httpStatus: 500 })).toBe(true);
    expect(isRetryable({ httpStatus: 503, code: 131016 })).toBe(true);
    expect(isRetryable({ httpStatus: 429 })).toBe(true);
    expect(isRetryable({ httpStatus: 400, code: 130429 })).toBe(true);
    expect(isRetryable({ httpStatus: 400, code: 131047 })).toBe(false);
    expect(isRetryable({ httpStatus: 401, code: 190 })).toBe(false);
    expect(isRetryable({ httpStatus: 400, code: 100 })).toBe(false);
    expect(isRetryable({ httpStatus: 400 })).toBe(false);
  });
});
