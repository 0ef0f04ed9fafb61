import { ADD_MESSAGE, arabicTicket, CREATE_TICKET, TestApp, TestTenant, UPDATE_TICKET } from './helpers/test-app';

describe('tickets, messages and customers (GraphQL)', () => {
  let t: TestApp;
  let store: TestTenant;

  beforeAll(async () => {
    t = await TestApp.start();
    store = await t.createTenant();
  });
  afterAll(() => t.close());

  const create = async (input: Record<string, unknown>) => (await t.gqlOk(store.key, CREATE_TICKET, { input })).createTicket;
  const addMessage = async (input: Record<string, unknown>) => (await t.gqlOk(store.key, ADD_MESSAGE, { input })).addMessage;
  const update = async (id: string, input: Record<string, unknown>) => (await t.gqlOk(store.key, UPDATE_TICKET, { id, input })).updateTicket;
  const events = async (id: string) => (await t.gqlOk(store.key, `query($id: ID!) { ticket(id: $id) { events { type actorType actorId data createdAt } } }`, { id })).ticket.events;

  it('creates a ticket in Arabic with its first customer message, routed category and priority, and a per-store number', async () => {
    const ticket = await create({
      ...arabicTicket(1),
      tags: ['شحن', ' VIP ', 'vip'],
      customFields: { city: 'الرياض', orderTotal: 349.5 },
      orderRef: '4501',
      productRef: 'SKU-OUD-100',
    });
    expect(ticket).toMatchObject({
      number: 1001,
      subject: 'تأخر توصيل الطلب رقم 4501',
      status: 'NEW',
      priority: 'NORMAL',
      // No category given: the default rules read "تأخر … التوصيل" as shipping.
      category: 'SHIPPING',
      channel: 'WHATSAPP',
      tags: ['شحن', 'vip'],
      customFields: { city: 'الرياض', orderTotal: 349.5 },
      orderRef: '4501',
      productRef: 'SKU-OUD-100',
      messageCount: 1,
      publicAgentReplyCount: 0,
      firstResponseAt: null,
      customer: { name: 'نورة القحطاني', tier: 'STANDARD', identities: [{ kind: 'PHONE', value: '+966510000001' }] },
    });
    const data = await t.gqlOk(store.key, `query($id: ID!) { ticket(id: $id) { messages { body authorType internal channel } } }`, { id: ticket.id });
    expect(data.ticket.messages).toEqual([{ body: arabicTicket(1).body, authorType: 'CUSTOMER', internal: false, channel: 'WHATSAPP' }]);
    const [created] = await events(ticket.id);
    expect(created.type).toBe('CREATED');
    expect(created.data.routing).toMatchObject({ rule: { name: 'الشحن والتوصيل — Shipping' }, priority: ['SHIPPING: starts at NORMAL'] });
  });

  it('reuses a known customer across channels: a WhatsApp number and the same phone typed nationally are one person', async () => {
    const first = await create(arabicTicket(2));
    const byPhone = await create({ ...arabicTicket(3), channel: 'PHONE', customer: { phone: '٠٥١٠٠٠٠٠٠٢', email: 'Noura@Example.com' } });
    expect(byPhone.customer.id).toBe(first.customer.id);
    // The email given with the known phone is now an identity of the same customer.
    const byEmail = await create({ ...arabicTicket(4), channel: 'EMAIL', customer: { email: 'noura@example.com' } });
    expect(byEmail.customer.id).toBe(first.customer.id);

    const history = await t.gqlOk(
      store.key,
      `query($id: ID!) { customer(id: $id) { name identities { kind value } tickets(first: 10, sort: { field: CREATED_AT, direction: ASC }) { totalCount edges { node { channel number } } } } }`,
      { id: first.customer.id },
    );
    expect(history.customer.identities).toEqual(
      expect.arrayContaining([
        { kind: 'PHONE', value: '+966510000002' },
        { kind: 'EMAIL', value: 'noura@example.com' },
      ]),
    );
    expect(history.customer.tickets.totalCount).toBe(3);
    expect(history.customer.tickets.edges.map((e: any) => e.node.channel)).toEqual(['WHATSAPP', 'PHONE', 'EMAIL']);
  });

  it('accepts the customer by id, and refuses an unknown id or a reference with no identity', async () => {
    const first = await create(arabicTicket(5));
    const again = await create({ ...arabicTicket(6), customer: { id: first.customer.id } });
    expect(again.customer.id).toBe(first.customer.id);

    const unknown = await t.gql(store.key, CREATE_TICKET, { input: { ...arabicTicket(7), customer: { id: '01900000-0000-7000-8000-000000000000' } } });
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', fields: { 'customer.id': expect.any(Array) } });
    const empty = await t.gql(store.key, CREATE_TICKET, { input: { ...arabicTicket(8), customer: { name: 'بلا هوية' } } });
    expect(empty.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    const badPhone = await t.gql(store.key, CREATE_TICKET, { input: { ...arabicTicket(9), customer: { phone: '12345' } } });
    expect(badPhone.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { 'customer.phone': expect.any(Array) } });
  });

  it('an agent reply meets first response and opens the ticket; an internal note changes nothing', async () => {
    const ticket = await create(arabicTicket(10));
    const note = await addMessage({ ticketId: ticket.id, body: 'تم التواصل مع شركة الشحن', authorType: 'AGENT', internal: true });
    expect(note.message).toMatchObject({ internal: true, authorType: 'AGENT' });
    expect(note.ticket).toMatchObject({ status: 'NEW', firstResponseAt: null, messageCount: 2, publicAgentReplyCount: 0 });

    const reply = await addMessage({ ticketId: ticket.id, body: 'نعتذر عن التأخير، سيصل طلبك غداً بإذن الله', authorType: 'AGENT', internal: false, authorName: 'خالد' });
    expect(reply.ticket).toMatchObject({ status: 'OPEN', messageCount: 3, publicAgentReplyCount: 1 });
    expect(reply.ticket.firstResponseAt).toBe(reply.message.createdAt);

    const second = await addMessage({ ticketId: ticket.id, body: 'تحديث: الشحنة في الطريق', authorType: 'AGENT', internal: false });
    expect(second.ticket.firstResponseAt).toBe(reply.ticket.firstResponseAt);
    expect(second.ticket.publicAgentReplyCount).toBe(2);

    const publicOnly = await t.gqlOk(store.key, `query($id: ID!) { ticket(id: $id) { messages(includeInternal: false) { body } } }`, { id: ticket.id });
    expect(publicOnly.ticket.messages).toHaveLength(3);
    expect(publicOnly.ticket.messages.map((m: { body: string }) => m.body)).not.toContain('تم التواصل مع شركة الشحن');

    const types = (await events(ticket.id)).map((e: { type: string }) => e.type);
    expect(types).toEqual(['CREATED', 'MESSAGE_ADDED', 'MESSAGE_ADDED', 'STATUS_CHANGED', 'MESSAGE_ADDED']);
  });

  it('a customer message on a solved ticket reopens it and counts the reopen; on a pending ticket it resumes it', async () => {
    const ticket = await create(arabicTicket(11));
    await update(ticket.id, { status: 'PENDING' });
    const resumed = await addMessage({ ticketId: ticket.id, body: 'هذه صورة الفاتورة', authorType: 'CUSTOMER', internal: false });
    expect(resumed.ticket).toMatchObject({ status: 'OPEN', reopenCount: 0 });
    expect(resumed.message.authorId).toBe(ticket.customer.id);
    expect(resumed.message.authorName).toBe('نورة القحطاني');

    const solved = await update(ticket.id, { status: 'SOLVED' });
    expect(solved.solvedAt).not.toBeNull();
    const reopened = await addMessage({ ticketId: ticket.id, body: 'المشكلة ما زالت موجودة', authorType: 'CUSTOMER', internal: false });
    expect(reopened.ticket).toMatchObject({ status: 'OPEN', reopenCount: 1, solvedAt: null });
    const reopen = (await events(ticket.id)).find((e: { type: string }) => e.type === 'REOPENED');
    expect(reopen.data).toMatchObject({ from: 'SOLVED', to: 'OPEN' });
  });

  it('a closed ticket is immutable: the customer starts a linked follow-up ticket, an agent gets CONFLICT', async () => {
    const ticket = await create(arabicTicket(12));
    await update(ticket.id, { status: 'SOLVED' });
    await update(ticket.id, { status: 'CLOSED' });

    const followUp = await addMessage({ ticketId: ticket.id, body: 'وصلني منتج مختلف', authorType: 'CUSTOMER', internal: false });
    expect(followUp.ticket.id).not.toBe(ticket.id);
    expect(followUp.ticket).toMatchObject({ status: 'NEW', followUpOf: { id: ticket.id, number: ticket.number }, messageCount: 1 });
    expect(followUp.ticket.customer.id).toBe(ticket.customer.id);

    const agent = await t.gql(store.key, ADD_MESSAGE, { input: { ticketId: ticket.id, body: 'رد', authorType: 'AGENT', internal: false } });
    expect(agent.errors?.[0].extensions.code).toBe('CONFLICT');
    const change = await t.gql(store.key, UPDATE_TICKET, { id: ticket.id, input: { priority: 'HIGH' } });
    expect(change.errors?.[0].extensions.code).toBe('CONFLICT');
    expect((await events(ticket.id)).map((e: { type: string }) => e.type)).toContain('FOLLOW_UP_CREATED');
  });

  it('refuses invalid status transitions, naming the allowed ones', async () => {
    const ticket = await create(arabicTicket(13));
    const res = await t.gql(store.key, UPDATE_TICKET, { id: ticket.id, input: { status: 'CLOSED' } });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { status: expect.any(Array) } });
    expect(res.errors?.[0].message).toContain('allowed: OPEN, PENDING, ON_HOLD, SOLVED');
  });

  it('updates priority, category, tags, subject, assignee and team, each recorded in the audit timeline', async () => {
    const ticket = await create(arabicTicket(14, { tags: ['شحن'], category: 'GENERAL', priority: 'NORMAL' }));
    const agent = (await t.gqlOk(store.key, `mutation { createAgent(input: { name: "خالد السبيعي", email: "Khalid@store.sa" }) { id name email } }`)).createAgent;
    expect(agent.email).toBe('khalid@store.sa');
    const team = (await t.gqlOk(store.key, `mutation { createTeam(input: { name: "فريق الشحن" }) { id name } }`)).createTeam;

    const updated = await update(ticket.id, {
      priority: 'URGENT',
      category: 'SHIPPING',
      tags: ['شحن', 'أرامكس'],
      subject: 'تأخر شحنة أرامكس',
      assigneeId: agent.id,
      teamId: team.id,
    });
    expect(updated).toMatchObject({
      priority: 'URGENT',
      category: 'SHIPPING',
      tags: ['شحن', 'أرامكس'],
      subject: 'تأخر شحنة أرامكس',
      assignee: { id: agent.id, name: 'خالد السبيعي' },
      team: { id: team.id, name: 'فريق الشحن' },
    });
    const timeline = await events(ticket.id);
    const byType = Object.fromEntries(timeline.map((e: { type: string; data: unknown }) => [e.type, e.data]));
    expect(byType.PRIORITY_CHANGED).toEqual({ from: 'NORMAL', to: 'URGENT' });
    expect(byType.CATEGORY_CHANGED).toEqual({ from: 'GENERAL', to: 'SHIPPING' });
    expect(byType.TAGS_CHANGED).toEqual({ added: ['أرامكس'], removed: [] });
    expect(byType.ASSIGNEE_CHANGED).toEqual({ from: null, to: agent.id });
    expect(byType.TEAM_CHANGED).toEqual({ from: null, to: team.id });
    expect(timeline.every((e: { actorType: string; actorId: string }) => e.actorType === 'API_KEY' && e.actorId)).toBe(true);

    const unassigned = await update(ticket.id, { assigneeId: null });
    expect(unassigned.assignee).toBeNull();
    const noop = await update(ticket.id, { priority: 'URGENT' });
    expect(noop.updatedAt).toBe(unassigned.updatedAt);

    const missing = await t.gql(store.key, UPDATE_TICKET, { id: ticket.id, input: { assigneeId: '01900000-0000-7000-8000-000000000000' } });
    expect(missing.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', fields: { assigneeId: expect.any(Array) } });
  });

  it('deduplicates messages by provider id: a webhook retried returns the stored message', async () => {
    const ticket = await create({ ...arabicTicket(15), externalMessageId: 'wamid.HBgLOTY2NTAxMjM0NTY3FQIAEhgg' });
    const again = await create({ ...arabicTicket(15), externalMessageId: 'wamid.HBgLOTY2NTAxMjM0NTY3FQIAEhgg' });
    expect(again.id).toBe(ticket.id);

    const input = { ticketId: ticket.id, body: 'شكراً', authorType: 'CUSTOMER', internal: false, externalId: 'wamid.second' };
    const first = await addMessage(input);
    const repeat = await addMessage(input);
    expect(repeat.message.id).toBe(first.message.id);
    expect(repeat.ticket.messageCount).toBe(2);
  });

  it('finds a ticket by number and answers NOT_FOUND for unknown ids and numbers', async () => {
    const ticket = await create(arabicTicket(16));
    const byNumber = await t.gqlOk(store.key, `query($n: Int!) { ticketByNumber(number: $n) { id } }`, { n: ticket.number });
    expect(byNumber.ticketByNumber.id).toBe(ticket.id);
    const missing = await t.gql(store.key, `{ ticket(id: "01900000-0000-7000-8000-000000000000") { id } }`);
    expect(missing.errors?.[0].extensions.code).toBe('NOT_FOUND');
    const badId = await t.gql(store.key, `{ ticket(id: "not-a-uuid") { id } }`);
    expect(badId.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});
