import { inlineParameters } from './batch';

describe('inlineParameters', () => {
  it('writes each parameter as the quoted text pg would send', () => {
    // pg quotes text with a backslash in the E'' form (with a leading space).
    expect(inlineParameters('SELECT $1, $2, $3, $4', ["it's", 5, null, ['a', 'b"c']])).toBe(`SELECT 'it''s', '5', NULL,  E'{"a","b\\\\"c"}'`);
  });

  it('quotes backslashes with the E form, and does not confuse $1 with $10', () => {
    const parameters = Array.from({ length: 10 }, (_, i) => `v${i + 1}`);
    parameters[0] = 'a\\b';
    expect(inlineParameters('SELECT $1, $10', parameters)).toBe(`SELECT  E'a\\\\b', 'v10'`);
  });

  it('writes JSON, dates and bytes as text the server parses', () => {
    const sql = inlineParameters('SELECT $1::jsonb, $2::timestamptz, $3::bytea', [{ نص: 'عربي' }, new Date('2026-01-01T00:00:00Z'), Buffer.from('AB')]);
    expect(sql).toContain(`'{"نص":"عربي"}'::jsonb`);
    expect(sql).toMatch(/'2026-01-01T\d\d:00:00(\.000)?[+-]\d\d:\d\d'::timestamptz/);
    expect(sql).toContain(`E'\\\\x4142'::bytea`);
  });

  it('refuses a statement that refers to a missing parameter', () => {
    expect(() => inlineParameters('SELECT $2', [1])).toThrow(/\$2/);
  });
});
