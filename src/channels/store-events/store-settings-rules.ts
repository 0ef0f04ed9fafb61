import { CustomerTier } from '../../tickets/ticket-enums';
import type { TierRule } from './customer-tier';

/** The placeholders each automation message may use (anything else would reach the customer as written). */
export const MESSAGE_PLACEHOLDERS = {
  followUpMessage: ['customer.name', 'order.id'],
  csatMessage: ['customer.name', 'order.id', 'survey.link'],
  delayMessage: ['customer.name', 'order.id', 'order.expectedDeliveryAt'],
} as const satisfies Record<string, readonly string[]>;

/** Placeholders a message needs: a survey message without its link could never be answered. */
const REQUIRED_PLACEHOLDERS: Partial<Record<keyof typeof MESSAGE_PLACEHOLDERS, string[]>> = { csatMessage: ['survey.link'] };

/** What is wrong with an automation message, or null. */
export function checkAutomationMessage(field: keyof typeof MESSAGE_PLACEHOLDERS, template: string): string | null {
  const used = [...template.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)].map((m) => m[1]);
  const allowed: readonly string[] = MESSAGE_PLACEHOLDERS[field];
  const unknown = [...new Set(used.filter((name) => !allowed.includes(name)))];
  if (unknown.length) return `unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `{{${n}}}`).join(', ')}; allowed: ${allowed.map((n) => `{{${n}}}`).join(', ')}`;
  const missing = (REQUIRED_PLACEHOLDERS[field] ?? []).filter((name) => !used.includes(name));
  if (missing.length) return `must contain ${missing.map((n) => `{{${n}}}`).join(', ')}`;
  return null;
}

/** What is wrong with a set of tier rules, or null: one rule per tier above STANDARD, each with a threshold. */
export function checkTierRules(rules: readonly TierRule[]): string | null {
  const seen = new Set<CustomerTier>();
  for (const rule of rules) {
    if (rule.tier === CustomerTier.STANDARD) return 'STANDARD is the tier without a rule; give rules for BRONZE, SILVER, GOLD or VIP';
    if (seen.has(rule.tier)) return `one rule per tier: ${rule.tier} appears twice`;
    seen.add(rule.tier);
    if (rule.minLifetimeValue == null && rule.minOrders == null) return `the ${rule.tier} rule needs minLifetimeValue or minOrders`;
  }
  return null;
}
