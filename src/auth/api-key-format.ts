import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Keys look like `rida_<prefix>_<secret>`: the prefix finds the row (and is safe to show), the
 * secret is 32 random bytes. With that much entropy a fast hash (SHA-256) is the right tool, as
 * for other high-entropy tokens; slow password hashes are for guessable secrets.
 */
const KEY_PATTERN = /^rida_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export interface GeneratedKey {
  key: string;
  prefix: string;
  secretHash: Buffer;
}

export function hashKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

export function generateApiKey(): GeneratedKey {
  const prefix = randomBytes(9)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .padEnd(12, '0')
    .slice(0, 12);
  const key = `rida_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, secretHash: hashKey(key) };
}

export function parseApiKey(key: string): { prefix: string } | undefined {
  const match = KEY_PATTERN.exec(key);
  return match ? { prefix: match[1] } : undefined;
}

export function keyMatches(key: string, storedHash: Buffer): boolean {
  const actual = hashKey(key);
  return actual.length === storedHash.length && timingSafeEqual(actual, storedHash);
}
