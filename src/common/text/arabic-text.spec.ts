import fc from 'fast-check';
import { containsPhrase, detectLanguage, normaliseArabic } from './arabic-text';

describe('normaliseArabic', () => {
  it.each([
    ['أرجو إرجاع المُنتَج', 'ارجو ارجاع المنتج'],
    ['آمنة', 'امنه'],
    ['فاتورة', 'فاتوره'],
    ['مستشفى', 'مستشفي'],
    ['شـــحـن', 'شحن'],
    ['الطلب رقم ٤٥٢١، متى يصل؟', 'الطلب رقم 4521 متي يصل'],
    ['Refund  PLEASE!!', 'refund please'],
    ['تأخّر الطلبُ', 'تاخر الطلب'],
    ['«عاجل» جداً', 'عاجل جدا'],
  ])('%s → %s', (raw, expected) => {
    expect(normaliseArabic(raw)).toBe(expected);
  });

  it('is idempotent', () => {
    fc.assert(fc.property(fc.string(), (s) => expect(normaliseArabic(normaliseArabic(s))).toBe(normaliseArabic(s))));
  });

  it('ignores diacritics and letter variants: spellings of one word compare equal', () => {
    const spellings = ['إسترجاع', 'استرجاع', 'اِسْتِرْجَاع', 'أسترجاع', 'استـرجاع'];
    expect(new Set(spellings.map(normaliseArabic)).size).toBe(1);
  });
});

describe('containsPhrase', () => {
  it('finds Arabic phrases inside words with attached prepositions', () => {
    expect(containsPhrase(normaliseArabic('دفعت بالبطاقة ولم يتم الطلب'), normaliseArabic('بطاقة'))).toBe(true);
    expect(containsPhrase(normaliseArabic('وللشحن السريع'), normaliseArabic('شحن'))).toBe(true);
    expect(containsPhrase(normaliseArabic('تأخر الطلب كثيراً'), normaliseArabic('تأخر الطلب'))).toBe(true);
  });

  it('matches Latin phrases as whole words only', () => {
    expect(containsPhrase(normaliseArabic('I want a refund'), 'refund')).toBe(true);
    expect(containsPhrase(normaliseArabic('please discard it'), 'card')).toBe(false);
    expect(containsPhrase(normaliseArabic('my card was charged twice'), 'card')).toBe(true);
  });

  it('never matches an empty phrase', () => {
    expect(containsPhrase('anything', '')).toBe(false);
  });
});

describe('detectLanguage', () => {
  it.each([
    ['متى يوصل طلبي؟', 'ar'],
    ['Where is my order?', 'en'],
    ['طلبي order 4521 ما وصل', 'ar'],
    ['My طلب is late, please help', 'en'],
    ['4521', 'ar'],
  ])('%s → %s', (text, language) => {
    expect(detectLanguage(text)).toBe(language);
  });
});
