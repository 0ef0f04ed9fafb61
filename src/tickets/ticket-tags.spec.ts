import fc from 'fast-check';
import { diffTags, normaliseTags } from './ticket-tags';

describe('normaliseTags', () => {
  it('trims, lower-cases Latin, collapses spaces, de-duplicates, keeps order and Arabic', () => {
    expect(normaliseTags([' VIP ', 'vip', 'شحن  سريع', 'شحن سريع', '', '  '])).toEqual(['vip', 'شحن سريع']);
  });

  it('is idempotent', () => {
    fc.assert(fc.property(fc.array(fc.string()), (tags) => expect(normaliseTags(normaliseTags(tags))).toEqual(normaliseTags(tags))));
  });
});

describe('diffTags', () => {
  it('lists added and removed tags', () => {
    expect(diffTags(['a', 'b'], ['b', 'c'])).toEqual({ added: ['c'], removed: ['a'] });
  });

  it('applying the diff to the old set gives the new set', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string()), fc.uniqueArray(fc.string()), (before, after) => {
        const { added, removed } = diffTags(before, after);
        const result = [...before.filter((t) => !removed.includes(t)), ...added];
        expect(new Set(result)).toEqual(new Set(after));
      }),
    );
  });
});
