import fc from 'fast-check';
import { OPENING_GREETINGS } from '../common/text/arabic-text';
import { articleTerms, markdownToText, matchConfidence, questionTerms, readFeedback, slugify, summaryOf, termStrength, trigramSimilarity } from './article-match';

const article = (head: string, body = '') => ({ head: articleTerms(head), body: articleTerms(body) });

// A small help centre as Saudi stores write it.
const ARTICLES = {
  whereIsMyOrder: article('أين طلبي؟ تتبع الشحنة — تتبع الطلب، شحن', 'يمكنك تتبع شحنتك من صفحة طلباتي برقم التتبع المرسل في رسالة نصية. تصل الطلبات خلال ٣ إلى ٥ أيام عمل.'),
  returns: article('سياسة الإرجاع والاستبدال — ارجاع، ارجع، استرجاع، استبدال', 'يمكنك إرجاع المنتج خلال ١٤ يومًا من الاستلام بحالته الأصلية، ويُعاد المبلغ خلال ٥ إلى ١٠ أيام عمل.'),
  payment: article('طرق الدفع المتاحة — مدى، أبل باي، تابي، تمارا', 'نقبل الدفع بمدى وفيزا وماستركارد وأبل باي، والتقسيط عبر تابي وتمارا، والدفع عند الاستلام.'),
  english: article('Where is my order? Tracking your shipment', 'Track your parcel from My Orders with the tracking number we sent by SMS.'),
};

function best(question: string): [string, number] {
  const terms = questionTerms(question);
  return Object.entries(ARTICLES)
    .map(([name, a]) => [name, matchConfidence(terms, a)] as [string, number])
    .sort((x, y) => y[1] - x[1])[0];
}

describe('questionTerms', () => {
  it('drops greetings, question words, pronouns and bare numbers, keeps content words without the article', () => {
    expect(questionTerms('السلام عليكم، وين طلبي رقم ١٢٣٤؟')).toEqual(['طلبي', 'رقم']);
    expect(questionTerms('Hi, where is my order please?')).toEqual(['order']);
    expect(questionTerms('مرحبا')).toEqual([]);
  });

  it('reads diacritics, tatweel and hamza forms as the plain letters', () => {
    expect(questionTerms('الإرجـــاعُ')).toEqual(questionTerms('الارجاع'));
    expect(questionTerms('سياسة')).toEqual(questionTerms('سياسه'));
  });
});

describe('trigramSimilarity', () => {
  it('is 1 for the same word and counts shared padded trigrams as pg_trgm does', () => {
    expect(trigramSimilarity('شحن', 'شحن')).toBe(1);
    // "استرجاع" vs "استجاع" (a dropped ر): 5 shared of 10 distinct trigrams.
    expect(trigramSimilarity('استرجاع', 'استجاع')).toBeCloseTo(0.5);
    expect(trigramSimilarity('دفع', 'شحن')).toBe(0);
  });

  it('is symmetric and between 0 and 1', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ minLength: 1, maxLength: 12 }), (a, b) => {
        const s = trigramSimilarity(a, b);
        return s >= 0 && s <= 1 && s === trigramSimilarity(b, a);
      }),
    );
  });
});

describe('termStrength', () => {
  const words = articleTerms('تتبع الطلب والاسترجاع');
  it('is 1 for the word itself, with or without its article', () => {
    expect(termStrength('طلب', words)).toBe(1);
    expect(termStrength('الطلب', words)).toBe(1);
  });
  it('is 0.9 for a suffixed form of the word ("طلبي", "طلبات")', () => {
    expect(termStrength('طلبي', words)).toBe(0.9);
    expect(termStrength('طلبات', words)).toBe(0.9);
  });
  it('scores a misspelling between 0.6 and 0.85', () => {
    const typo = termStrength('استجاع', words);
    expect(typo).toBeGreaterThanOrEqual(0.6);
    expect(typo).toBeLessThan(0.9);
  });
  it('is 0.85 for the word with one attached letter ("بالطلب" is the article\'s job; "اتتبع", "وطلب")', () => {
    expect(termStrength('اتتبع', words)).toBe(0.85);
    expect(termStrength('وطلب', words)).toBe(0.85);
  });
  it('is 0 for an unrelated word, and a short word is not a prefix of everything', () => {
    expect(termStrength('دفع', words)).toBe(0);
    expect(termStrength('ط', words)).toBe(0);
  });
});

describe('matchConfidence: the right article for what customers write', () => {
  it.each([
    ['وين طلبي؟', 'whereIsMyOrder'],
    ['السلام عليكم ابي اتتبع الشحنه', 'whereIsMyOrder'],
    ['كيف ارجع المنتج؟', 'returns'],
    ['ابي استرجاع', 'returns'],
    ['سياسه الاستجاع', 'returns'], // misspelt
    ['هل عندكم تقسيط تابي؟', 'payment'],
    ['الدّفع بأبل باي', 'payment'],
    ['Where is my order?', 'english'],
  ])('%s → %s', (question, expected) => {
    const [name, confidence] = best(question);
    expect(name).toBe(expected);
    expect(confidence).toBeGreaterThanOrEqual(0.7);
  });

  it('is 0 for a question with no content words, and low for one the help centre does not cover', () => {
    expect(matchConfidence(questionTerms('السلام عليكم'), ARTICLES.returns)).toBe(0);
    expect(best('المنتج وصل مكسور والكرتون مفتوح')[1]).toBeLessThan(0.7);
  });

  it('counts a word found only in the body less than one in the title', () => {
    const terms = questionTerms('رسالة نصية');
    expect(matchConfidence(terms, ARTICLES.whereIsMyOrder)).toBeCloseTo(0.6);
    expect(matchConfidence(terms, article('رسالة نصية'))).toBe(1);
  });

  it('stays between 0 and 1 whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const c = matchConfidence(questionTerms(text), ARTICLES.payment);
        return c >= 0 && c <= 1;
      }),
    );
  });
});

describe('readFeedback', () => {
  it.each([
    ['نعم', 'YES'],
    ['ايوه شكرا', 'YES'],
    ['تمام، أفادتني', 'YES'],
    ['👍', 'YES'],
    ['yes thanks', 'YES'],
    ['لا', 'NO'],
    ['لا، ما زال الطلب متأخر', 'NO'],
    ['ما ساعدني', 'NO'],
    ['No', 'NO'],
  ])('%s → %s', (text, expected) => {
    expect(readFeedback(text)).toBe(expected);
  });

  it('is null for anything else, and never YES for a long message or one with a no in it', () => {
    expect(readFeedback('متى يوصل الطلب؟')).toBeNull();
    expect(readFeedback('نعم بس الطلب ما وصل للحين والتتبع واقف من أسبوع')).toBeNull();
    expect(readFeedback('تمام لا')).toBeNull();
    expect(readFeedback('  ')).toBeNull();
  });
});

describe('markdownToText and summaryOf', () => {
  const md = '# سياسة الإرجاع\n\nيمكنك **إرجاع** المنتج خلال [١٤ يومًا](https://example.com/terms).\n\n- بحالته الأصلية\n- مع الفاتورة';
  it('drops markup and keeps link text', () => {
    expect(markdownToText(md)).toBe('سياسة الإرجاع\n\nيمكنك إرجاع المنتج خلال ١٤ يومًا.\n\nبحالته الأصلية\nمع الفاتورة');
  });
  it('summarises by the first paragraph that is not a heading, cut on a word', () => {
    expect(summaryOf(md)).toBe('يمكنك إرجاع المنتج خلال ١٤ يومًا.');
    const long = summaryOf(`${'كلمة '.repeat(100)}`, 50);
    expect(long.length).toBeLessThanOrEqual(50);
    expect(long.endsWith('كلمة…')).toBe(true);
  });
});

describe('slugify', () => {
  it('keeps the title’s script, drops diacritics and punctuation', () => {
    expect(slugify('سياسةُ الإرجاع والاستبدال؟')).toBe('سياسة-الإرجاع-والاستبدال');
    expect(slugify('Where is my order?')).toBe('where-is-my-order');
    expect(slugify('؟؟')).toBe('article');
  });
});

describe('greetings before a question', () => {
  it('«صباح الخير، كيف ارجع المنتج؟» scores as «كيف ارجع المنتج؟»', () => {
    expect(best('كيف ارجع المنتج؟')).toEqual(['returns', 0.8]);
    expect(best('صباح الخير، كيف ارجع المنتج؟')).toEqual(['returns', 0.8]);
    expect(best('مساء الخير 🌹 الله يعطيك العافية، كيف ارجع المنتج؟')).toEqual(['returns', 0.8]);
  });

  it('any greeting (or several) before a question scores as the question alone', () => {
    const questions = ['كيف ارجع المنتج؟', 'وين طلبي؟ ابي اتتبع الشحنة', 'وش طرق الدفع عندكم؟ تمارا متاح؟', 'where is my order?', 'ابغى استبدل المقاس'];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...OPENING_GREETINGS), fc.constantFrom(' ', '، ', '! ', ', ', '\n', ' 🌹 ')), { minLength: 1, maxLength: 3 }),
        fc.constantFrom(...questions),
        (opening, question) => {
          const text = opening.map(([greeting, sep]) => greeting + sep).join('') + question;
          expect(questionTerms(text)).toEqual(questionTerms(question));
          for (const a of Object.values(ARTICLES)) expect(matchConfidence(questionTerms(text), a)).toBe(matchConfidence(questionTerms(question), a));
        },
      ),
    );
  });
});
