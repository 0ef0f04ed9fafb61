import { basicCredentialsValid, sallaSignature, sallaSignatureValid, shopifyHmacValid } from './platform-signatures';
import { createHmac } from 'node:crypto';

describe('store platform signatures', () => {
  const body = Buffer.from('{"event":"order.created","merchant":1}');

  it("accepts Salla's signature strategy only, over the exact body", () => {
    const signature = sallaSignature(body, 'secret');
    expect(sallaSignatureValid(body, 'Signature', signature, 'secret')).toBe(true);
    expect(sallaSignatureValid(body, 'Token', signature, 'secret')).toBe(false);
    expect(sallaSignatureValid(Buffer.from(`${body} `), 'Signature', signature, 'secret')).toBe(false);
    expect(sallaSignatureValid(body, 'Signature', signature, 'other')).toBe(false);
    expect(sallaSignatureValid(body, 'Signature', undefined, 'secret')).toBe(false);
    expect(sallaSignatureValid(body, 'Signature', 'abc', 'secret')).toBe(false);
  });

  it("checks Shopify's base64 HMAC", () => {
    const header = createHmac('sha256', 'shpss').update(body).digest('base64');
    expect(shopifyHmacValid(body, header, 'shpss')).toBe(true);
    expect(shopifyHmacValid(body, header, 'other')).toBe(false);
    expect(shopifyHmacValid(body, `${header}x`, 'shpss')).toBe(false);
  });

  it("checks Zid's Basic credentials", () => {
    const header = `Basic ${Buffer.from('rida:pa:ss').toString('base64')}`;
    expect(basicCredentialsValid(header, 'rida', 'pa:ss')).toBe(true);
    expect(basicCredentialsValid(header, 'rida', 'pass')).toBe(false);
    expect(basicCredentialsValid(undefined, 'rida', 'pa:ss')).toBe(false);
    expect(basicCredentialsValid('Bearer x', 'rida', 'pa:ss')).toBe(false);
  });
});
