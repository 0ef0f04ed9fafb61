import { createHmac, timingSafeEqual } from 'crypto';

/**
 * Webhook signatures: `Rida-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
 * The timestamp inside the signed text lets receivers refuse replays of old deliveries.
 */
export const SIGNATURE_HEADER = 'rida-signature';

export function signWebhook(secret: string, body: string, timestampSeconds: number): string {
  const digest = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${digest}`;
}

/** For receivers (and our tests): checks the signature in constant time and the timestamp's age. */
export function verifyWebhookSignature(secret: string, body: string, header: string | undefined, nowSeconds: number, toleranceSeconds = 300): boolean {
  if (!header) return false;
  const parts = new Map(header.split(',').map((part) => part.trim().split('=', 2) as [string, string]));
  const timestamp = Number(parts.get('t'));
  const given = parts.get('v1');
  if (!Number.isInteger(timestamp) || !given || !/^[0-9a-f]{64}$/.test(given)) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = signWebhook(secret, body, timestamp).split('v1=')[1];
  return timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(expected, 'hex'));
}

export interface RetryPolicy {
  /** Delay before the second attempt; doubled after each failure. */
  baseMs: number;
  /** No delay grows beyond this. */
  maxDelayMs: number;
  /** How long after the event a delivery keeps being retried (at least a day in production). */
  retryForMs: number;
}

/**
 * When to try again after `attempts` failed attempts of a delivery created at `createdAt`, or null
 * to give up. Exponential back-off with ±20% jitter (`random` in [0, 1)), so endpoints coming back
 * after an outage are not hit by every delivery at the same moment.
 */
export function nextAttemptAt(policy: RetryPolicy, createdAt: Date, attempts: number, now: Date, random: number): Date | null {
  const exponential = policy.baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30);
  const delay = Math.min(exponential, policy.maxDelayMs) * (0.8 + 0.4 * random);
  const at = new Date(now.getTime() + Math.round(delay));
  return at.getTime() > createdAt.getTime() + policy.retryForMs ? null : at;
}
