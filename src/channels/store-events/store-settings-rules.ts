import { CustomerTier } from '../../tickets/ticket-enums';
import type { TierRule } from './customer-tier';

/** The placeholders each automation message may use (anything else would reach the customer as written). */
export const MESSAGE_PLACEHOLDERS = {
  followUpMessage: ['customer.name', 'order.id'],
  csatMessage: ['customer.name', 'order.id', 'survey.link'],
  delayMessage: ['customer.name', 'order.id', 'order.expectedDeliveryAt'],
  csatAfterSolveMessage: ['customer.name', 'ticket.number', 'ticket.subject', 'survey.link'],
  csatAfterSolveMessageEn: ['customer.name', 'ticket.number', 'ticket.subject', 'survey.link'],
} as const satisfies Record<string, readonly string[]>;

/** Placeholders a message needs: a survey message without its link could never be answered. */
const REQUIRED_PLACEHOLDERS: Partial<Record<keyof typeof MESSAGE_PLACEHOLDERS, string[]>> = {
  csatMessage: ['survey.link'],
  csatAfterSolveMessage: ['survey.link'],
  csatAfterSolveMessageEn: ['survey.link'],
};

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

type AutomationKindName = 'DELIVERY_FOLLOW_UP' | 'DELIVERY_CSAT' | 'DELAY_NOTICE' | 'SOLVED_CSAT';

/** The message each automation sends, whose placeholders its WhatsApp template may take as parameters. */
export const MESSAGE_OF: Record<AutomationKindName, keyof typeof MESSAGE_PLACEHOLDERS> = {
  DELIVERY_FOLLOW_UP: 'followUpMessage',
  DELIVERY_CSAT: 'csatMessage',
  DELAY_NOTICE: 'delayMessage',
  SOLVED_CSAT: 'csatAfterSolveMessage',
};

/**
 * The approved WhatsApp template an automation sends instead of its free-form message: days after
 * a delivery the customer's 24-hour window is usually closed, and only templates may go out.
 */
export interface AutomationTemplate {
  kind: AutomationKindName;
  name: string;
  language: string;
  /** Placeholder names ({{1}}, {{2}} … in the template's body, in order). */
  parameters: string[];
}

/** What is wrong with a set of automation templates, or null. */
export function checkAutomationTemplates(templates: readonly AutomationTemplate[]): string | null {
  const seen = new Set<string>();
  for (const template of templates) {
    if (seen.has(template.kind)) return `one template per automation: ${template.kind} appears twice`;
    seen.add(template.kind);
    if (!/^[a-z0-9_]{1,512}$/.test(template.name)) return `${template.kind}: a template name has lower-case letters, digits and underscores only`;
    if (!/^[a-z]{2,3}(_[A-Z]{2})?$/.test(template.language)) return `${template.kind}: the language is a code such as ar or en_US`;
    const allowed: readonly string[] = MESSAGE_PLACEHOLDERS[MESSAGE_OF[template.kind]];
    const unknown = template.parameters.filter((p) => !allowed.includes(p));
    if (unknown.length) return `${template.kind}: unknown parameter ${unknown.join(', ')}; allowed: ${allowed.join(', ')}`;
  }
  return null;
}
