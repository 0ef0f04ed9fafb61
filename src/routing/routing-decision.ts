import { containsPhrase, normaliseArabic } from '../common/text/arabic-text';

/**
 * Routing decisions: category, priority and team for a new ticket, with the reasons. Pure: the
 * service loads rules and teams, calls this, and stores the result and its reasons.
 * Categories, priorities, channels and tiers are plain strings here (no imports from tickets).
 */
export interface CategoryRule {
  id: string;
  name: string;
  position: number;
  category: string;
  /** Any of these phrases (Arabic or English) in the subject or first message. */
  phrases: string[];
  /** When given, the rule only applies to these channels / customer tiers. */
  channels?: string[];
  tiers?: string[];
}

export interface PriorityPolicy {
  /** The starting priority per category (NORMAL when absent). */
  categoryBase: Record<string, string>;
  /** Customer tiers served first: +1 level. */
  priorityTiers: string[];
  /** Words of anger or urgency: +1 level ("عاجل", "للمرة الثالثة", "سأشتكي", "urgent"). */
  urgentPhrases: string[];
}

export interface TeamForRouting {
  id: string;
  categories: string[];
}

export interface RoutingInput {
  subject: string;
  body: string;
  channel: string;
  tier: string;
  orderRef?: string | null;
  /** Given by the caller: kept as is. */
  category?: string;
  priority?: string;
}

export interface RoutingDecision {
  category: string;
  categoryReason: string;
  matchedRule: { id: string; name: string; phrase: string } | null;
  priority: string;
  priorityReasons: string[];
  teamId: string | null;
  teamReason: string;
}

export const PRIORITIES = ['LOW', 'NORMAL', 'HIGH', 'URGENT'] as const;
export const FALLBACK_CATEGORY = 'GENERAL';

/** Prepared rules: phrases normalised once, rules in order. */
export interface PreparedRules {
  rules: Array<CategoryRule & { normalised: string[] }>;
  urgent: Array<{ phrase: string; normalised: string }>;
}

export function prepareRules(rules: readonly CategoryRule[], policy: PriorityPolicy): PreparedRules {
  return {
    rules: [...rules].sort((a, b) => a.position - b.position).map((rule) => ({ ...rule, normalised: rule.phrases.map(normaliseArabic) })),
    urgent: policy.urgentPhrases.map((phrase) => ({ phrase, normalised: normaliseArabic(phrase) })),
  };
}

/** The store's urgent or angry phrase the text contains ("عاجل", "سأشتكي"), if any. */
export function urgentPhraseIn(normalisedText: string, prepared: PreparedRules): string | null {
  return prepared.urgent.find((u) => containsPhrase(normalisedText, u.normalised))?.phrase ?? null;
}

export function decideRouting(input: RoutingInput, prepared: PreparedRules, policy: PriorityPolicy, teams: readonly TeamForRouting[], defaultTeamId: string | null): RoutingDecision {
  const text = normaliseArabic(`${input.subject} ${input.body}`);

  let category = input.category;
  let categoryReason = 'given by the caller';
  let matchedRule: RoutingDecision['matchedRule'] = null;
  if (!category) {
    for (const rule of prepared.rules) {
      if (rule.channels?.length && !rule.channels.includes(input.channel)) continue;
      if (rule.tiers?.length && !rule.tiers.includes(input.tier)) continue;
      const hit = rule.normalised.findIndex((phrase) => containsPhrase(text, phrase));
      if (hit >= 0) {
        category = rule.category;
        matchedRule = { id: rule.id, name: rule.name, phrase: rule.phrases[hit] };
        categoryReason = `rule "${rule.name}" matched "${rule.phrases[hit]}"`;
        break;
      }
    }
  }
  if (!category) {
    category = FALLBACK_CATEGORY;
    categoryReason = 'no rule matched';
  }

  let priority: string;
  const priorityReasons: string[] = [];
  if (input.priority) {
    priority = input.priority;
    priorityReasons.push('given by the caller');
  } else {
    let level = PRIORITIES.indexOf((policy.categoryBase[category] ?? 'NORMAL') as (typeof PRIORITIES)[number]);
    if (level < 0) level = 1;
    priorityReasons.push(`${category}: starts at ${PRIORITIES[level]}`);
    if (policy.priorityTiers.includes(input.tier)) {
      level++;
      priorityReasons.push(`${input.tier} customer`);
    }
    const urgent = urgentPhraseIn(text, prepared);
    if (urgent) {
      level++;
      priorityReasons.push(`urgent or angry wording: "${urgent}"`);
    }
    if (input.orderRef && level < 1) {
      level = 1;
      priorityReasons.push('an order is involved');
    }
    priority = PRIORITIES[Math.min(level, PRIORITIES.length - 1)];
  }

  const team = teams.find((t) => t.categories.includes(category!));
  const teamId = team?.id ?? defaultTeamId;
  const teamReason = team ? `owns ${category}` : defaultTeamId ? 'default team' : 'no team';
  return { category, categoryReason, matchedRule, priority, priorityReasons, teamId, teamReason };
}

/** Seeded for every store; all editable. Phrases as Saudi customers write them. */
export const DEFAULT_CATEGORY_RULES: Array<Omit<CategoryRule, 'id'>> = [
  {
    name: 'المدفوعات — Payments',
    position: 10,
    category: 'PAYMENT',
    phrases: [
      'دفع',
      'بطاقة',
      'مدى',
      'أبل باي',
      'ابل باي',
      'تحويل',
      'فاتورة',
      'استرجاع المبلغ',
      'استرداد',
      'انخصم',
      'خصم مرتين',
      'تابي',
      'تمارا',
      'refund',
      'card',
      'payment',
      'charged',
      'apple pay',
      'mada',
      'invoice',
    ],
  },
  {
    name: 'الإرجاع والاستبدال — Returns',
    position: 20,
    category: 'RETURNS',
    // Nouns and the verb forms customers actually write ("أبغى أستبدل", "ابي ارجع").
    phrases: ['إرجاع', 'ارجاع', 'استبدال', 'استبدل', 'أبدل', 'استرجاع', 'ترجيع', 'أرجع', 'return', 'exchange'],
  },
  {
    name: 'الشحن والتوصيل — Shipping',
    position: 30,
    category: 'SHIPPING',
    // "Where is my order" as Gulf shoppers write it (وين / متى يوصل), beside the formal wording.
    phrases: [
      'شحن',
      'توصيل',
      'تأخر الطلب',
      'تأخر طلبي',
      'رقم التتبع',
      'تتبع',
      'أرامكس',
      'سمسا',
      'المندوب',
      'ما وصل',
      'لم يصل',
      'أين طلبي',
      'وين طلبي',
      'وين الطلب',
      'وينه الطلب',
      'وين الشحنة',
      'وين شحنتي',
      'متى يوصل',
      'متى بيوصل',
      'طلبي ما جاء',
      'shipping',
      'delivery',
      'tracking',
      'aramex',
      'smsa',
      'where is my order',
    ],
  },
  {
    name: 'الدعم التقني — Technical',
    position: 40,
    category: 'TECHNICAL',
    phrases: ['الموقع', 'التطبيق', 'خطأ', 'لا يعمل', 'ما يشتغل', 'مشكلة تقنية', 'كلمة المرور', 'error', 'bug', 'app', 'website', 'login'],
  },
  {
    name: 'قبل الشراء — Pre-sales',
    position: 50,
    category: 'PRE_SALES',
    phrases: ['متوفر', 'متى يتوفر', 'السعر', 'المقاس', 'هل يوجد', 'available', 'price', 'size'],
  },
];

export const DEFAULT_PRIORITY_POLICY: PriorityPolicy = {
  categoryBase: { PAYMENT: 'HIGH' },
  priorityTiers: ['VIP', 'GOLD'],
  urgentPhrases: ['عاجل', 'ضروري', 'للمرة الثالثة', 'للمرة الثانية', 'سأشتكي', 'بشتكي', 'شكوى', 'وزارة التجارة', 'مستاء', 'urgent', 'asap', 'immediately'],
};
