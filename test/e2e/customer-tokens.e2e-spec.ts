import { ADD_MESSAGE, arabicTicket, CREATE_TICKET, TestApp, TestTenant } from './helpers/test-app';

const PORTAL_TICKET = `query($id: ID!) { portalTicket(id: $id) { id number subject status messages { body authorType } } }`;

describe('customer tokens (portal and chat widget)', () => {
  let t: TestApp;
  let store: TestTenant;
  let integration: string;
  let mine: { id: string; customer: { id: string } };
  let theirs: { id: string; customer: { id: string } };
  let token: string;

  beforeAll(async () => {
    t = await TestApp.start();
    store = await t.createTenant();
    integration = await t.createKey(store.id, 'integration');
    mine = (await t.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(1) })).createTicket;
    theirs = (await t.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(2) })).createTicket;
    await t.gqlOk(store.key, ADD_MESSAGE, { input: { ticketId: mine.id, body: 'ملاحظة داخلية: العميل كثير الإرجاع', authorType: 'AGENT', internal: true } });
    await t.gqlOk(store.key, ADD_MESSAGE, { input: { ticketId: mine.id, body: 'أهلاً بك، نتابع طلبك', authorType: 'AGENT', internal: false } });
    token = (await t.gqlOk(integration, `mutation($c: ID!) { createCustomerToken(customerId: $c, options: { ttlSeconds: 600 }) { token expiresAt } }`, { c: mine.customer.id })).createCustomerToken
      .token;
  });
  afterAll(() => t.close());

  it('only integration and admin credentials mint tokens, for customers of their own store', async () => {
    const agentKey = await t.createKey(store.id, 'agent');
    const denied = await t.gql(agentKey, `mutation($c: ID!) { createCustomerToken(customerId: $c) { token } }`, { c: mine.customer.id });
    expect(denied.errors?.[0].extensions.code).toBe('FORBIDDEN');
    const other = await t.createTenant('متجر آخر');
    const foreign = await t.gql(other.key, `mutation($c: ID!) { createCustomerToken(customerId: $c) { token } }`, { c: mine.customer.id });
    expect(foreign.errors?.[0].extensions.code).toBe('NOT_FOUND');
  });

  it('the customer sees their own tickets and public messages only', async () => {
    const list = await t.gqlOk(token, `{ portalTickets { totalCount edges { node { id } } } }`);
    expect(list.portalTickets.totalCount).toBe(1);
    expect(list.portalTickets.edges[0].node.id).toBe(mine.id);
    const own = await t.gqlOk(token, PORTAL_TICKET, { id: mine.id });
    expect(own.portalTicket.messages.map((m: { body: string }) => m.body)).toEqual([arabicTicket(1).body, 'أهلاً بك، نتابع طلبك']);
    expect(JSON.stringify(own)).not.toContain('ملاحظة داخلية');
    const other = await t.gql(token, PORTAL_TICKET, { id: theirs.id });
    expect(other.errors?.[0].extensions.code).toBe('NOT_FOUND');
  });

  it('the customer replies and opens tickets as themself', async () => {
    const reply = await t.gqlOk(token, `mutation($id: ID!) { portalReply(input: { ticketId: $id, body: "شكراً لكم" }) { status messages { authorType body } } }`, { id: mine.id });
    expect(reply.portalReply.messages.at(-1)).toEqual({ authorType: 'CUSTOMER', body: 'شكراً لكم' });
    const replyOther = await t.gql(token, `mutation($id: ID!) { portalReply(input: { ticketId: $id, body: "x" }) { id } }`, { id: theirs.id });
    expect(replyOther.errors?.[0].extensions.code).toBe('NOT_FOUND');
    const created = await t.gqlOk(token, `mutation { portalCreateTicket(input: { subject: "سؤال جديد", body: "هل يوجد خصم؟" }) { id channel } }`);
    expect(created.portalCreateTicket.channel).toBe('WEB_FORM');
    const staffView = await t.gqlOk(store.key, `query($id: ID!) { ticket(id: $id) { customer { id } events { actorType actorId } } }`, { id: created.portalCreateTicket.id });
    expect(staffView.ticket.customer.id).toBe(mine.customer.id);
    expect(staffView.ticket.events[0]).toEqual({ actorType: 'CUSTOMER', actorId: mine.customer.id });
  });

  it('a customer token reaches no staff operation', async () => {
    for (const query of [`{ tickets { totalCount } }`, `query { ticket(id: "${mine.id}") { id } }`, `{ agents { id } }`, `{ apiKeys { id } }`]) {
      expect((await t.gql(token, query)).errors?.[0].extensions.code).toBe('FORBIDDEN');
    }
    expect((await t.gql(token, ADD_MESSAGE, { input: { ticketId: mine.id, body: 'x', authorType: 'AGENT', internal: true } })).errors?.[0].extensions.code).toBe('FORBIDDEN');
  });
});
