import { arabicTicket, CREATE_TICKET, TestApp, TestTenant } from './helpers/test-app';

describe('concurrent creates', () => {
  let t: TestApp;
  let store: TestTenant;

  beforeAll(async () => {
    t = await TestApp.start();
    store = await t.createTenant();
  });
  afterAll(() => t.close());

  it('hands out unique, gap-free ticket numbers under concurrent creates', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => t.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(100 + i) })));
    const numbers = results.map((r) => r.createTicket.number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 40 }, (_, i) => 1001 + i));
  });

  it('numbers per store: a second store starts at #1001 too', async () => {
    const other = await t.createTenant('متجر العود');
    const res = await t.gqlOk(other.key, CREATE_TICKET, { input: arabicTicket(1) });
    expect(res.createTicket.number).toBe(1001);
  });

  it('racing repeats of one idempotency key create exactly one ticket', async () => {
    const input = { ...arabicTicket(200), idempotencyKey: 'order-4700-complaint' };
    const results = await Promise.all(Array.from({ length: 12 }, () => t.gql(store.key, CREATE_TICKET, { input })));
    expect(results.every((r) => !r.errors)).toBe(true);
    const ids = new Set(results.map((r) => r.data.createTicket.id));
    expect(ids.size).toBe(1);
    const count = await t.gqlOk(store.key, `{ tickets(filter: { customerId: "${results[0].data.createTicket.customer.id}" }) { totalCount } }`);
    expect(count.tickets.totalCount).toBe(1);
  });

  it('racing REST requests with one Idempotency-Key: one 201, the rest 200 with the same ticket', async () => {
    const body = { subject: 'استفسار عن الدفع', body: 'هل يمكن الدفع بمدى؟', customer: { email: 'buyer@example.sa' } };
    const responses = await Promise.all(Array.from({ length: 8 }, () => t.http.post('/api/v1/tickets').set('authorization', `Bearer ${store.key}`).set('idempotency-key', 'rest-race-1').send(body)));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
  });

  it('refuses an idempotency key reused with a different request (CONFLICT)', async () => {
    await t.gqlOk(store.key, CREATE_TICKET, { input: { ...arabicTicket(300), idempotencyKey: 'k-300' } });
    const res = await t.gql(store.key, CREATE_TICKET, { input: { ...arabicTicket(301), idempotencyKey: 'k-300' } });
    expect(res.errors?.[0].extensions.code).toBe('CONFLICT');
  });

  it('simultaneous first contacts from one new WhatsApp number resolve to one customer', async () => {
    const customer = { whatsapp: '966555000111', name: 'ريم' };
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => t.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(400 + i, { customer }) })));
    expect(new Set(results.map((r) => r.createTicket.customer.id)).size).toBe(1);
  });

  it('simultaneous messages on one ticket keep exact counters', async () => {
    const { createTicket } = await t.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(500) });
    await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        t.gqlOk(store.key, `mutation($input: AddMessageInput!) { addMessage(input: $input) { message { id } } }`, {
          input: { ticketId: createTicket.id, body: `رسالة ${i}`, authorType: i % 2 ? 'CUSTOMER' : 'AGENT', internal: false },
        }),
      ),
    );
    const data = await t.gqlOk(store.key, `query($id: ID!) { ticket(id: $id) { messageCount publicAgentReplyCount messages { id } } }`, { id: createTicket.id });
    expect(data.ticket.messageCount).toBe(16);
    expect(data.ticket.messages).toHaveLength(16);
    expect(data.ticket.publicAgentReplyCount).toBe(8);
  });
});
