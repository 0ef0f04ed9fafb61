import { normaliseArabic } from './arabic-text';

// Words that say nothing about what went wrong, already normalised (ة → ه, ى → ي, أ → ا).
const STOPWORDS = new Set(
  (
    'من الي علي في عن مع هذا هذه ذلك تلك التي الذي الذين هو هي هم انا انت نحن كان كانت يكون لم لن لا ما ماذا متي كيف اين لماذا هل ' +
    'قد لقد ثم او ام بل لكن اذا ان انه انها كل بعض غير عند بعد قبل حتي منذ ايضا جدا فقط الان اليوم امس يا ياخي لو سمحت ' +
    'السلام عليكم مرحبا اهلا شكرا ابي ابغي ودي عندي لدي ممكن عشان بس وش ليش حق وين ايش شو لي the and for with this that from have has was are ' +
    'you your our please hello hi thanks thank not but can could would what when where why how its is my me do does did'
  ).split(' '),
);
const CLITIC_PREFIXES = ['وال', 'بال', 'فال', 'كال', 'لل', 'ال'];
const MAX_KEYWORDS = 8;

/** Removes the article and the conjunctions and prepositions glued to it, so "بالشحن" and "الشحن" count as "شحن". */
function stem(word: string): string {
  for (const prefix of CLITIC_PREFIXES) {
    if (word.startsWith(prefix) && word.length - prefix.length >= 3) return word.slice(prefix.length);
  }
  return word;
}

/** Whether a normalised word says nothing about the matter (greetings, pronouns, question words …). */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/**
 * The distinct content words of a customer's text, normalised and lightly stemmed, in order of
 * appearance: what friction reports count ("شحن", "استرجاع", "بطاقه").
 */
export function extractKeywords(text: string): string[] {
  const keywords = new Set<string>();
  for (const word of normaliseArabic(text).split(' ')) {
    if (word.length < 3 || /^\d+$/.test(word) || STOPWORDS.has(word)) continue;
    const stemmed = stem(word);
    if (STOPWORDS.has(stemmed)) continue;
    keywords.add(stemmed);
    if (keywords.size === MAX_KEYWORDS) break;
  }
  return [...keywords];
}
