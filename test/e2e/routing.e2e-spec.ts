import { TestApp, TestTenant } from './helpers/test-app';

const PREVIEW = `query($input: RoutingPreviewInput!) { previewRouting(input: $input) { category categoryReason matchedRule { name phrase } priority priorityReasons team { name } teamReason } }`;

describe('routing: categorise, prioritise, send to the right team', () => {
  let t: TestApp;
  let store: TestTenant;
  let payments: string;

  beforeAll(async () => {
    t = await TestApp.start();
    store = await t.createTenant();
    payments = (await t.gqlOk(store.key, `mutation { createTeam(input: { name: "فريق المدفوعات", categories: [PAYMENT] }) { id } }`)).createTeam.id;
    const general = (await t.gqlOk(store.key, `mutation { createTeam(input: { name: "الدعم العام" }) { id } }`)).createTeam.id;
    await t.gqlOk(store.key, `mutation($id: ID!) { updateRoutingSettings(input: { defaultTeamId: $id }) { defaultTeam { name } } }`, { id: general });
  });
  afterAll(() => t.close());

  const create = async (body: string, extra: Record<string, unknown> = {}) =>
    (
      await t.gqlOk(store.key, `mutation($input: CreateTicketInput!) { createTicket(input: $input) { id category priority team { name } sla { policyName } events { type data } } }`, {
        input: { subject: 'استفسار', body, customer: { email: `c${Math.random()}@x.sa` }, ...extra },
      })
    ).createTicket;

  it('decides category, priority and team for tickets created without them, and records why', async () => {
    const ticket = await create('دفعت بالبطاقة وانخصم المبلغ مرتين، عاجل لو سمحتم', { customer: { email: 'vip@x.sa', tier: 'VIP' } });
    expect(ticket).toMatchObject({ category: 'PAYMENT', priority: 'URGENT', team: { name: 'فريق المدفوعات' } });
    expect(ticket.events[0].data.routing).toMatchObject({
      rule: { name: 'المدفوعات — Payments', phrase: 'دفع' },
      priority: ['PAYMENT: starts at HIGH', 'VIP customer', 'urgent or angry wording: "عاجل"'],
      team: 'owns PAYMENT',
    });
    const other = await create('التطبيق يطلع لي خطأ');
    expect(other).toMatchObject({ category: 'TECHNICAL', priority: 'NORMAL', team: { name: 'الدعم العام' } });
  });

  it('keeps what the caller gives; the SLA policy follows the routed category', async () => {
    const given = await create('الشحن متأخر', { category: 'GENERAL', priority: 'LOW' });
    expect(given).toMatchObject({ category: 'GENERAL', priority: 'LOW' });
    // Routing runs before SLA, so a policy for RETURNS applies to a ticket routed to RETURNS.
    await t.gqlOk(store.key, `mutation { createSlaPolicy(input: { name: "الإرجاع", position: 1, conditions: { categories: [RETURNS] }, firstResponse: { seconds: 1800, clock: BUSINESS } }) { id } }`);
    const routed = await create('أبغى أرجع العطر');
    expect(routed.category).toBe('RETURNS');
    expect(routed.sla.policyName).toBe('الإرجاع');
  });

  it('previews a decision with its reasons, ignoring diacritics and letter variants', async () => {
    const { previewRouting } = await t.gqlOk(store.key, PREVIEW, { input: { body: 'أُريدُ إسترجاعَ المنتَج', tier: 'GOLD' } });
    expect(previewRouting).toMatchObject({ category: 'RETURNS', matchedRule: { phrase: 'استرجاع' }, priority: 'HIGH', team: { name: 'الدعم العام' }, teamReason: 'default team' });
    const none = (await t.gqlOk(store.key, PREVIEW, { input: { body: 'شكراً لكم' } })).previewRouting;
    expect(none).toMatchObject({ category: 'GENERAL', categoryReason: 'no rule matched', matchedRule: null });
  });

  it('rules are managed in order; a new rule takes effect at once', async () => {
    const { routingRules } = await t.gqlOk(store.key, `{ routingRules { name position category phrases } }`);
    expect(routingRules.map((r: { category: string }) => r.category)).toEqual(['PAYMENT', 'RETURNS', 'SHIPPING', 'TECHNICAL', 'PRE_SALES']);
    const rule = (await t.gqlOk(store.key, `mutation { createRoutingRule(input: { name: "العطور", position: 1, category: PRODUCT, phrases: ["عطر", "perfume"] }) { id } }`)).createRoutingRule;
    expect((await create('العطر وصلني والشحن سريع')).category).toBe('PRODUCT');
    await t.gqlOk(store.key, `mutation($id: ID!) { updateRoutingRule(id: $id, input: { active: false }) { active } }`, { id: rule.id });
    expect((await create('العطر وصلني والشحن سريع')).category).toBe('SHIPPING');
    const bad = await t.gql(store.key, `mutation { createRoutingRule(input: { name: "x", category: PRODUCT, phrases: [] }) { id } }`);
    expect(bad.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('urgent phrases can be added to and taken off, keeping the defaults', async () => {
    const before = (await t.gqlOk(store.key, `{ routingSettings { urgentPhrases } }`)).routingSettings.urgentPhrases as string[];
    expect(before).toContain('عاجل');
    const added = (await t.gqlOk(store.key, `mutation { updateRoutingSettings(input: { addUrgentPhrases: ["ضروري جداً", "عاجل"] }) { urgentPhrases } }`)).updateRoutingSettings.urgentPhrases;
    expect(added).toEqual([...before, 'ضروري جداً']);
    const removed = (await t.gqlOk(store.key, `mutation { updateRoutingSettings(input: { removeUrgentPhrases: ["ضروري جداً"] }) { urgentPhrases } }`)).updateRoutingSettings.urgentPhrases;
    expect(removed).toEqual(before);
  });

  it('knows how Gulf shoppers ask where their order is', async () => {
    for (const body of ['وين طلبي؟', 'السلام عليكم وينه الطلب', 'متى يوصل الطلب رقم 4521']) {
      expect((await t.gqlOk(store.key, PREVIEW, { input: { body } })).previewRouting.category).toBe('SHIPPING');
    }
  });

  it('urgent words and category base priorities are settings', async () => {
    await t.gqlOk(store.key, `mutation { updateRoutingSettings(input: { urgentPhrases: ["بسرعة"], categoryBase: [{ category: SHIPPING, priority: HIGH }] }) { urgentPhrases } }`);
    expect((await create('أبغى الشحن بسرعة')).priority).toBe('URGENT');
    expect((await create('متى الشحن')).priority).toBe('HIGH');
    expect((await create('عاجل: متى الشحن')).priority).toBe('HIGH');
  });

  it('another store cannot read or change these rules', async () => {
    const other = await t.createTenant('متجر آخر');
    const mine = (await t.gqlOk(store.key, `{ routingRules { id } }`)).routingRules.map((r: { id: string }) => r.id);
    const theirs = (await t.gqlOk(other.key, `{ routingRules { id } }`)).routingRules.map((r: { id: string }) => r.id);
    expect(theirs.filter((id: string) => mine.includes(id))).toEqual([]);
    expect((await t.gql(other.key, `mutation($id: ID!) { deleteRoutingRule(id: $id) }`, { id: mine[0] })).errors?.[0].extensions.code).toBe('NOT_FOUND');
    expect((await t.gql(other.key, `mutation($id: ID!) { updateRoutingSettings(input: { defaultTeamId: $id }) { urgentPhrases } }`, { id: payments })).errors?.[0].extensions.code).toBe('NOT_FOUND');
  });
});
