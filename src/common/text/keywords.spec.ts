import fc from 'fast-check';
import { extractKeywords } from './keywords';

describe('extractKeywords', () => {
  it('keeps content words, normalised and without the article', () => {
    expect(extractKeywords('السلام عليكم، متى يصل الطلب؟ تأخر الشحن كثيراً')).toEqual(['يصل', 'طلب', 'تاخر', 'شحن', 'كثيرا']);
  });

  it('counts a word once whatever its spelling or attached article', () => {
    expect(extractKeywords('الشحن بالشحن والشحن شحن')).toEqual(['شحن']);
    expect(extractKeywords('فاتورة الفاتوره')).toEqual(['فاتوره']);
  });

  it('drops stopwords, short words and numbers, in both languages', () => {
    expect(extractKeywords('the refund for order 12345 is late')).toEqual(['refund', 'order', 'late']);
    expect(extractKeywords('هل من في على ١٢٣')).toEqual([]);
  });

  it('never returns more than eight keywords, all distinct and non-empty', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const words = extractKeywords(text);
        expect(words.length).toBeLessThanOrEqual(8);
        expect(new Set(words).size).toBe(words.length);
        for (const word of words) expect(word.length).toBeGreaterThanOrEqual(3);
      }),
    );
  });
});
