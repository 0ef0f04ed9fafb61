import { CustomerTier, TIER_RANK } from '../../tickets/ticket-enums';

/** A tier earned by lifetime value or by number of orders (either is enough). */
export interface TierRule {
  tier: CustomerTier;
  minLifetimeValue?: number | null;
  minOrders?: number | null;
}

/** The defaults for a Saudi store, in SAR. */
export const DEFAULT_TIER_RULES: TierRule[] = [
  { tier: CustomerTier.BRONZE, minLifetimeValue: 1000, minOrders: 3 },
  { tier: CustomerTier.SILVER, minLifetimeValue: 5000, minOrders: 10 },
  { tier: CustomerTier.GOLD, minLifetimeValue: 15000, minOrders: 25 },
  { tier: CustomerTier.VIP, minLifetimeValue: 50000, minOrders: null },
];

/** The highest tier whose rule the customer meets; STANDARD when none (a rule with no threshold never matches). */
export function tierFor(rules: readonly TierRule[], lifetimeValue: number, orders: number): CustomerTier {
  let best = CustomerTier.STANDARD;
  for (const rule of rules) {
    const byValue = rule.minLifetimeValue != null && lifetimeValue >= rule.minLifetimeValue;
    const byOrders = rule.minOrders != null && orders >= rule.minOrders;
    if ((byValue || byOrders) && TIER_RANK[rule.tier] > TIER_RANK[best]) best = rule.tier;
  }
  return best;
}
