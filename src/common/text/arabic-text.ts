/**
 * One normaliser for Arabic (and mixed Arabic/English) text, shared by routing rules and search:
 * what customers type in many spellings compares equal once normalised.
 */

// Harakat and Quranic marks (fathatan … sukun, superscript alef, small high/low signs).
const DIACRITICS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED]/g;
const TATWEEL = /\u0640/g;
const ALEF_VARIANTS = /[\u0622\u0623\u0625\u0671]/g; // آ أ إ ٱ
const TEH_MARBUTA = /\u0629/g; // ة
const ALEF_MAKSURA = /\u0649/g; // ى
const ARABIC_INDIC_DIGITS = /[\u0660-\u0669]/g;
const PERSIAN_DIGITS = /[\u06F0-\u06F9]/g;
// Punctuation and symbols of both scripts become spaces (، ؛ ؟ « » and ASCII punctuation).
const PUNCTUATION = /[\u060C\u061B\u061F\u066A-\u066D\u06D4«»"'`~!@#$%^&*()_+=[\]{}|\\:;<>,.?/\-–—…]+/g;

/** Arabic-Indic (٠-٩) and Persian (۰-۹) digits, as customers type them, to ASCII. */
export function toAsciiDigits(text: string): string {
  return text.replace(ARABIC_INDIC_DIGITS, (d) => String(d.charCodeAt(0) - 0x0660)).replace(PERSIAN_DIGITS, (d) => String(d.charCodeAt(0) - 0x06f0));
}

export function normaliseArabic(text: string): string {
  return toAsciiDigits(text.normalize('NFKC').replace(DIACRITICS, '').replace(TATWEEL, '').replace(ALEF_VARIANTS, 'ا').replace(TEH_MARBUTA, 'ه').replace(ALEF_MAKSURA, 'ي'))
    .toLowerCase()
    .replace(PUNCTUATION, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const LATIN_WORD = /^[a-z0-9 ]+$/;

/**
 * Whether a (normalised) phrase occurs in a (normalised) text. Latin phrases match whole words
 * ("card" is not in "discard"); Arabic phrases match inside words too, because Arabic attaches
 * prepositions and articles to the word ("بالبطاقه" contains "بطاقه", "وللشحن" contains "شحن").
 */
export function containsPhrase(normalisedText: string, normalisedPhrase: string): boolean {
  if (!normalisedPhrase) return false;
  if (LATIN_WORD.test(normalisedPhrase)) return ` ${normalisedText} `.includes(` ${normalisedPhrase} `);
  return normalisedText.includes(normalisedPhrase);
}

/** "When to expect a reply", as a customer reads it: full date and time, Gregorian in Arabic, in the store's zone. */
export function formatForCustomer(at: Date, language: 'ar' | 'en', timeZone: string): string {
  return new Intl.DateTimeFormat(language === 'ar' ? 'ar-SA-u-ca-gregory' : 'en-GB', { dateStyle: 'full', timeStyle: 'short', timeZone }).format(at);
}

/** The language a customer wrote in, by script: 'ar' when Arabic letters outnumber Latin ones, else 'en'. */
export function detectLanguage(text: string): 'ar' | 'en' {
  const arabic = (text.match(/[\u0621-\u064A]/g) ?? []).length;
  const latin = (text.match(/[A-Za-z]/g) ?? []).length;
  return arabic >= latin && arabic > 0 ? 'ar' : latin > 0 ? 'en' : 'ar';
}

/**
 * The greetings and courtesies customers open a message with, as they write them in the Gulf and in
 * English. They say nothing about the question, so matching drops them (see `stripGreetings`).
 * Written as customers type them; compared after `normaliseArabic`.
 */
export const OPENING_GREETINGS: readonly string[] = [
  'السلام عليكم ورحمة الله وبركاته',
  'السلام عليكم ورحمة الله',
  'السلام عليكم',
  'سلام عليكم',
  'السلام',
  'سلام',
  'وعليكم السلام ورحمة الله وبركاته',
  'وعليكم السلام',
  'مرحبا',
  'مرحباً',
  'مرحبتين',
  'مراحب',
  'أهلاً وسهلاً',
  'أهلا',
  'أهلين',
  'هلا والله',
  'هلا وغلا',
  'هلا',
  'حياك الله',
  'حياكم الله',
  'صباح الخير',
  'صباح النور',
  'صباحك الخير',
  'صباحكم الخير',
  'صباح الورد',
  'مساء الخير',
  'مسا الخير',
  'مساء النور',
  'مسا النور',
  'مساك الخير',
  'مساءك الخير',
  'مساكم الخير',
  'مساء الورد',
  'الله يعطيك العافية',
  'الله يعطيكم العافية',
  'يعطيك العافية',
  'يعطيكم العافية',
  'تحية طيبة',
  'طاب يومك',
  'hi',
  'hello',
  'hey',
  'hi there',
  'hello there',
  'good morning',
  'good afternoon',
  'good evening',
  'salam',
  'salam alaikum',
  'assalamu alaikum',
];

// Each greeting as normalised words, longest first, so "السلام عليكم ورحمه الله" wins over "السلام".
const GREETING_WORDS: readonly string[][] = [...new Set(OPENING_GREETINGS.map(normaliseArabic))].map((greeting) => greeting.split(' ')).sort((a, b) => b.length - a.length);

/**
 * The normalised text without the greetings it opens with, however many and in any order
 * («السلام عليكم، صباح الخير، كيف ارجع المنتج؟» → «كيف ارجع المنتج»), and the emoji between them. Only whole words at the start:
 * «الخير» or «سلام» later in a sentence stay.
 */
export function stripGreetings(text: string): string {
  const words = normaliseArabic(text).split(' ').filter(Boolean);
  let start = 0;
  for (;;) {
    // Emoji and symbols between greetings («هلا 🌹 صباح الخير») are part of the opening.
    while (start < words.length && !/[\p{L}\p{N}]/u.test(words[start])) start++;
    const greeting = GREETING_WORDS.find((g) => g.every((word, i) => words[start + i] === word));
    if (!greeting) break;
    start += greeting.length;
  }
  return words.slice(start).join(' ');
}
