import fc from 'fast-check';
import { slugify } from './auth.service';

describe('a store slug from its name', () => {
  it('writes Arabic names in Latin letters, with the definite article as "al-"', () => {
    expect(slugify('متجر الورد')).toBe('mtjr-al-wrd');
    expect(slugify('عطور القصيم 2026')).toBe('aatwr-al-qsym-2026');
    expect(slugify('Rose Store')).toBe('rose-store');
    expect(slugify('  مكتبة جرير  ')).toBe('mktb-jryr');
  });

  it('makes one up when the name has nothing to write', () => {
    expect(slugify('☕🌹')).toMatch(/^store-[0-9a-f]{8}$/);
  });

  it('is always a valid slug, whatever the name', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200, unit: 'grapheme' }), (name) => /^[a-z0-9][a-z0-9-]{1,62}$/.test(slugify(name))));
  });
});
