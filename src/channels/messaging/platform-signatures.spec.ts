import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { metaSignature, metaSignatureValid, twilioSignature, twilioSignatureValid, xCrcResponse, xSignature, xSignatureValid } from './platform-signatures';

describe('platform webhook signatures', () => {
  const body = Buffer.from('{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"messages":[{"text":{"body":"السلام عليكم 👋"}}]}}]}]}');

  it('accepts exactly the hex HMAC-SHA256 Meta sends, computed over the raw bytes', () => {
    const expected = `sha256=${createHmac('sha256', 'app-secret').update(body).digest('hex')}`;
    expect(metaSignature(body, 'app-secret')).toBe(expected);
    expect(metaSignatureValid(body, expected, 'app-secret')).toBe(true);
    expect(metaSignatureValid(body, expected.toUpperCase().replace('SHA256=', 'sha256='), 'app-secret')).toBe(true);
  });

  it('refuses a missing, malformed, wrongly keyed or tampered signature', () => {
    const good = metaSignature(body, 'app-secret');
    expect(metaSignatureValid(body, undefined, 'app-secret')).toBe(false);
    expect(metaSignatureValid(body, '', 'app-secret')).toBe(false);
    expect(metaSignatureValid(body, good.replace('sha256=', 'sha1='), 'app-secret')).toBe(false);
    expect(metaSignatureValid(body, good.slice(0, -2), 'app-secret')).toBe(false);
    expect(metaSignatureValid(body, metaSignature(body, 'other-secret'), 'app-secret')).toBe(false);
    expect(metaSignatureValid(Buffer.concat([body, Buffer.from(' ')]), good, 'app-secret')).toBe(false);
  });

  it('a signature is valid only for the body it was made for (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }), (a, b) => {
        const signature = metaSignature(Buffer.from(a), 's');
        expect(metaSignatureValid(Buffer.from(b), signature, 's')).toBe(Buffer.from(a).equals(Buffer.from(b)));
      }),
    );
  });

  it('answers the X CRC challenge with the base64 HMAC of the token and checks X signatures', () => {
    const expected = createHmac('sha256', 'consumer-secret').update('crc-abc').digest('base64');
    expect(xCrcResponse('crc-abc', 'consumer-secret')).toEqual({ response_token: `sha256=${expected}` });
    const signature = xSignature(body, 'consumer-secret');
    expect(xSignatureValid(body, signature, 'consumer-secret')).toBe(true);
    expect(xSignatureValid(body, signature, 'other')).toBe(false);
    expect(xSignatureValid(body, undefined, 'consumer-secret')).toBe(false);
  });

  describe('Twilio', () => {
    // The example in Twilio's security guide (twilio.com/docs/usage/security#validating-requests).
    const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    const params = new URLSearchParams({ CallSid: 'CA1234567890ABCDE', Caller: '+12349013030', Digits: '1234', From: '+12349013030', To: '+18005551212' });

    it("matches Twilio's documented example: the URL, then each parameter's name and value sorted by name", () => {
      expect(twilioSignature(url, params, '12345')).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
      expect(twilioSignatureValid(url, params, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=', '12345')).toBe(true);
      const shuffled = new URLSearchParams([...params].reverse());
      expect(twilioSignatureValid(url, shuffled, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=', '12345')).toBe(true);
    });

    it('refuses another URL, token or parameter value, and a missing or malformed header', () => {
      const good = twilioSignature(url, params, '12345');
      expect(twilioSignatureValid(url.replace('https:', 'http:'), params, good, '12345')).toBe(false);
      expect(twilioSignatureValid(url, params, good, '54321')).toBe(false);
      const tampered = new URLSearchParams(params);
      tampered.set('Digits', '9999');
      expect(twilioSignatureValid(url, tampered, good, '12345')).toBe(false);
      expect(twilioSignatureValid(url, params, undefined, '12345')).toBe(false);
      expect(twilioSignatureValid(url, params, 'not-base64', '12345')).toBe(false);
      expect(twilioSignatureValid(url, params, good.slice(1), '12345')).toBe(false);
    });
  });
});
