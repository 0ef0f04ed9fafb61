/**
 * Object and list nesting of a parsed request body, measured without recursion. Validation and
 * class-transformer walk bodies recursively, so a body nested thousands deep would overflow the
 * stack there; the edge refuses it first (src/create-app.ts). GraphQL variables have their own
 * check, which names the variable (src/common/graphql/variable-limits.ts).
 */
export const MAX_BODY_DEPTH = 32;

/** The path of the first value nested deeper than `maxDepth`, e.g. `$.customFields.a[0]`; null when none is. */
export function tooDeepAt(value: unknown, maxDepth = MAX_BODY_DEPTH): string | null {
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: '$', depth: 0 }];
  while (pending.length) {
    const node = pending.pop()!;
    if (!node.value || typeof node.value !== 'object' || Buffer.isBuffer(node.value)) continue;
    if (node.depth >= maxDepth) return node.path;
    if (Array.isArray(node.value)) node.value.forEach((item, i) => pending.push({ value: item, path: `${node.path}[${i}]`, depth: node.depth + 1 }));
    else for (const [key, item] of Object.entries(node.value)) pending.push({ value: item, path: `${node.path}.${key}`, depth: node.depth + 1 });
  }
  return null;
}
