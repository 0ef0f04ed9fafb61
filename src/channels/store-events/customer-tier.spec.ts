import fc from 'fast-check';
import { CustomerTier } from '../../tickets/ticket-enums';
import { DEFAULT_TIER_RULES, tierFor } from './customer-tier';

describe('tierFor', () => {
  it('gives the highest tier met by value or by order count', () => {
    expect(tierFor(DEFAULT_TIER_RULES, 0, 0)).toBe(CustomerTier.STANDARD);
    expect(tierFor(DEFAULT_TIER_RULES, 999.99, 2)).toBe(CustomerTier.STANDARD);
    expect(tierFor(DEFAULT_TIER_RULES, 1000, 0)).toBe(CustomerTier.BRONZE);
    expect(tierFor(DEFAULT_TIER_RULES, 10, 3)).toBe(CustomerTier.BRONZE);
    expect(tierFor(DEFAULT_TIER_RULES, 6000, 30)).toBe(CustomerTier.GOLD);
    expect(tierFor(DEFAULT_TIER_RULES, 50000, 1)).toBe(CustomerTier.VIP);
    expect(tierFor(DEFAULT_TIER_RULES, 49999, 1000)).toBe(CustomerTier.GOLD); // VIP has no order threshold
  });

  it('ignores rule order and rules without thresholds', () => {
    const reversed = [...DEFAULT_TIER_RULES].reverse();
    expect(tierFor(reversed, 6000, 0)).toBe(CustomerTier.SILVER);
    expect(tierFor([{ tier: CustomerTier.VIP }], 1e9, 1e6)).toBe(CustomerTier.STANDARD);
    expect(tierFor([], 1e9, 1e6)).toBe(CustomerTier.STANDARD);
  });

  it('never lowers the tier when value or orders grow (property)', () => {
    const rank = Object.values(CustomerTier);
    fc.assert(
      fc.property(fc.nat(100_000), fc.nat(100), fc.nat(100_000), fc.nat(100), (value, orders, moreValue, moreOrders) => {
        const before = rank.indexOf(tierFor(DEFAULT_TIER_RULES, value, orders));
        const after = rank.indexOf(tierFor(DEFAULT_TIER_RULES, value + moreValue, orders + moreOrders));
        expect(after).toBeGreaterThanOrEqual(before);
      }),
    );
  });
});
