import { CREATE_TICKET, openAllWeek, TestApp, TestTenant } from './helpers/test-app';

const LIST = `query($category: TicketCategory) { cannedReplies(category: $category) { id title shortcut locale category usageCount setsStatus addsTags setsCategory setsPriority } }`;
const CREATE = `mutation($input: CannedReplyInput!) { createCannedReply(input: $input) { id shortcut body setsStatus addsTags setsPriority } }`;
const RENDER = `query($id: ID!, $ticketId: ID!) { renderCannedReply(id: $id, ticketId: $ticketId) { text missing cannedReply { usageCount lastUsedAt } } }`;
const APPLY = `mutation($ticketId: ID!, $macroId: ID!) {
  applyMacro(ticketId: $ticketId, macroId: $macroId) {
    message { body authorType authorName internal }
    ticket { status priority tags events { type actorType data } }
  }
}`;

describe('canned replies and macros', () => {
  let t: TestApp;
  let store: TestTenant;
  let agentToken: string;

  beforeAll(async () => {
    t = await TestApp.start();
    store = await t.createTenant('متجر الورد', { timezone: 'Asia/Riyadh' });
    await openAllWeek(t, store.key);
    const agent = await t.gqlOk(store.key, `mutation { createAgent(input: { name: "سارة القحطاني", email: "sara@example.sa", password: "كلمة-سر-طويلة-1", role: AGENT }) { id } }`);
    expect(agent.createAgent.id).toBeDefined();
    const login = await t.gqlOk(store.key, `mutation { login(input: { tenant: "${store.slug}", email: "sara@example.sa", password: "كلمة-سر-طويلة-1" }) { accessToken } }`);
    agentToken = login.login.accessToken;
  });
  afterAll(() => t.close());

  const newTicket = async (extra: Record<string, unknown> = {}) =>
    (await t.gqlOk(store.key, CREATE_TICKET, { input: { subject: 'وين طلبي؟', body: 'تأخر الطلب', channel: 'WHATSAPP', customer: { name: 'نورة العتيبي', phone: '0501234567' }, ...extra } }))
      .createTicket;

  it('a new store starts with Arabic and English defaults, filterable by category', async () => {
    const { cannedReplies } = await t.gqlOk(store.key, LIST);
    expect(cannedReplies.map((r: any) => r.shortcut)).toEqual(expect.arrayContaining(['/تأخير-الشحن', '/استرجاع', '/شكر', '/shipping-delay']));
    const shipping = await t.gqlOk(store.key, LIST, { category: 'SHIPPING' });
    expect(shipping.cannedReplies.map((r: any) => r.locale).sort()).toEqual(['AR', 'EN']);
    // Seeding happens once: deleting a default does not bring it back.
    const thanks = cannedReplies.find((r: any) => r.shortcut === '/شكر');
    await t.gqlOk(store.key, `mutation($id: ID!) { deleteCannedReply(id: $id) }`, { id: thanks.id });
    const again = await t.gqlOk(store.key, LIST);
    expect(again.cannedReplies.map((r: any) => r.shortcut)).not.toContain('/شكر');
  });

  it('renders placeholders for a ticket: names, number, order, agent, store and the SLA time in Arabic', async () => {
    const ticket = await newTicket({ orderRef: 'SA-5521' });
    const { cannedReplies } = await t.gqlOk(store.key, LIST);
    const delay = cannedReplies.find((r: any) => r.shortcut === '/تأخير-الشحن');
    const rendered = (await t.gqlOk(agentToken, RENDER, { id: delay.id, ticketId: ticket.id })).renderCannedReply;
    expect(rendered.missing).toEqual([]);
    expect(rendered.text).toContain('أهلاً نورة،');
    expect(rendered.text).toContain('طلبك رقم SA-5521');
    expect(rendered.text).toContain('سارة القحطاني — متجر الورد');
    // The expected reply time is written out in Arabic (Gregorian), in the store's zone.
    expect(rendered.text).toMatch(/قبل .*(الأحد|الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت)/);
    expect(rendered.cannedReply.usageCount).toBe(1);
  });

  it('reports placeholders without a value instead of inventing one', async () => {
    const ticket = await newTicket();
    const created = await t.gqlOk(store.key, CREATE, { input: { title: 'رقم الطلب', shortcut: '/رقم-الطلب', body: 'طلبك {{order.id}} قيد التجهيز يا {{customer.name}}' } });
    const rendered = (await t.gqlOk(store.key, RENDER, { id: created.createCannedReply.id, ticketId: ticket.id })).renderCannedReply;
    expect(rendered).toMatchObject({ text: 'طلبك  قيد التجهيز يا نورة العتيبي', missing: ['order.id'] });
    const { errors } = await t.gql(agentToken, APPLY, { ticketId: ticket.id, macroId: created.createCannedReply.id });
    expect(errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(errors?.[0].message).toContain('{{order.id}}');
  });

  it('refuses unknown placeholders and template logic when saving, naming them', async () => {
    const unknown = await t.gql(store.key, CREATE, { input: { title: 'x', shortcut: '/x1', body: 'مرحبا {{customer.iban}}' } });
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(unknown.errors?.[0].message).toContain('{{customer.iban}}');
    const logic = await t.gql(store.key, CREATE, { input: { title: 'x', shortcut: '/x2', body: '{{#customer.name}}hi{{/customer.name}}' } });
    expect(logic.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const badShortcut = await t.gql(store.key, CREATE, { input: { title: 'x', shortcut: 'no slash', body: 'hi' } });
    expect(badShortcut.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const taken = await t.gql(store.key, CREATE, { input: { title: 'x', shortcut: '/استرجاع', body: 'hi' } });
    expect(taken.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT' });
    const { cannedReplies } = await t.gqlOk(store.key, LIST);
    const update = await t.gql(store.key, `mutation($id: ID!) { updateCannedReply(id: $id, input: { body: "{{agent.phone}}" }) { id } }`, { id: cannedReplies[0].id });
    expect(update.errors?.[0].message).toContain('{{agent.phone}}');
  });

  it('applyMacro replies as the agent and sets status, tags and priority in one audited step', async () => {
    const ticket = await newTicket({ orderRef: 'SA-7000' });
    const macro = await t.gqlOk(store.key, CREATE, {
      input: { title: 'تصعيد', shortcut: '/تصعيد', body: 'تم تصعيد طلبك {{order.id}} يا {{customer.firstName}}', actions: { status: 'PENDING', addTags: ['تصعيد'], priority: 'HIGH' } },
    });
    const { applyMacro } = await t.gqlOk(agentToken, APPLY, { ticketId: ticket.id, macroId: macro.createCannedReply.id });
    expect(applyMacro.message).toEqual({ body: 'تم تصعيد طلبك SA-7000 يا نورة', authorType: 'AGENT', authorName: 'سارة القحطاني', internal: false });
    expect(applyMacro.ticket).toMatchObject({ status: 'PENDING', priority: 'HIGH', tags: ['تصعيد'] });
    const types = applyMacro.ticket.events.map((e: any) => e.type);
    expect(types).toEqual(expect.arrayContaining(['MESSAGE_ADDED', 'STATUS_CHANGED', 'PRIORITY_CHANGED', 'TAGS_CHANGED', 'MACRO_APPLIED']));
    const applied = applyMacro.ticket.events.find((e: any) => e.type === 'MACRO_APPLIED');
    expect(applied).toMatchObject({ actorType: 'AGENT', data: { shortcut: '/تصعيد', cannedReplyId: macro.createCannedReply.id } });
    const { cannedReplies } = await t.gqlOk(store.key, LIST);
    expect(cannedReplies.find((r: any) => r.shortcut === '/تصعيد').usageCount).toBe(1);
  });

  it('keeps canned replies inside their store', async () => {
    const other = await t.createTenant('متجر آخر');
    const { cannedReplies } = await t.gqlOk(store.key, LIST);
    const ticket = await newTicket();
    const foreign = await t.gql(other.key, RENDER, { id: cannedReplies[0].id, ticketId: ticket.id });
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const edit = await t.gql(other.key, `mutation($id: ID!) { updateCannedReply(id: $id, input: { title: "x" }) { id } }`, { id: cannedReplies[0].id });
    expect(edit.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});
