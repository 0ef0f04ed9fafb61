import { generateApiKey, keyMatches, parseApiKey } from './api-key-format';

describe('API key format', () => {
  it('generates parseable, unique keys whose hash matches only themselves', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).toMatch(/^rida_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(parseApiKey(a.key)).toEqual({ prefix: a.prefix });
    expect(a.key).not.toBe(b.key);
    expect(keyMatches(a.key, a.secretHash)).toBe(true);
    expect(keyMatches(b.key, a.secretHash)).toBe(false);
    expect(keyMatches(a.key.slice(0, -1) + (a.key.endsWith('A') ? 'B' : 'A'), a.secretHash)).toBe(false);
  });

  it('rejects anything that is not a Rida key', () => {
    for (const value of ['', 'rida_', 'rida_short_secret', 'Bearer rida_x', 'sk_live_123']) expect(parseApiKey(value)).toBeUndefined();
  });
});
