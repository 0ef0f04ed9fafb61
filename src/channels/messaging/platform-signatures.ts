import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The platforms' webhook signatures. Meta (WhatsApp, Instagram, Messenger) sends
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, keyed by the app secret>`;
 * X sends `X-Twitter-Webhooks-Signature: sha256=<base64 HMAC-SHA256 of the raw body, keyed by the
 * consumer secret>` and proves a URL with the CRC challenge. Twilio sends `X-Twilio-Signature:
 * <base64 HMAC-SHA1, keyed by the Auth Token, of the full URL it called followed by each POST
 * parameter's name and value, sorted by name>`. Compared in constant time.
 */
export function metaSignatureValid(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  const given = /^sha256=([0-9a-fA-F]{64})$/.exec(header?.trim() ?? '')?.[1];
  if (!given) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(given, 'hex'), expected);
}

export function metaSignature(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

export function xSignature(rawBody: Buffer | string, consumerSecret: string): string {
  return `sha256=${createHmac('sha256', consumerSecret).update(rawBody).digest('base64')}`;
}

export function xSignatureValid(rawBody: Buffer, header: string | undefined, consumerSecret: string): boolean {
  const given = /^sha256=([A-Za-z0-9+/]{43}=)$/.exec(header?.trim() ?? '')?.[1];
  if (!given) return false;
  return timingSafeEqual(Buffer.from(given, 'base64'), createHmac('sha256', consumerSecret).update(rawBody).digest());
}

/** X's Challenge-Response Check: the token, signed, proves we hold the consumer secret. */
export function xCrcResponse(crcToken: string, consumerSecret: string): { response_token: string } {
  return { response_token: xSignature(crcToken, consumerSecret) };
}

/** Twilio's signature of a form POST to `url` (the exact URL Twilio called, query string included). */
export function twilioSignature(url: string, params: URLSearchParams, authToken: string): string {
  // Sorted by name, then by value for a repeated name (as Twilio's own validators do); code-unit order, not locale order.
  const pairs = [...params].sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return createHmac('sha1', authToken)
    .update(url + pairs.map(([name, value]) => name + value).join(''), 'utf8')
    .digest('base64');
}

export function twilioSignatureValid(url: string, params: URLSearchParams, header: string | undefined, authToken: string): boolean {
  const given = /^[A-Za-z0-9+/]{27}=$/.test(header?.trim() ?? '') ? Buffer.from(header!.trim(), 'base64') : undefined;
  if (!given) return false;
  return timingSafeEqual(given, Buffer.from(twilioSignature(url, params, authToken), 'base64'));
}
