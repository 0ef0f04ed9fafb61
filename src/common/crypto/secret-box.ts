import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * A stored secret none of the configured keys opens: sealed under a key that is no longer
 * configured (rotated or mistyped SECRETS_KEY), or damaged. Only the secret's owner is affected.
 */
export class SecretUnreadable extends Error {
  constructor(message = 'SECRETS_KEY does not match the key this secret was sealed with (rotated or mistyped?): list the old key in SECRETS_KEY_PREVIOUS, or enter the secret again') {
    super(message);
    this.name = 'SecretUnreadable';
  }
}

function keyFrom(base64Key: string, name: string): Buffer {
  const key = Buffer.from(base64Key, 'base64');
  if (key.length !== 32) throw new Error(`${name} must be 32 bytes, base64-encoded`);
  return key;
}

/**
 * Secrets at rest (mailbox and channel passwords, tokens): AES-256-GCM with a key from config.
 * Stored as version byte ‖ IV ‖ tag ‖ ciphertext; the tag makes tampering or a wrong key fail
 * loudly instead of yielding garbage. The associated data binds a value to its owner (e.g. the
 * mailbox id), so a ciphertext copied to another row does not decrypt.
 *
 * Key rotation: the current key seals; previous keys only open, until `resealed` has moved every
 * value to the current key.
 */
export class SecretBox {
  private readonly key: Buffer;
  private readonly previousKeys: Buffer[];

  constructor(base64Key: string, previousBase64Keys: readonly string[] = []) {
    this.key = keyFrom(base64Key, 'SECRETS_KEY');
    this.previousKeys = previousBase64Keys.map((k) => keyFrom(k, 'Each SECRETS_KEY_PREVIOUS key'));
  }

  seal(plaintext: string, associatedData: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(associatedData));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ciphertext]);
  }

  /** The plain text, under the current key or any previous one; SecretUnreadable when none opens it. */
  open(sealed: Buffer, associatedData: string): string {
    return this.openWithAnyKey(sealed, associatedData).plaintext;
  }

  /** The value sealed again under the current key, or null when it already is (so re-sealing twice changes nothing). */
  resealed(sealed: Buffer, associatedData: string): Buffer | null {
    const { plaintext, current } = this.openWithAnyKey(sealed, associatedData);
    return current ? null : this.seal(plaintext, associatedData);
  }

  private openWithAnyKey(sealed: Buffer, associatedData: string): { plaintext: string; current: boolean } {
    if (sealed[0] !== VERSION) throw new SecretUnreadable('Unknown secret format (damaged value?): enter the secret again');
    for (const [index, key] of [this.key, ...this.previousKeys].entries()) {
      const plaintext = openWith(key, sealed, associatedData);
      if (plaintext !== undefined) return { plaintext, current: index === 0 };
    }
    throw new SecretUnreadable();
  }
}

function openWith(key: Buffer, sealed: Buffer, associatedData: string): string | undefined {
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(associatedData));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return undefined; // wrong key, another owner or tampered: the tag does not verify
  }
}

/** The one SecretBox of the process, from SECRETS_KEY and SECRETS_KEY_PREVIOUS. */
export function secretBoxFrom(config: { SECRETS_KEY?: string; SECRETS_KEY_PREVIOUS?: string[] }): SecretBox {
  if (!config.SECRETS_KEY) throw new Error('SECRETS_KEY is not configured');
  return new SecretBox(config.SECRETS_KEY, config.SECRETS_KEY_PREVIOUS ?? []);
}
