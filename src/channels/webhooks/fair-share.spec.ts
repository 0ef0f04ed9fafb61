import fc from 'fast-check';
import { shareSlots } from './fair-share';

describe('shareSlots', () => {
  it('serves a store with nothing in flight before a store with a backlog in flight', () => {
    const shares = shareSlots(['busy', 'quiet'], 1, 4, new Map([['busy', 3]]), new Map());
    expect([...shares]).toEqual([['quiet', 1]]);
  });

  it('shares round-robin, the store served longest ago first, and caps each store', () => {
    const shares = shareSlots(
      ['a', 'b', 'c'],
      5,
      2,
      new Map(),
      new Map([
        ['a', 3],
        ['b', 1],
        ['c', 2],
      ]),
    );
    expect([...shares]).toEqual([
      ['b', 2],
      ['c', 2],
      ['a', 1],
    ]);
    expect([...shareSlots(['a'], 10, 4, new Map([['a', 1]]), new Map())]).toEqual([['a', 3]]);
    expect([...shareSlots(['a'], 10, 4, new Map([['a', 4]]), new Map())]).toEqual([]);
  });

  it('never hands out more than is free, nor a store more than its cap, and leaves no slot idle that a store could use', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { maxLength: 5 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 6 }),
        fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e'), fc.integer({ min: 0, max: 6 })),
        (due, free, perStore, busy) => {
          const inFlight = new Map(Object.entries(busy));
          const shares = shareSlots(due, free, perStore, inFlight, new Map());
          const given = [...shares.values()].reduce((sum, n) => sum + n, 0);
          expect(given).toBeLessThanOrEqual(free);
          for (const [store, n] of shares) expect((inFlight.get(store) ?? 0) + n).toBeLessThanOrEqual(perStore);
          const room = due.reduce((sum, s) => sum + Math.max(0, perStore - (inFlight.get(s) ?? 0)), 0);
          expect(given).toBe(Math.min(free, room));
          // Round-robin: shares of stores with equal load differ by at most one.
          const loads = due.filter((s) => (inFlight.get(s) ?? 0) === 0 && perStore > 0).map((s) => shares.get(s) ?? 0);
          if (loads.length) expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});
