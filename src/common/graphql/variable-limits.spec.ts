import fc from 'fast-check';
import { VARIABLE_LIMITS, variableLimitProblem } from './variable-limits';

describe('variableLimitProblem', () => {
  it('accepts ordinary variables', () => {
    expect(variableLimitProblem({ input: { subject: 'تأخر الطلب', tags: ['a', 'b'], customFields: { size: { eu: 42 } } }, first: 50 })).toBeNull();
    expect(variableLimitProblem(undefined)).toBeNull();
  });

  it('names a list that is too long', () => {
    const statuses = Array(100_000).fill('NOPE');
    expect(variableLimitProblem({ f: { status: statuses } })).toBe('Variable $.f.status is a list of 100000 items; at most 1000 are accepted');
  });

  it('names a string that is too long, and nesting that is too deep', () => {
    expect(variableLimitProblem({ s: 'x'.repeat(VARIABLE_LIMITS.maxStringLength + 1) })).toMatch(/\$\.s is longer than/);
    let nested: unknown = 'leaf';
    for (let i = 0; i < 3000; i++) nested = { a: nested };
    expect(variableLimitProblem({ input: nested })).toMatch(/nested deeper than 32 levels/);
  });

  it('counts every value, so many small lists cannot add up', () => {
    const many = Array.from({ length: 100 }, () => Array(500).fill(1));
    expect(variableLimitProblem({ many })).toMatch(/more than 20000 values/);
  });

  it('accepts anything within every limit', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => expect(variableLimitProblem(value)).toBeNull()));
  });
});
