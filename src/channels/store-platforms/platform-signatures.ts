import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How each store platform proves a webhook is theirs, compared in constant time:
 * - Salla's signature strategy: `X-Salla-Security-Strategy: Signature` and `X-Salla-Signature:
 *   <hex HMAC-SHA256 of the raw body, keyed by the app's webhook secret>`. Its token strategy sends
 *   a fixed token instead, which proves the sender but not the body, so it is not accepted.
 * - Shopify: `X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256 of the raw body, keyed by the app's
 *   client secret>`.
 * - Zid signs nothing; it sends the HTTP Basic credentials given when the webhook was registered.
 */
export function sallaSignatureValid(rawBody: Buffer, strategy: string | undefined, header: string | undefined, secret: string): boolean {
  if (strategy?.trim().toLowerCase() !== 'signature') return false;
  const given = /^([0-9a-fA-F]{64})$/.exec(header?.trim() ?? '')?.[1];
  if (!given) return false;
  return timingSafeEqual(Buffer.from(given, 'hex'), createHmac('sha256', secret).update(rawBody).digest());
}

export function sallaSignature(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

export function shopifyHmacValid(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  const given = /^([A-Za-z0-9+/]{43}=)$/.exec(header?.trim() ?? '')?.[1];
  if (!given) return false;
  return timingSafeEqual(Buffer.from(given, 'base64'), createHmac('sha256', secret).update(rawBody).digest());
}

/** Basic credentials compared as digests, so neither their length nor their first differing byte shows in the time taken. */
export function basicCredentialsValid(header: string | undefined, username: string, password: string): boolean {
  const given = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header?.trim() ?? '')?.[1];
  if (!given) return false;
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(Buffer.from(given, 'base64').toString('utf8')), digest(`${username}:${password}`));
}
