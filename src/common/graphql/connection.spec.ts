import fc from 'fast-check';
import { DomainError } from '../errors/domain-error';
import { decodeCursor, encodeCursor, toConnection } from './connection';

describe('cursors', () => {
  it('round-trip any sort key tuple', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.integer(), fc.uuid()), { minLength: 1, maxLength: 4 }), (values) => {
        expect(decodeCursor(encodeCursor(values), values.length)).toEqual(values);
      }),
    );
  });

  it('refuse garbage and cursors of another shape with BAD_USER_INPUT', () => {
    for (const bad of ['garbage', encodeCursor([1, 2]), Buffer.from('{"a":1}').toString('base64url')]) {
      expect(() => decodeCursor(bad, 3)).toThrow(DomainError);
    }
  });
});

describe('toConnection', () => {
  it('uses the extra row only to tell whether a next page exists', () => {
    const page = toConnection([1, 2, 3], 2, String, false, async () => 3);
    expect(page.edges.map((e) => e.node)).toEqual([1, 2]);
    expect(page.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: '1', endCursor: '2' });
    expect(toConnection([], 2, String, true, async () => 0).pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null });
  });
});
