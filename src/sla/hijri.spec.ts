import fc from 'fast-check';
import { hijriToGregorian, HijriDateError } from './hijri';

describe('hijriToGregorian (Umm al-Qura)', () => {
  it.each([
    [1447, 9, 1, '2026-02-18'], // 1 Ramadan 1447
    [1447, 10, 1, '2026-03-20'], // Eid al-Fitr 1447
    [1447, 12, 10, '2026-05-27'], // Eid al-Adha 1447
    [1448, 10, 2, '2027-03-10'],
  ])('%i-%i-%i → %s', (y, m, d, iso) => {
    expect(hijriToGregorian(y, m, d)).toBe(iso);
  });

  it('refuses dates that do not exist', () => {
    expect(() => hijriToGregorian(1447, 13, 1)).toThrow(HijriDateError);
    expect(() => hijriToGregorian(1447, 1, 31)).toThrow(HijriDateError);
  });

  it('round-trips through Intl for any day of the 1440s–1460s', () => {
    const format = new Intl.DateTimeFormat('en-u-ca-islamic-umalqura', { timeZone: 'UTC', year: 'numeric', month: 'numeric', day: 'numeric' });
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2019, 0, 1), max: Date.UTC(2038, 0, 1) }), (ms) => {
        const iso = new Date(ms).toISOString().slice(0, 10);
        const parts = Object.fromEntries(format.formatToParts(new Date(`${iso}T00:00:00Z`)).map((p) => [p.type, p.value]));
        expect(hijriToGregorian(Number.parseInt(parts.year, 10), Number(parts.month), Number(parts.day))).toBe(iso);
      }),
      { numRuns: 300 },
    );
  });
});
