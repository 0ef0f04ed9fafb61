import fc from 'fast-check';
import { DomainError } from '../errors/domain-error';
import { decodeCursor, encodeCursor, toConnection } from './connection';

describe('cursors', () => {
  const key = fc.oneof(
    fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => ['timestamp', d.toISOString()] as const),
    fc.uuid().map((u) => ['uuid', u] as const),
    fc.nat().map((n) => ['count', n] as const),
  );

  it('round-trip any sort key tuple', () => {
    fc.assert(
      fc.property(fc.array(key, { minLength: 1, maxLength: 4 }), (keys) => {
        const values = keys.map(([, value]) => value);
        expect(
          decodeCursor(
            encodeCursor(values),
            keys.map(([kind]) => kind),
          ),
        ).toEqual(values);
      }),
    );
  });

  it('refuse garbage and cursors of another shape with BAD_USER_INPUT', () => {
    for (const bad of ['garbage', encodeCursor([1, 2]), Buffer.from('{"a":1}').toString('base64url')]) {
      expect(() => decodeCursor(bad, ['count', 'count', 'count'])).toThrow(DomainError);
    }
  });

  it('refuse a well-formed cursor whose values are not of the sort key types', () => {
    const uuid = '01900000-0000-7000-8000-000000000000';
    for (const values of [
      ['x', 'y'],
      ['2026-11-25T09:00:00.000Z', 'not-a-uuid'],
      [12, uuid],
      ['2026-13-45T09:00:00.000Z', uuid],
      [null, uuid],
      [{}, []],
    ]) {
      expect(() => decodeCursor(encodeCursor(values), ['timestamp', 'uuid'])).toThrow(DomainError);
    }
    for (const count of [-1, 1.5, 2 ** 53, '3']) expect(() => decodeCursor(encodeCursor([count]), ['count'])).toThrow(DomainError);
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
