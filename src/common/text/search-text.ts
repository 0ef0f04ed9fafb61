import { normaliseArabic } from './arabic-text';

/**
 * Full-text search terms for Arabic and English, built on the one normaliser: what is indexed and
 * what is asked are normalised the same way, then Arabic words lose the article and the
 * conjunctions/prepositions that attach to it ("والشحنه", "بالشحنه", "للشحنه" → "شحنه"), a light
 * stemming that keeps recall high without the false matches of a full root stemmer.
 */

// Longest first: "وال" before "ال", so "والشحن" becomes "شحن", not "لشحن".
const ARTICLE_PREFIXES = ['وبال', 'وال', 'بال', 'كال', 'فال', 'لل', 'ال'];
const ARABIC_WORD = /^[\u0621-\u064A]+$/;
const MIN_STEM = 2;

/** A word without its attached article, or the word itself. */
export function stripArticle(word: string): string {
  if (!ARABIC_WORD.test(word)) return word;
  for (const prefix of ARTICLE_PREFIXES) {
    if (word.startsWith(prefix) && word.length - prefix.length >= MIN_STEM) return word.slice(prefix.length);
  }
  return word;
}

/** Normalised words of a text, as written. */
export function searchWords(text: string): string[] {
  const normalised = normaliseArabic(text);
  return normalised ? normalised.split(' ') : [];
}

/**
 * What goes into the index for a text: every normalised word and, for Arabic words with an
 * article, the bare word too, so a query with or without the article finds it.
 */
export function searchDocument(text: string): string {
  const words = searchWords(text);
  const out: string[] = [];
  for (const word of words) {
    out.push(word);
    const bare = stripArticle(word);
    if (bare !== word) out.push(bare);
  }
  return out.join(' ');
}

/** A query's terms: normalised, bare, de-duplicated, in order; at most `max`. */
export function searchTerms(query: string, max = 12): string[] {
  return [...new Set(searchWords(query).map(stripArticle))].slice(0, max);
}

/**
 * A PostgreSQL tsquery (for the 'simple' configuration) matching documents that contain every
 * term; the last term also matches as a prefix, so results come while the agent is still typing.
 * With `any`, documents containing any term, each as a prefix (candidates for ranking elsewhere).
 * Terms are quoted, so nothing the user types is read as tsquery syntax. Null when nothing is left.
 */
export function toTsQuery(terms: readonly string[], mode: 'all' | 'any' = 'all'): string | null {
  if (terms.length === 0) return null;
  const quoted = (term: string) => `'${term.replace(/'/g, "''").replace(/\\/g, '\\\\')}'`;
  if (mode === 'any') return terms.map((term) => `${quoted(term)}:*`).join(' | ');
  return terms.map((term, i) => `${quoted(term)}${i === terms.length - 1 ? ':*' : ''}`).join(' & ');
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}\u0640]/u;

/** The span widened to the whole word(s) it touches, so a mark never cuts a word in two. */
function wordAround(text: string, from: number, to: number): [number, number] {
  while (from > 0 && WORD_CHAR.test(text[from - 1])) from--;
  while (to < text.length && WORD_CHAR.test(text[to])) to++;
  return [from, to];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/**
 * A short snippet of `text` around the first match of any term, HTML-escaped, with every match
 * wrapped in <mark>. Matching is done on the normalised text (so "احمد" marks "أحمد" and
 * "شحنة" marks "الشحنه"), then mapped back to the original characters. Null when nothing matches.
 */
export function highlight(text: string, terms: readonly string[], maxLength = 160): string | null {
  if (!text || terms.length === 0) return null;
  // Normalise character by character, remembering where each normalised character came from.
  let normalised = '';
  const origin: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const unit = normaliseArabic(text[i]) || (/\s/.test(text[i]) ? ' ' : '');
    const piece = unit === '' && /[\p{P}\p{S}]/u.test(text[i]) ? ' ' : unit;
    for (const c of piece) {
      normalised += c;
      origin.push(i);
    }
  }
  const spans: Array<[number, number]> = [];
  for (const term of terms) {
    let from = 0;
    for (;;) {
      const at = normalised.indexOf(term, from);
      if (at < 0) break;
      from = at + term.length;
      // Whole words only, counting an attached article as part of the word ("الشحنه" for "شحنه").
      const wordStart = normalised.lastIndexOf(' ', at) + 1;
      const attached = normalised.slice(wordStart, at);
      if (attached !== '' && !ARTICLE_PREFIXES.includes(attached)) continue;
      spans.push(wordAround(text, origin[wordStart], origin[at + term.length - 1] + 1));
    }
  }
  if (spans.length === 0) return null;
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: Array<[number, number]> = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push([...span]);
  }
  const start = Math.max(0, merged[0][0] - Math.floor(maxLength / 3));
  const end = Math.min(text.length, start + maxLength);
  let out = start > 0 ? '…' : '';
  let cursor = start;
  for (const [from, to] of merged) {
    if (from >= end) break;
    if (to <= cursor) continue;
    out += escapeHtml(text.slice(cursor, Math.max(cursor, from)));
    out += `<mark>${escapeHtml(text.slice(Math.max(cursor, from), Math.min(to, end)))}</mark>`;
    cursor = Math.min(to, end);
  }
  out += escapeHtml(text.slice(cursor, end)) + (end < text.length ? '…' : '');
  return out.replace(/\s+/g, ' ').trim();
}
