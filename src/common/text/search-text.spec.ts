import fc from 'fast-check';
import { highlight, searchDocument, searchTerms, stripArticle, toTsQuery } from './search-text';

/** Whether every query term occurs in the document the way PostgreSQL would match it (last term as a prefix). */
function matches(document: string, query: string): boolean {
  const words = new Set(searchDocument(document).split(' '));
  const terms = searchTerms(query);
  return terms.length > 0 && terms.every((term, i) => (i === terms.length - 1 ? [...words].some((w) => w.startsWith(term)) : words.has(term)));
}

describe('search text', () => {
  // A small corpus as customers and agents really write: dialect, hamza forms, ta marbuta,
  // diacritics, tatweel, attached articles, mixed scripts and Arabic-Indic digits.
  const corpus: Array<[document: string, query: string]> = [
    ['تأخرت الشحنة أكثر من أسبوع', 'تاخرت الشحنه'],
    ['تأخرت الشحنة أكثر من أسبوع', 'شحنة'],
    ['وصلتني الشحنه ناقصة', 'الشحنة'],
    ['أبغى أرجع المنتج', 'ابغى ارجع'],
    ['إلغاء الطلب رقم ١٠٤٢', 'الغاء 1042'],
    ['الطلب SA-10042 ما وصل', 'sa-10042'],
    ['مُنْتَجٌ تالِفٌ', 'منتج تالف'],
    ['شكـــــرا على المساعدة', 'شكرا'],
    ['مستشفى الملك', 'مستشفي'],
    ['والمبلغ ما رجع للحساب', 'مبلغ حساب'],
    ['Payment failed بطاقة مدى', 'payment مدى'],
    ['رقم التتبع لا يعمل', 'التتب'],
    ['order #۱۲۳ delayed', '123'],
  ];

  it.each(corpus)('"%s" is found by "%s"', (document, query) => {
    expect(matches(document, query)).toBe(true);
  });

  it.each([
    ['تأخرت الشحنة', 'استرجاع'],
    ['بطاقة مدى', 'فيزا'],
    ['the card was declined', 'discard'],
  ])('"%s" is not found by "%s"', (document, query) => {
    expect(matches(document, query)).toBe(false);
  });

  it('strips the article and attached conjunctions, never below two letters', () => {
    expect(stripArticle('والشحن')).toBe('شحن');
    expect(stripArticle('بالبطاقه')).toBe('بطاقه');
    expect(stripArticle('للحساب')).toBe('حساب');
    expect(stripArticle('الم')).toBe('الم');
    expect(stripArticle('الي')).toBe('الي');
    expect(stripArticle('delivery')).toBe('delivery');
  });

  it('indexes the bare word next to the written one', () => {
    expect(searchDocument('الشحنة وصلت')).toBe('الشحنه شحنه وصلت');
  });

  it('builds a safe tsquery: quoted terms, prefix on the last', () => {
    expect(toTsQuery(searchTerms('تأخر الشحنة'))).toBe("'تاخر' & 'شحنه':*");
    expect(toTsQuery([])).toBeNull();
    expect(toTsQuery(searchTerms('!!! ؟؟'))).toBeNull();
    expect(toTsQuery(["o'neil"])).toBe("'o''neil':*");
    expect(toTsQuery(['شحن', 'طلب'], 'any')).toBe("'شحن':* | 'طلب':*");
  });

  it('keeps any typed text a valid, bounded list of terms', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (query) => {
        const terms = searchTerms(query);
        expect(terms.length).toBeLessThanOrEqual(12);
        for (const term of terms) expect(term).not.toMatch(/\s/);
      }),
    );
  });

  describe('highlight', () => {
    it('marks the original spelling of normalised matches, whole words', () => {
      expect(highlight('تأخرت الشحنة أكثر من أسبوع', searchTerms('تاخرت شحنه'))).toBe('<mark>تأخرت</mark> <mark>الشحنة</mark> أكثر من أسبوع');
    });

    it('marks diacritised and tatweel words and Arabic-Indic digits', () => {
      expect(highlight('طلب رقم ١٠٤٢ مُنْتَجٌ', searchTerms('1042 منتج'))).toBe('طلب رقم <mark>١٠٤٢</mark> <mark>مُنْتَجٌ</mark>');
    });

    it('does not mark a term inside another word', () => {
      expect(highlight('the discard pile and the card', ['card'])).toBe('the discard pile and the <mark>card</mark>');
    });

    it('escapes HTML and trims long texts around the first match', () => {
      const text = `${'مقدمة طويلة '.repeat(30)}<script>alert(1)</script> الاسترجاع ${'ثم كلام كثير '.repeat(30)}`;
      const snippet = highlight(text, searchTerms('استرجاع'), 80)!;
      expect(snippet).toContain('&lt;script&gt;');
      expect(snippet).toContain('<mark>الاسترجاع</mark>');
      expect(snippet.startsWith('…')).toBe(true);
      expect(snippet.endsWith('…')).toBe(true);
      expect(snippet).not.toContain('<script>');
    });

    it('is null when nothing matches', () => {
      expect(highlight('لا شيء هنا', ['شحن'])).toBeNull();
      expect(highlight('', ['شحن'])).toBeNull();
    });
  });
});
