import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The platforms' webhook signatures. Meta (WhatsApp, Instagram, Messenger) sends
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, keyed by the app secret>`;
 * X sends `X-Twitter-Webhooks-Signature: sha256=<base64 HMAC-SHA256 of the raw body, keyed by the
 * consumer secret>` and proves a URL with the CRC challenge. Compared in constant time.
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
