import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32).toString('base64'));

  it('round-trips any text, never storing it in the clear', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (secret) => {
        const sealed = box.seal(secret, 'mailbox-1');
        expect(box.open(sealed, 'mailbox-1')).toBe(secret);
        if (Buffer.byteLength(secret) >= 8) expect(sealed.includes(Buffer.from(secret))).toBe(false);
      }),
    );
  });

  it('refuses another owner, a tampered value and a wrong key', () => {
    const sealed = box.seal('كلمة-سر', 'mailbox-1');
    expect(() => box.open(sealed, 'mailbox-2')).toThrow();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] ^= 1;
    expect(() => box.open(tampered, 'mailbox-1')).toThrow();
    expect(() => new SecretBox(randomBytes(32).toString('base64')).open(sealed, 'mailbox-1')).toThrow();
    expect(() => new SecretBox('c2hvcnQ=')).toThrow(/32 bytes/);
  });
});
