import { ADD_MESSAGE, arabicTicket, CREATE_TICKET, openAllWeek, TestApp, TestTenant, UPDATE_TICKET } from './helpers/test-app';

const SLA = `query($id: ID!) { ticket(id: $id) { createdAt firstResponseDueAt nextResponseDueAt resolutionDueAt
  sla { policyName health paused targets { kind status clock dueAt remainingSeconds warned breachedAt metAt } } } }`;
const seconds = (a: string, b: string) => Math.round((new Date(b).getTime() - new Date(a).getTime()) / 1000);

describe('SLA deadlines on tickets', () => {
  let t: TestApp;
  let store: TestTenant;

  beforeAll(async () => {
    t = await TestApp.start();
    store = await t.createTenant();
    await openAllWeek(t, store.key);
  });
  afterAll(() => t.close());

  const create = async (input: Record<string, unknown>) => (await t.gqlOk(store.key, CREATE_TICKET, { input })).createTicket;
  const slaOf = async (id: string) => (await t.gqlOk(store.key, SLA, { id })).ticket;
  const message = (ticketId: string, authorType: string) => t.gqlOk(store.key, ADD_MESSAGE, { input: { ticketId, body: 'رسالة', authorType, internal: false } });

  it('an email ticket gets its policy, first reply in 1 h and resolution in 2 business days', async () => {
    const ticket = await create({ ...arabicTicket(1), channel: 'EMAIL', customer: { email: 'a@x.sa' } });
    const view = await slaOf(ticket.id);
    expect(view.sla).toMatchObject({ policyName: 'البريد الإلكتروني — Email', health: 'OK', paused: false });
    expect(seconds(view.createdAt, view.firstResponseDueAt)).toBe(3600);
    expect(seconds(view.createdAt, view.resolutionDueAt)).toBe(16 * 3600);
    expect(view.nextResponseDueAt).toBeNull();
    const first = view.sla.targets.find((x: { kind: string }) => x.kind === 'FIRST_RESPONSE');
    expect(first).toMatchObject({ status: 'ACTIVE', clock: 'BUSINESS', warned: false });
    expect(first.remainingSeconds).toBeGreaterThan(3500);
  });

  it('a live chat is due in 5 calendar minutes', async () => {
    const ticket = await create({ ...arabicTicket(2), channel: 'CHAT' });
    const view = await slaOf(ticket.id);
    expect(seconds(view.createdAt, view.firstResponseDueAt)).toBe(300);
    expect(view.sla.targets[0].clock).toBe('CALENDAR');
  });

  it("a reply meets first response; the customer's next message starts next reply; solving meets resolution", async () => {
    const ticket = await create({ ...arabicTicket(3), channel: 'EMAIL', customer: { email: 'b@x.sa' } });
    await message(ticket.id, 'AGENT');
    let view = await slaOf(ticket.id);
    expect(view.sla.targets.find((x: { kind: string }) => x.kind === 'FIRST_RESPONSE')).toMatchObject({ status: 'MET', metAt: expect.any(String) });
    const customer = await message(ticket.id, 'CUSTOMER');
    view = await slaOf(ticket.id);
    expect(seconds(customer.addMessage.message.createdAt, view.nextResponseDueAt)).toBe(4 * 3600);
    await t.gqlOk(store.key, UPDATE_TICKET, { id: ticket.id, input: { status: 'SOLVED' } });
    view = await slaOf(ticket.id);
    expect(view.sla.targets.find((x: { kind: string }) => x.kind === 'RESOLUTION').status).toBe('MET');
  });

  it("waiting on the customer (PENDING) stops the clocks; the customer's answer restarts them with the time left", async () => {
    const ticket = await create({ ...arabicTicket(4), channel: 'EMAIL', customer: { email: 'c@x.sa' } });
    const before = await slaOf(ticket.id);
    await t.gqlOk(store.key, UPDATE_TICKET, { id: ticket.id, input: { status: 'PENDING' } });
    const paused = await slaOf(ticket.id);
    expect(paused.sla.paused).toBe(true);
    expect(paused.sla.targets.every((x: { status: string }) => x.status === 'PAUSED')).toBe(true);
    await new Promise((r) => setTimeout(r, 1100));
    await message(ticket.id, 'CUSTOMER');
    const resumed = await slaOf(ticket.id);
    expect(resumed.sla.paused).toBe(false);
    // The pause (about a second) moved the deadline later.
    expect(new Date(resumed.firstResponseDueAt).getTime()).toBeGreaterThan(new Date(before.firstResponseDueAt).getTime());
  });

  it('a change of category moves the ticket to the matching policy', async () => {
    await t.gqlOk(
      store.key,
      `mutation { createSlaPolicy(input: { name: "مدفوعات عاجلة", position: 1, conditions: { categories: [PAYMENT] }, firstResponse: { seconds: 600, clock: CALENDAR } }) { id } }`,
    );
    const ticket = await create({ ...arabicTicket(5), channel: 'EMAIL', customer: { email: 'd@x.sa' } });
    await t.gqlOk(store.key, UPDATE_TICKET, { id: ticket.id, input: { category: 'PAYMENT' } });
    const view = await slaOf(ticket.id);
    expect(view.sla.policyName).toBe('مدفوعات عاجلة');
    expect(seconds(view.createdAt, view.firstResponseDueAt)).toBe(600);
    expect(view.resolutionDueAt).toBeNull();
  });

  it('tells a customer when to expect a reply, in business hours', async () => {
    const other = await t.createTenant('متجر بساعات عمل');
    const expected = await t.gqlOk(other.key, `{ expectedFirstReplyAt(channel: EMAIL, at: "2026-11-26T13:30:00.000Z") }`);
    // Thursday 16:30 in Riyadh + 1 business hour → Sunday 09:30 (06:30 UTC).
    expect(expected.expectedFirstReplyAt).toBe('2026-11-29T06:30:00.000Z');
    const chat = await t.gqlOk(other.key, `{ expectedFirstReplyAt(channel: CHAT, at: "2026-11-26T20:00:00.000Z") }`);
    expect(chat.expectedFirstReplyAt).toBe('2026-11-26T20:05:00.000Z');
  });
});
