/**
 * Text from outside is made storable before anything reads it: PostgreSQL refuses U+0000 in text
 * and in jsonb strings, and a lone UTF-16 surrogate cannot be encoded as UTF-8. Such text is cleaned
 * rather than refused, so a customer's message is never lost: NUL is removed and each lone
 * surrogate becomes U+FFFD. Pure; applied at the edge, to every HTTP request (src/create-app.ts) and
 * to GraphQL string literals (src/common/graphql/operation-limits.ts).
 */

// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function cleanText(text: string): string {
  UNSTORABLE.lastIndex = 0;
  if (!UNSTORABLE.test(text)) return text;
  return text.replace(UNSTORABLE, (match) => (match === '\u0000' ? '' : '\uFFFD'));
}

/**
 * Cleans every string (values and object keys) of a parsed JSON value in place and returns it.
 * Iterative, so a deeply nested body cannot overflow the stack here.
 */
export function cleanInboundValue<T>(value: T): T {
  if (typeof value === 'string') return cleanText(value) as T;
  if (!value || typeof value !== 'object') return value;
  const pending: object[] = [value as object];
  const seen = new Set<object>();
  while (pending.length) {
    const node = pending.pop()!;
    if (seen.has(node) || Buffer.isBuffer(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const item: unknown = node[i];
        if (typeof item === 'string') node[i] = cleanText(item);
        else if (item && typeof item === 'object') pending.push(item);
      }
      continue;
    }
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const item = record[key];
      const cleanKey = cleanText(key);
      const cleanItem = typeof item === 'string' ? cleanText(item) : item;
      if (cleanKey !== key) {
        delete record[key];
        record[cleanKey] = cleanItem;
      } else if (cleanItem !== item) {
        record[key] = cleanItem;
      }
      if (item && typeof item === 'object') pending.push(item);
    }
  }
  return value;
}
