/**
 * Bounds on a GraphQL request's variables, checked before they are coerced: coercing (and building
 * an error for) every item of a 100 000-item list is the work an abusive request asks for.
 */
export interface VariableLimits {
  /** Items in any one list. */
  maxListLength: number;
  /** Characters in any one string: above every text field's own limit, which validation names. */
  maxStringLength: number;
  /** Object and list nesting. */
  maxDepth: number;
  /** Values of every kind in the whole variables object. */
  maxValues: number;
}

export const VARIABLE_LIMITS: VariableLimits = { maxListLength: 1000, maxStringLength: 200_000, maxDepth: 32, maxValues: 20_000 };

/** The first limit the variables break, as a message naming the path; null when within limits. Iterative. */
export function variableLimitProblem(variables: unknown, limits: VariableLimits = VARIABLE_LIMITS): string | null {
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value: variables, path: '$', depth: 0 }];
  let values = 0;
  while (pending.length) {
    const { value, path, depth } = pending.pop()!;
    if (++values > limits.maxValues) return `Variables hold more than ${limits.maxValues} values`;
    if (typeof value === 'string') {
      if (value.length > limits.maxStringLength) return `Variable ${path} is longer than ${limits.maxStringLength} characters`;
      continue;
    }
    if (!value || typeof value !== 'object') continue;
    if (depth >= limits.maxDepth) return `Variable ${path} is nested deeper than ${limits.maxDepth} levels`;
    if (Array.isArray(value)) {
      if (value.length > limits.maxListLength) return `Variable ${path} is a list of ${value.length} items; at most ${limits.maxListLength} are accepted`;
      value.forEach((item, i) => pending.push({ value: item, path: `${path}[${i}]`, depth: depth + 1 }));
    } else {
      for (const [key, item] of Object.entries(value)) pending.push({ value: item, path: `${path}.${key}`, depth: depth + 1 });
    }
  }
  return null;
}
