import Mustache from 'mustache';

/**
 * Canned replies are logic-less Mustache templates over a fixed set of placeholders. Only plain
 * variables are allowed (no sections, partials or delimiter changes), so a template can never
 * loop, include or run anything, and every name is checked when the reply is saved.
 */
export const PLACEHOLDERS = ['customer.name', 'customer.firstName', 'ticket.number', 'ticket.subject', 'order.id', 'agent.name', 'store.name', 'sla.expectedReplyAt'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

export type PlaceholderValues = Partial<Record<Placeholder, string | null>>;

/** The problems of a template, empty when it can be saved. */
export function checkTemplate(template: string): string[] {
  let tokens: unknown[][];
  try {
    tokens = Mustache.parse(template) as unknown[][];
  } catch (error) {
    return [`the template does not parse: ${(error as Error).message}`];
  }
  const problems: string[] = [];
  for (const [kind, value] of tokens) {
    if (kind === 'text') continue;
    if (kind === 'name' || kind === '&') {
      if (!(PLACEHOLDERS as readonly string[]).includes(String(value))) problems.push(`unknown placeholder {{${String(value)}}}; known: ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(' ')}`);
    } else {
      problems.push(`{{${String(kind)}${String(value)}}} is not allowed: only plain placeholders such as {{customer.name}}`);
    }
  }
  return problems;
}

/** The placeholders a (checked) template uses, in order of first use. */
export function placeholdersOf(template: string): Placeholder[] {
  const names = (Mustache.parse(template) as unknown[][]).filter(([kind]) => kind === 'name' || kind === '&').map(([, value]) => String(value) as Placeholder);
  return [...new Set(names)];
}

/**
 * The text of a (checked) template with the values filled in, as plain text (nothing is
 * HTML-escaped: replies go to WhatsApp, email text and chat), and the placeholders that had no value.
 */
export function renderTemplate(template: string, values: PlaceholderValues): { text: string; missing: Placeholder[] } {
  const view: Record<string, Record<string, string>> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === null || value === undefined || value === '') continue;
    const [group, field] = key.split('.');
    (view[group] ??= {})[field] = value;
  }
  const missing = placeholdersOf(template).filter((p) => !values[p]);
  const text = Mustache.render(template, view, undefined, { escape: (value: unknown) => String(value) });
  return { text, missing };
}

/** A customer's first name for greetings: the first word of the name. */
export function firstName(name: string | null): string | null {
  return name?.trim().split(/\s+/)[0] || null;
}
