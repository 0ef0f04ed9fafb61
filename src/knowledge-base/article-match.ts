import { normaliseArabic, stripGreetings } from '../common/text/arabic-text';
import { isStopword } from '../common/text/keywords';
import { searchTerms, searchWords, stripArticle } from '../common/text/search-text';

/**
 * How well a question matches a knowledge-base article, as a confidence between 0 and 1 that
 * search ranks by and the FAQ auto-answer compares with the store's threshold. Pure: the same
 * normaliser as routing and ticket search, light Arabic stemming (article, attached
 * conjunctions), prefix matches for suffixes ("طلبي" ~ "طلب") and trigram similarity for typos.
 */

// One letter Arabic glues to a word: a conjunction or preposition (و ف ب ل ك) or the imperfect's
// person prefix (ا ت ي ن: "اتتبع" is "I track").
const ATTACHED_LETTER = /^[وفبلكاتين]/;

/**
 * The words of a question worth matching: normalised, without the greetings it opens with
 * («صباح الخير»، «يعطيك العافية»), article, stop words, bare numbers and two-letter particles (له، في، لي).
 */
export function questionTerms(text: string, max = 24): string[] {
  return (
    searchTerms(stripGreetings(text), 200)
      // The stop word list holds some words with their article ("السلام"), which searchTerms strips.
      .filter((term) => term.length >= 3 && !isStopword(term) && !isStopword(`ال${term}`) && !/^\d+$/.test(term))
      .slice(0, max)
  );
}

/** The terms and, for a term with an attached letter, the word without it: what to look up. */
export function lookupTerms(terms: readonly string[]): string[] {
  const out = new Set(terms);
  for (const term of terms) if (term.length >= 4 && ATTACHED_LETTER.test(term)) out.add(term.slice(1));
  return [...out];
}

/** Normalised words of article text, each also without its article. */
export function articleTerms(text: string): Set<string> {
  const terms = new Set<string>();
  for (const word of searchWords(text)) {
    terms.add(word);
    terms.add(stripArticle(word));
  }
  return terms;
}

function trigrams(word: string): Set<string> {
  // As pg_trgm pads a word: two spaces before, one after.
  const padded = `  ${word} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return out;
}

/** pg_trgm's similarity of two words: shared trigrams over all distinct trigrams. */
export function trigramSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const ta = trigrams(a);
  const tb = trigrams(b);
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  return shared / (ta.size + tb.size - shared);
}

const MIN_PREFIX = 3;
const MIN_FUZZY = 0.45;

/** How well one question word is matched by a set of article words: 1 exact, 0.9 suffixed, 0.85 with an attached letter, 0.6–0.85 typo, 0 none. */
export function termStrength(term: string, words: ReadonlySet<string>): number {
  if (words.has(term)) return 1;
  if (term.length >= 4 && ATTACHED_LETTER.test(term) && words.has(term.slice(1))) return 0.85;
  let best = 0;
  for (const word of words) {
    if (term.length >= MIN_PREFIX && word.length >= MIN_PREFIX && (word.startsWith(term) || term.startsWith(word))) {
      // A suffix ("طلبي", "طلبات" ~ "طلب"), as long as the shorter word is most of the longer one.
      if (Math.min(word.length, term.length) / Math.max(word.length, term.length) >= 0.6) return 0.9;
    }
    if (Math.abs(word.length - term.length) <= 3 && term.length >= 4) {
      const similarity = trigramSimilarity(term, word);
      // A typo: 0.6 at the least similarity accepted, rising to 0.85.
      if (similarity >= MIN_FUZZY) best = Math.max(best, 0.6 + ((similarity - MIN_FUZZY) / (1 - MIN_FUZZY)) * 0.25);
    }
  }
  return best;
}

/** Title, tags and summary count fully; a word found only in the body counts for this much. */
const BODY_WEIGHT = 0.6;

export interface ArticleText {
  /** Title, tags and summary. */
  head: ReadonlySet<string>;
  body: ReadonlySet<string>;
}

/**
 * The confidence that an article answers a question: the average over the question's words of
 * how well each is matched (in the title/tags/summary fully, in the body at BODY_WEIGHT). A
 * question with no content words matches nothing.
 */
export function matchConfidence(terms: readonly string[], article: ArticleText): number {
  if (terms.length === 0) return 0;
  let total = 0;
  for (const term of terms) total += Math.max(termStrength(term, article.head), BODY_WEIGHT * termStrength(term, article.body));
  return Math.round((total / terms.length) * 1000) / 1000;
}

export type Feedback = 'YES' | 'NO';

// Normalised answers to "did this help?", as customers write them.
const YES = new Set(['نعم', 'ايه', 'ايوه', 'اي', 'اييه', 'اكيد', 'تمام', 'يب', 'ايوا', 'بلي', 'افادتني', 'افادني', 'ساعدني', 'شكرا', 'مشكور', 'yes', 'y', 'yeah', 'yep', 'ok', 'okay', 'thanks', '1']);
const NO = new Set(['لا', 'لاء', 'كلا', 'ما', 'مو', 'no', 'n', 'nope', 'not', '2']);

/**
 * A customer's answer to "did this help?": YES, NO, or null when the message is something else
 * (a new question, a complaint) — which hands the ticket to an agent just like NO.
 * Short answers only: "لا، ما زال الطلب متأخر" is NO; a long message is never read as YES.
 */
export function readFeedback(text: string): Feedback | null {
  const words = normaliseArabic(text.replace(/👍|✅/gu, ' نعم ').replace(/👎|❌/gu, ' لا ')).split(' ').filter(Boolean);
  if (words.length === 0) return null;
  if (NO.has(words[0])) return 'NO';
  if (words.length <= 4 && YES.has(words[0]) && !words.some((w) => NO.has(w))) return 'YES';
  return null;
}

/** Plain text of a Markdown body: no markup, links as their text, code as its content. */
export function markdownToText(markdown: string): string {
  return markdown
    .replace(/```[^\n]*\n([\s\S]*?)```/g, '$1')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^[ \t]{0,3}(#{1,6}|>|[-*+]|\d+[.)])[ \t]+/gm, '')
    .replace(/(\*\*|__|\*|_|~~|`)(\S[\s\S]*?)\1/g, '$2')
    .replace(/<[^>]+>/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A summary for an article without one: its first paragraph that is not a heading, as plain text, at most `max` characters on a word boundary. */
export function summaryOf(markdown: string, max = 280): string {
  const paragraph = markdown.split(/\n\s*\n/).find((block) => block.trim() && !/^\s{0,3}#/.test(block)) ?? '';
  const first = markdownToText(paragraph).replace(/\s+/g, ' ').trim();
  if (first.length <= max) return first;
  const cut = first.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trim()}…`;
}

/** A URL path segment from a title, in its own script ("سياسة الإرجاع" → "سياسة-الإرجاع"). */
export function slugify(title: string): string {
  return (
    title
      .normalize('NFKC')
      .replace(/[\u064B-\u065F\u0670\u0640]/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80)
      .replace(/-+$/, '') || 'article'
  );
}
