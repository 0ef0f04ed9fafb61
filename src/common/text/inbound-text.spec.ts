import fc from 'fast-check';
import { cleanInboundValue, cleanText } from './inbound-text';

/** Whether PostgreSQL can store it: no NUL, and it survives UTF-8 unchanged. */
const storable = (text: string) => !text.includes('\u0000') && Buffer.from(text, 'utf8').toString('utf8') === text;

describe('cleanText', () => {
  it('removes NUL and replaces lone surrogates with U+FFFD', () => {
    expect(cleanText('a\u0000b')).toBe('ab');
    expect(cleanText('x\uD800y')).toBe('x\uFFFDy');
    expect(cleanText('\uDC00')).toBe('\uFFFD');
    expect(cleanText('\uDC00\uD800')).toBe('\uFFFD\uFFFD');
  });

  it('keeps well-formed text, Arabic and emoji as they are', () => {
    for (const text of ['', 'السلام عليكم 😀', 'tab\tnew\nline', '\uD83D\uDE00']) expect(cleanText(text)).toBe(text);
  });

  it('always yields storable text and changes nothing already storable', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('\u0000', '\uD800', '\uDFFF', 'a', 'ب') }), (a, b) => {
        const cleaned = cleanText(a + b);
        expect(storable(cleaned)).toBe(true);
        expect(cleanText(cleaned)).toBe(cleaned);
      }),
    );
  });
});

describe('cleanInboundValue', () => {
  it('cleans strings and keys at any depth, in place', () => {
    const body = { 'k\u0000': ['a\u0000', { deep: 'x\uD800' }], n: 5, ok: true, nothing: null };
    expect(cleanInboundValue(body)).toEqual({ k: ['a', { deep: 'x\uFFFD' }], n: 5, ok: true, nothing: null });
  });

  it('walks nesting far deeper than the stack allows recursion', () => {
    let nested: Record<string, unknown> = { text: 'end\u0000' };
    for (let i = 0; i < 100_000; i++) nested = { a: nested };
    expect(() => cleanInboundValue(nested)).not.toThrow();
  });
});
