import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { SecretBox, SecretUnreadable } from './secret-box';

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

  it('says the key does not match when a value was sealed under a key no longer configured', () => {
    const sealed = box.seal('imap-password', 'mailbox-1');
    const rotated = new SecretBox(randomBytes(32).toString('base64'));
    expect(() => rotated.open(sealed, 'mailbox-1')).toThrow(SecretUnreadable);
    expect(() => rotated.open(sealed, 'mailbox-1')).toThrow(/SECRETS_KEY does not match/);
  });

  it('opens values of previous keys, seals with the current one, and re-seals each value once', () => {
    const oldKey = randomBytes(32).toString('base64');
    const newKey = randomBytes(32).toString('base64');
    const sealedBefore = new SecretBox(oldKey).seal('channel-token', 'channel-1');
    const rotating = new SecretBox(newKey, [randomBytes(32).toString('base64'), oldKey]);
    expect(rotating.open(sealedBefore, 'channel-1')).toBe('channel-token');
    expect(() => rotating.open(sealedBefore, 'channel-2')).toThrow(SecretUnreadable);

    const resealed = rotating.resealed(sealedBefore, 'channel-1')!;
    expect(resealed).not.toBeNull();
    expect(rotating.resealed(resealed, 'channel-1')).toBeNull();
    expect(new SecretBox(newKey).open(resealed, 'channel-1')).toBe('channel-token');
    expect(() => new SecretBox(oldKey).open(rotating.seal('x', 'channel-1'), 'channel-1')).toThrow(SecretUnreadable);
    expect(() => new SecretBox(newKey, ['c2hvcnQ=']).open(resealed, 'channel-1')).toThrow(/32 bytes/);
  });
});
