import { DEFAULT_CATEGORY_RULES, DEFAULT_PRIORITY_POLICY, decideRouting, prepareRules, RoutingInput } from './routing-decision';

const rules = prepareRules(
  DEFAULT_CATEGORY_RULES.map((r, i) => ({ ...r, id: `rule-${i}` })),
  DEFAULT_PRIORITY_POLICY,
);
const teams = [
  { id: 'payments-team', categories: ['PAYMENT'] },
  { id: 'shipping-team', categories: ['SHIPPING', 'RETURNS'] },
];
const decide = (input: Partial<RoutingInput>) => decideRouting({ subject: '', body: '', channel: 'WHATSAPP', tier: 'STANDARD', ...input }, rules, DEFAULT_PRIORITY_POLICY, teams, 'general-team');

describe('categorisation on real Arabic phrasing', () => {
  it.each([
    ['دفعت بالبطاقة وانخصم المبلغ مرتين', 'PAYMENT'],
    ['ابي استرجاع المبلغ لو سمحت', 'PAYMENT'],
    ['الدفع بأبل باي ما زبط', 'PAYMENT'],
    ['طلبي تأخر كثير ومتى يوصل؟ رقم التتبع ما يشتغل', 'SHIPPING'],
    ['المندوب ما وصل لين الحين', 'SHIPPING'],
    ['أرامكس تقول الشحنة مرتجعة', 'SHIPPING'],
    ['أبغى أستبدل المقاس', 'RETURNS'],
    ['كم السعر؟ وهل المقاس متوفر؟', 'PRE_SALES'],
    ['ابغى استبدال المنتج لان المقاس صغير', 'RETURNS'],
    ['إرجاع العطر لأنه وصلني مكسور', 'RETURNS'],
    ['التطبيق يطلع لي خطأ عند الدخول', 'TECHNICAL'],
    ['The app shows an error on login', 'TECHNICAL'],
    ['I was charged twice on my card', 'PAYMENT'],
    ['هل يوجد هذا العطر بحجم أكبر؟', 'PRE_SALES'],
    ['شكراً لكم على الخدمة', 'GENERAL'],
  ])('%s → %s', (body, category) => {
    expect(decide({ body }).category).toBe(category);
  });

  it('ignores diacritics, tatweel and letter variants in what customers type', () => {
    expect(decide({ body: 'الشَّـــحْن مُتأخِّر' }).category).toBe('SHIPPING');
    expect(decide({ body: 'اريد ارجاع المنتج' }).category).toBe('RETURNS');
  });

  it('explains the match and keeps a category given by the caller', () => {
    const decision = decide({ subject: 'استفسار', body: 'متى يوصل الشحن؟' });
    expect(decision.matchedRule).toMatchObject({ name: 'الشحن والتوصيل — Shipping', phrase: 'شحن' });
    expect(decide({ body: 'متى يوصل الشحن؟', category: 'GENERAL' })).toMatchObject({ category: 'GENERAL', categoryReason: 'given by the caller', matchedRule: null });
  });

  it('respects rule order and channel/tier conditions', () => {
    const custom = prepareRules(
      [
        { id: 'vip', name: 'VIP all', position: 1, category: 'ACCOUNT', phrases: ['طلب'], tiers: ['VIP'] },
        { id: 'x', name: 'X comments', position: 2, category: 'PRODUCT', phrases: ['طلب'], channels: ['COMMENT'] },
        ...DEFAULT_CATEGORY_RULES.map((r, i) => ({ ...r, id: `d${i}` })),
      ],
      DEFAULT_PRIORITY_POLICY,
    );
    const run = (tier: string, channel: string) => decideRouting({ subject: '', body: 'تأخر طلبي', channel, tier }, custom, DEFAULT_PRIORITY_POLICY, [], null).category;
    expect(run('VIP', 'EMAIL')).toBe('ACCOUNT');
    expect(run('STANDARD', 'COMMENT')).toBe('PRODUCT');
    expect(run('STANDARD', 'EMAIL')).toBe('SHIPPING');
  });
});

describe('priority', () => {
  it('starts from the category and rises for VIP customers and urgent or angry words', () => {
    expect(decide({ body: 'متى يوصل الشحن' }).priority).toBe('NORMAL');
    expect(decide({ body: 'مشكلة في الدفع' }).priority).toBe('HIGH');
    expect(decide({ body: 'متى يوصل الشحن', tier: 'VIP' }).priority).toBe('HIGH');
    const angry = decide({ body: 'للمرة الثالثة أكلمكم عن الشحن وسأشتكي لوزارة التجارة', tier: 'GOLD' });
    expect(angry.priority).toBe('URGENT');
    expect(angry.priorityReasons).toEqual(['SHIPPING: starts at NORMAL', 'GOLD customer', 'urgent or angry wording: "للمرة الثالثة"']);
    expect(decide({ body: 'urgent: my card was charged twice', tier: 'VIP' }).priority).toBe('URGENT');
  });

  it('keeps a priority given by the caller', () => {
    expect(decide({ body: 'عاجل جداً', priority: 'LOW' })).toMatchObject({ priority: 'LOW', priorityReasons: ['given by the caller'] });
  });
});

describe('teams', () => {
  it('sends each category to the team that owns it, others to the default team', () => {
    expect(decide({ body: 'الدفع' })).toMatchObject({ teamId: 'payments-team', teamReason: 'owns PAYMENT' });
    expect(decide({ body: 'ارجاع' }).teamId).toBe('shipping-team');
    expect(decide({ body: 'التطبيق' })).toMatchObject({ teamId: 'general-team', teamReason: 'default team' });
    expect(decideRouting({ subject: '', body: 'x', channel: 'API', tier: 'STANDARD' }, rules, DEFAULT_PRIORITY_POLICY, [], null).teamId).toBeNull();
  });
});
