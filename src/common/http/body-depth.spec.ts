import fc from 'fast-check';
import { tooDeepAt } from './body-depth';

const nested = (levels: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = i % 2 ? { a: value } : [value];
  return value;
};

describe('tooDeepAt', () => {
  it('accepts bodies up to the limit and names the path beyond it', () => {
    expect(tooDeepAt({ subject: 's', customFields: nested(31) }, 32)).toBeNull();
    expect(tooDeepAt({ customFields: nested(40) }, 32)).toMatch(/^\$\.customFields(\.a|\[0\])+$/);
    expect(tooDeepAt('text')).toBeNull();
    expect(tooDeepAt(null)).toBeNull();
  });

  it('measures bodies nested far deeper than the stack allows', () => {
    expect(tooDeepAt(nested(200_000))).not.toBeNull();
  });

  it('agrees with a recursive depth on any JSON value', () => {
    const depthOf = (value: unknown): number => (value && typeof value === 'object' ? 1 + Math.max(0, ...Object.values(value).map(depthOf)) : 0);
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 1, max: 8 }), (value, limit) => {
        expect(tooDeepAt(value, limit) === null).toBe(depthOf(value) <= limit);
      }),
    );
  });
});
