import { ADD_MESSAGE, arabicTicket, CREATE_TICKET, TestApp, TestTenant, UPDATE_TICKET } from './helpers/test-app';

/** A key of store A can neither read nor change anything of store B, through every operation. */
describe('tenant isolation', () => {
  let t: TestApp;
  let a: TestTenant;
  let b: TestTenant;
  let bTicket: { id: string; number: number; customer: { id: string } };
  let bAgent: string;
  let bTeam: string;

  beforeAll(async () => {
    t = await TestApp.start();
    a = await t.createTenant('متجر أ');
    b = await t.createTenant('متجر ب');
    await t.gqlOk(a.key, CREATE_TICKET, { input: arabicTicket(1, { customer: { email: 'shared@example.com' } }) });
    bTicket = (await t.gqlOk(b.key, CREATE_TICKET, { input: arabicTicket(2, { customer: { email: 'shared@example.com' }, tags: ['سري'] }) })).createTicket;
    bAgent = (await t.gqlOk(b.key, `mutation { createAgent(input: { name: "وكيل ب", email: "agent@b.sa" }) { id } }`)).createAgent.id;
    bTeam = (await t.gqlOk(b.key, `mutation { createTeam(input: { name: "فريق ب" }) { id } }`)).createTeam.id;
  });
  afterAll(() => t.close());

  it('ticket(id) and ticketByNumber of another store are NOT_FOUND', async () => {
    const byId = await t.gql(a.key, `query($id: ID!) { ticket(id: $id) { id } }`, { id: bTicket.id });
    expect(byId.errors?.[0].extensions.code).toBe('NOT_FOUND');
    // Both stores have a #1001; A sees its own.
    const byNumber = await t.gqlOk(a.key, `{ ticketByNumber(number: 1001) { id } }`);
    expect(byNumber.ticketByNumber.id).not.toBe(bTicket.id);
    const b1002 = await t.gql(a.key, `{ ticketByNumber(number: 1002) { id } }`);
    expect(b1002.errors?.[0].extensions.code).toBe('NOT_FOUND');
  });

  it("lists and filters never include another store's tickets", async () => {
    const all = await t.gqlOk(a.key, `{ tickets(first: 100) { totalCount edges { node { id } } } }`);
    expect(all.tickets.totalCount).toBe(1);
    expect(all.tickets.edges.map((e: any) => e.node.id)).not.toContain(bTicket.id);
    for (const filter of [`{ customerId: "${bTicket.customer.id}" }`, `{ tags: ["سري"] }`, `{ assigneeId: "${bAgent}" }`, `{ teamId: "${bTeam}" }`]) {
      const res = await t.gqlOk(a.key, `{ tickets(filter: ${filter}) { totalCount edges { node { id } } } }`);
      expect(res.tickets).toEqual({ totalCount: 0, edges: [] });
    }
  });

  it('the same email in two stores is two customers', async () => {
    const res = await t.gql(a.key, `query($id: ID!) { customer(id: $id) { id } }`, { id: bTicket.customer.id });
    expect(res.errors?.[0].extensions.code).toBe('NOT_FOUND');
  });

  it('agents and teams lists are per store', async () => {
    const res = await t.gqlOk(a.key, `{ agents { id } teams { id } currentTenant { id } }`);
    expect(res).toEqual({ agents: [], teams: [], currentTenant: { id: a.id } });
  });

  it("cannot add messages to, update, or create tickets pointing at another store's records", async () => {
    const message = await t.gql(a.key, ADD_MESSAGE, { input: { ticketId: bTicket.id, body: 'اختراق', authorType: 'AGENT', internal: false } });
    expect(message.errors?.[0].extensions.code).toBe('NOT_FOUND');
    const updated = await t.gql(a.key, UPDATE_TICKET, { id: bTicket.id, input: { status: 'SOLVED' } });
    expect(updated.errors?.[0].extensions.code).toBe('NOT_FOUND');
    const aTicket = (await t.gqlOk(a.key, CREATE_TICKET, { input: arabicTicket(3) })).createTicket;
    const assign = await t.gql(a.key, UPDATE_TICKET, { id: aTicket.id, input: { assigneeId: bAgent } });
    expect(assign.errors?.[0].extensions.code).toBe('NOT_FOUND');
    const team = await t.gql(a.key, UPDATE_TICKET, { id: aTicket.id, input: { teamId: bTeam } });
    expect(team.errors?.[0].extensions.code).toBe('NOT_FOUND');
    const asAgent = await t.gql(a.key, ADD_MESSAGE, { input: { ticketId: aTicket.id, body: 'رد', authorType: 'AGENT', authorId: bAgent, internal: false } });
    expect(asAgent.errors?.[0].extensions.code).toBe('NOT_FOUND');
    const forCustomer = await t.gql(a.key, CREATE_TICKET, { input: arabicTicket(4, { customer: { id: bTicket.customer.id } }) });
    expect(forCustomer.errors?.[0].extensions.code).toBe('NOT_FOUND');
  });

  it('an idempotency key of another store does not replay its ticket', async () => {
    await t.gqlOk(b.key, CREATE_TICKET, { input: arabicTicket(5, { idempotencyKey: 'same-key' }) });
    const res = await t.gqlOk(a.key, CREATE_TICKET, { input: arabicTicket(5, { idempotencyKey: 'same-key' }) });
    const check = await t.gql(b.key, `query($id: ID!) { ticket(id: $id) { id } }`, { id: res.createTicket.id });
    expect(check.errors?.[0].extensions.code).toBe('NOT_FOUND');
  });

  it("store B's ticket is untouched after all of A's attempts", async () => {
    const res = await t.gqlOk(b.key, `query($id: ID!) { ticket(id: $id) { status messageCount assignee { id } events { type } } }`, { id: bTicket.id });
    expect(res.ticket).toEqual({ status: 'NEW', messageCount: 1, assignee: null, events: [{ type: 'CREATED' }] });
  });

  it('the database itself refuses a cross-store reference (composite foreign keys)', async () => {
    const { DataSource } = await import('typeorm');
    const ds = t.app.get(DataSource);
    await expect(ds.query(`UPDATE tickets SET assignee_id = $1 WHERE tenant_id = $2`, [bAgent, a.id])).rejects.toThrow(/tickets_assignee_fkey/);
  });
});
