import fc from 'fast-check';
import { containsPhrase, detectLanguage, normaliseArabic, OPENING_GREETINGS, stripGreetings } from './arabic-text';

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

describe('stripGreetings', () => {
  it.each([
    ['صباح الخير، كيف ارجع المنتج؟', 'كيف ارجع المنتج'],
    ['مساء الخير وين طلبي', 'وين طلبي'],
    ['السلام عليكم ورحمة الله وبركاته، متى يوصل الطلب؟', 'متي يوصل الطلب'],
    ['هلا والله، ابي استرجع المبلغ', 'ابي استرجع المبلغ'],
    ['اهلين، الطلب ما وصل', 'الطلب ما وصل'],
    ['مساء النور', ''],
    ['صباحك الخير، مساك الخير… الشحنة متأخرة', 'الشحنه متاخره'],
    ['الله يعطيك العافية، عندي مشكلة في الدفع', 'عندي مشكله في الدفع'],
    ['يعطيك العافيه ابي ارجع العبايه', 'ابي ارجع العبايه'],
    ['السلام عليكم، صباح الخير، هلا! كم مدة التوصيل؟', 'كم مده التوصيل'],
    ['Hi, where is my order?', 'where is my order'],
    ['Hello there! Good morning. refund please', 'refund please'],
  ])('%s → %s', (raw, expected) => {
    expect(stripGreetings(raw)).toBe(expected);
  });

  it('keeps greeting words that do not open the message', () => {
    expect(stripGreetings('وش الخير في التأخير؟ صباح الخير')).toBe('وش الخير في التاخير صباح الخير');
    expect(stripGreetings('هلال العيد')).toBe('هلال العيد');
  });

  it('drops every listed greeting, alone and before a question, and nothing else', () => {
    const greeting = fc.constantFrom(...OPENING_GREETINGS);
    const separator = fc.constantFrom(' ', '، ', '! ', '.. ', ', ', '\n', ' 🌹 ');
    const question = fc.constantFrom('كيف ارجع المنتج؟', 'وين طلبي رقم ٤٥٢١', 'متى يوصل الطلب', 'where is my order');
    fc.assert(
      fc.property(fc.array(fc.tuple(greeting, separator), { minLength: 1, maxLength: 3 }), question, (opening, q) => {
        const text = opening.map(([g, sep]) => g + sep).join('') + q;
        expect(stripGreetings(text)).toBe(normaliseArabic(q));
      }),
      { numRuns: 1000 },
    );
  });
});
