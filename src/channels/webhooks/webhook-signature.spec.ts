import fc from 'fast-check';
import { nextAttemptAt, RetryPolicy, signWebhook, verifyWebhookSignature } from './webhook-signature';

describe('webhook signatures', () => {
  const secret = 'whsec_test_0123456789abcdef';
  const body = JSON.stringify({ id: 'e1', type: 'MESSAGE_ADDED', data: { body: 'مرحبا 👋' } });

  it('signs "<t>.<body>" with HMAC-SHA256 in hex (a value computed independently)', () => {
    // printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac secret
    expect(signWebhook('secret', '{"a":1}', 1700000000)).toBe('t=1700000000,v1=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686');
  });

  it('verifies its own signature and refuses a changed body, another secret, an old timestamp or garbage', () => {
    const header = signWebhook(secret, body, 1_800_000_000);
    expect(verifyWebhookSignature(secret, body, header, 1_800_000_100)).toBe(true);
    expect(verifyWebhookSignature(secret, body.replace('مرحبا', 'مرحباً'), header, 1_800_000_100)).toBe(false);
    expect(verifyWebhookSignature('other-secret', body, header, 1_800_000_100)).toBe(false);
    expect(verifyWebhookSignature(secret, body, header, 1_800_000_000 + 301)).toBe(false);
    expect(verifyWebhookSignature(secret, body, undefined, 1_800_000_000)).toBe(false);
    expect(verifyWebhookSignature(secret, body, 't=x,v1=zz', 1_800_000_000)).toBe(false);
  });
});

describe('webhook retry schedule', () => {
  const day = 86_400_000;
  const policy: RetryPolicy = { baseMs: 30_000, maxDelayMs: 3_600_000, retryForMs: 3 * day };
  const created = new Date('2026-11-25T09:00:00Z');

  it('doubles from the base delay, within ±20% jitter, up to the cap', () => {
    const delay = (attempts: number, random: number) => nextAttemptAt(policy, created, attempts, created, random)!.getTime() - created.getTime();
    expect(delay(1, 0.5)).toBe(30_000);
    expect(delay(2, 0.5)).toBe(60_000);
    expect(delay(3, 0.5)).toBe(120_000);
    expect(delay(1, 0)).toBe(24_000);
    expect(delay(20, 0.5)).toBe(3_600_000);
    expect(delay(1000, 0.999)).toBeLessThanOrEqual(1.2 * 3_600_000);
  });

  it('keeps retrying for the whole retry window (at least a day) and then gives up', () => {
    let now = created;
    let attempts = 0;
    for (;;) {
      attempts++;
      const next = nextAttemptAt(policy, created, attempts, now, 0.5);
      if (!next) break;
      now = next;
    }
    expect(now.getTime() - created.getTime()).toBeGreaterThan(3 * day - 1.2 * 3_600_000);
    expect(now.getTime() - created.getTime()).toBeLessThanOrEqual(3 * day);
    expect(attempts).toBeGreaterThan(70);
  });

  it('never schedules in the past nor beyond the window (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 4 * day }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempts, elapsed, random) => {
        const now = new Date(created.getTime() + elapsed);
        const next = nextAttemptAt(policy, created, attempts, now, random);
        if (next) {
          expect(next.getTime()).toBeGreaterThan(now.getTime());
          expect(next.getTime()).toBeLessThanOrEqual(created.getTime() + policy.retryForMs);
        }
      }),
    );
  });
});
