import { CREATE_TICKET, TestApp, TestTenant } from './helpers/test-app';

const SCREEN_POP = `query($p: String!) { customerByPhone(phone: $p) { id name tier
  tickets(status: [NEW, OPEN, PENDING, ON_HOLD]) { edges { node { id number subject status } } } orders { externalId status } } }`;
const TICKET = `query($id: ID!) { ticket(id: $id) { id channel priority tags sla { policyName } calls { direction outcome fromNumber toNumber durationSeconds recordingUrl }
  messages { body authorType internal channel } } }`;

describe('phone calls', () => {
  let t: TestApp;
  let store: TestTenant;

  beforeAll(async () => {
    t = await TestApp.start();
    store = await t.createTenant();
  });
  afterAll(() => t.close());

  const call = (body: Record<string, unknown>) => t.http.post('/api/v1/calls').set('authorization', `Bearer ${store.key}`).send(body);

  it("logs an answered call on the caller's open ticket, whatever format the number comes in", async () => {
    const open = (await t.gqlOk(store.key, CREATE_TICKET, { input: { subject: 'استفسار عن طلب', body: 'طلبي ٤٥٢١ متأخر', channel: 'WHATSAPP', customer: { whatsapp: '966501234567', name: 'سارة' } } }))
      .createTicket;
    const res = await call({
      direction: 'INBOUND',
      outcome: 'ANSWERED',
      from: '+966 50 123 4567',
      to: '0112345678',
      startedAt: '2026-11-25T09:15:00+03:00',
      endedAt: '2026-11-25T09:18:12+03:00',
      recordingUrl: 'https://pbx.example.sa/rec/1.mp3',
      providerCallId: 'call-1',
      provider: 'unifonic',
      note: 'وعدتها بالاتصال بعد التأكد من شركة الشحن',
    });
    expect(res.status).toBe(201);
    expect(res.body.ticket.id).toBe(open.id);
    const { ticket } = await t.gqlOk(store.key, TICKET, { id: open.id });
    expect(ticket.calls).toEqual([
      { direction: 'INBOUND', outcome: 'ANSWERED', fromNumber: '+966501234567', toNumber: '+966112345678', durationSeconds: 192, recordingUrl: 'https://pbx.example.sa/rec/1.mp3' },
    ]);
    expect(ticket.messages.slice(-2)).toEqual([
      { body: '📞 مكالمة واردة من العميل (3 د 12 ث)', authorType: 'SYSTEM', internal: true, channel: 'PHONE' },
      { body: 'وعدتها بالاتصال بعد التأكد من شركة الشحن', authorType: 'AGENT', internal: true, channel: 'PHONE' },
    ]);
    const again = await call({
      direction: 'INBOUND',
      outcome: 'ANSWERED',
      from: '0501234567',
      to: '0112345678',
      startedAt: '2026-11-25T09:15:00+03:00',
      providerCallId: 'call-1',
      provider: 'unifonic',
    });
    expect([again.status, again.body.created]).toEqual([200, false]);
  });

  it('a missed call from a new number opens a PHONE call-back ticket with its own SLA', async () => {
    const res = await call({ direction: 'INBOUND', outcome: 'MISSED', from: '٠٥٥٥١٢٣٤٥٦', to: '0112345678', startedAt: new Date().toISOString() });
    expect(res.status).toBe(201);
    const { ticket } = await t.gqlOk(store.key, TICKET, { id: res.body.ticket.id });
    expect(ticket).toMatchObject({ channel: 'PHONE', priority: 'HIGH', tags: ['call-back'], sla: { policyName: 'معاودة الاتصال — Call-backs after a missed call' } });
    expect(ticket.messages[0].body).toBe('📞 مكالمة فائتة من العميل — يرجى معاودة الاتصال');
  });

  it('the same call reported twice at the same moment is logged once, both requests succeed', async () => {
    const report = {
      direction: 'INBOUND',
      outcome: 'MISSED',
      from: '0566667777',
      to: '0112345678',
      startedAt: new Date().toISOString(),
      provider: 'unifonic',
      providerCallId: 'race-1',
      note: 'اتصل مرتين',
    };
    const answers = await Promise.all([call(report), call(report), call(report)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.call.id)).size).toBe(1);
    const { ticket } = await t.gqlOk(store.key, TICKET, { id: answers[0].body.ticket.id });
    expect(ticket.calls).toHaveLength(1);
    expect(ticket.messages.map((m: { body: string }) => m.body)).toEqual(['📞 مكالمة فائتة من العميل — يرجى معاودة الاتصال', 'اتصل مرتين']);
  });

  it('refuses a number that is not one, with the field named', async () => {
    const res = await call({ direction: 'INBOUND', outcome: 'MISSED', from: '12', to: '0112345678', startedAt: new Date().toISOString() });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'BAD_USER_INPUT', fields: { from: ['not a valid phone number'] } });
    const gql = await t.gql(store.key, `mutation { logCall(input: { direction: INBOUND, outcome: ANSWERED, from: "x", to: "0112345678", startedAt: "2026-11-25T09:00:00Z" }) { created } }`);
    expect(gql.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('screen pop: customerByPhone finds the caller with open tickets and orders, and nobody in another store', async () => {
    const found = (await t.gqlOk(store.key, SCREEN_POP, { p: '00966501234567' })).customerByPhone;
    expect(found).toMatchObject({ name: 'سارة', tickets: { edges: [{ node: { subject: 'استفسار عن طلب' } }] }, orders: [] });
    expect((await t.gqlOk(store.key, SCREEN_POP, { p: '0590000000' })).customerByPhone).toBeNull();
    const other = await t.createTenant('متجر آخر');
    expect((await t.gqlOk(other.key, SCREEN_POP, { p: '0501234567' })).customerByPhone).toBeNull();
  });
});
