import { DataSource } from 'typeorm';
import { metaSignature } from '../../src/channels/messaging/platform-signatures';
import { FakeGraphApi } from '../fakes/meta-graph-api';
import { waContact, waText, waWebhook, wamid } from '../fakes/whatsapp-payloads';
import { arabicTicket, CREATE_TICKET, TestApp, TestTenant } from './helpers/test-app';

/** Malformed requests against a production-mode server: each is a client error, never a 500. */
describe('malformed input (production mode)', () => {
  let t: TestApp;
  let store: TestTenant;
  let other: TestTenant;
  let db: DataSource;

  beforeAll(async () => {
    t = await TestApp.start({ NODE_ENV: 'production' });
    store = await t.createTenant();
    other = await t.createTenant('متجر آخر');
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  describe('GraphQL variables and documents', () => {
    it('refuses a huge variables list before coercing it, without credentials', async () => {
      const res = await t.http.post('/graphql').send({ query: 'query($f: TicketsFilterInput) { tickets(filter: $f) { totalCount } }', variables: { f: { status: Array(100_000).fill('X') } } });
      expect(res.status).toBe(400);
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(res.body.errors[0].message).toMatch(/\$\.f\.status is a list of 100000 items; at most 1000/);
    });

    it('reports more than 50 variable errors as BAD_USER_INPUT', async () => {
      const res = await t.gql(store.key, 'query($f: TicketsFilterInput) { tickets(filter: $f) { totalCount } }', { f: { status: Array(80).fill('NOT_A_STATUS') } });
      expect(res.errors?.length).toBeLessThanOrEqual(51);
      expect(res.errors?.map((e) => e.extensions.code)).toEqual(res.errors?.map(() => 'BAD_USER_INPUT'));
    });

    it('refuses arguments nested thousands deep, as variables or written inline', async () => {
      let nested: Record<string, unknown> = { leaf: 1 };
      for (let i = 0; i < 3000; i++) nested = { a: nested };
      const viaVariables = await t.gql(store.key, CREATE_TICKET, { input: arabicTicket(1, { customFields: nested }) });
      expect(viaVariables.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(viaVariables.errors?.[0].message).toMatch(/nested deeper than 32 levels/);
      const literal = `${'{a:'.repeat(3000)}1${'}'.repeat(3000)}`;
      const inline = await t.gql(store.key, `mutation { createTicket(input: { subject: "s", body: "b", customer: { email: "deep@example.sa" }, customFields: ${literal} }) { id } }`);
      expect(inline.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    });

    it('reports a fragment cycle as BAD_USER_INPUT instead of overflowing the depth check', async () => {
      const res = await t.http.post('/graphql').send({ query: `{ currentTenant { ...A } } fragment A on Tenant { id ...B } fragment B on Tenant { name ...A }` });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(res.body.errors[0].message).toMatch(/Cannot spread fragment/);
    });

    it('does not suggest schema field names while introspection is off', async () => {
      const res = await t.gql(store.key, `{ tickets { totalCont } }`);
      expect(res.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].message).not.toMatch(/Did you mean/);
      const enumValue = await t.gql(store.key, `query($f: TicketsFilterInput) { tickets(filter: $f) { totalCount } }`, { f: { status: ['OPN'] } });
      expect(enumValue.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(enumValue.errors?.[0].message).toMatch(/Value "OPN" does not exist in "TicketStatus" enum\.$/);
    });

    it('refuses a DateTime that is not a date, or beyond year 9999, as BAD_USER_INPUT', async () => {
      const literal = await t.gql(store.key, `{ expectedFirstReplyAt(channel: EMAIL, at: "not-a-date") }`);
      expect(literal.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
      const variable = await t.gql(store.key, `query($at: DateTime) { expectedFirstReplyAt(channel: EMAIL, at: $at) }`, { at: '+275760-09-13T00:00:00Z' });
      expect(variable.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    });

    it('refuses a blank externalMessageId and amounts that are not sums of money', async () => {
      const blank = await t.gql(store.key, CREATE_TICKET, { input: arabicTicket(2, { externalMessageId: '' }) });
      expect(blank.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
      const ticket = (await t.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(3) })).createTicket;
      for (const amount of [5e-324, 1e20]) {
        const compensation = await t.gql(store.key, `mutation($input: RecordCompensationInput!) { recordCompensation(input: $input) { id } }`, {
          input: { ticketId: ticket.id, kind: 'REFUND', amount },
        });
        expect(compensation.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { amount: [expect.any(String)] } });
        const event = await t.gql(store.key, `mutation($input: StoreEventInput!) { recordStoreEvent(input: $input) { order { id } } }`, {
          input: { type: 'ORDER_CREATED', orderId: `o-${amount}`, customer: { email: 'buyer@example.sa' }, totalAmount: amount },
        });
        expect(event.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
      }
    });
  });

  describe('NUL and lone surrogates', () => {
    it('cleans them out of GraphQL variables and inline literals', async () => {
      const created = (await t.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(4, { subject: 'طلب\u0000 متأخر', body: 'a\u0000b', tags: ['x\uD800'] }) })).createTicket;
      expect(created.subject).toBe('طلب متأخر');
      expect(created.tags).toEqual(['x\uFFFD']);
      const [message] = await db.query(`SELECT body FROM messages WHERE ticket_id = $1`, [created.id]);
      expect(message.body).toBe('ab');
      const inline = await t.gql(
        store.key,
        `mutation { createTicket(input: { subject: "s\\u0000", body: "b\\u0000ody", customer: { email: "nul@example.sa" }, customFields: { k: "v\\u0000" } }) { subject customFields } }`,
      );
      expect(inline.data?.createTicket).toEqual({ subject: 's', customFields: { k: 'v' } });
    });

    it('cleans them out of REST bodies, paths and query strings', async () => {
      const rest = await t.http
        .post('/api/v1/tickets')
        .set('authorization', `Bearer ${store.key}`)
        .send({ subject: 'REST\u0000', body: 'x\uDC00y', customer: { email: 'rest@example.sa' }, customFields: { note: 'a\u0000' } });
      expect(rest.status).toBe(201);
      const [ticket] = await db.query(`SELECT subject, custom_fields FROM tickets WHERE id = $1`, [rest.body.id]);
      expect(ticket).toEqual({ subject: 'REST', custom_fields: { note: 'a' } });
      for (const path of ['/api/v1/help-centre/%00/articles', `/api/v1/help-centre/${store.slug}/articles?q=%00`, `/api/v1/help-centre/${store.slug}/articles/%00`]) {
        const res = await t.http.get(path);
        expect(res.status).toBeLessThan(500);
      }
    });
  });

  describe('REST bodies', () => {
    it('refuses a body nested thousands deep as BAD_USER_INPUT, with or without credentials', async () => {
      const deep = `${'[{"a":'.repeat(2500)}1${'}]'.repeat(2500)}`;
      const event = await t.http.post('/api/v1/store-events').set('authorization', `Bearer ${store.key}`).set('content-type', 'application/json').send(deep);
      expect(event.status).toBe(400);
      expect(event.body.error).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringMatching(/nested deeper than 32 levels at \$\[0\]\.a/) });
      const vote = await t.http.post(`/api/v1/help-centre/${store.slug}/articles/x/votes`).set('content-type', 'application/json').send(`{"helpful":${deep}}`);
      expect(vote.status).toBe(400);
      const ticket = await t.http
        .post('/api/v1/tickets')
        .set('authorization', `Bearer ${store.key}`)
        .send({ subject: 's', body: 'b', customer: { email: 'deep@example.sa' }, customFields: { a: { b: [1] } } });
      expect(ticket.status).toBe(201);
    });
  });

  describe('calls', () => {
    const call = { direction: 'INBOUND', outcome: 'ANSWERED', from: '0501234567', to: '0112345678', startedAt: '2026-11-25T09:00:00Z' };
    const LOG_CALL = `mutation($input: LogCallInput!) { logCall(input: $input) { created } }`;

    it('refuses an endedAt far in the future', async () => {
      const res = await t.gql(store.key, LOG_CALL, { input: { ...call, endedAt: '9999-12-31T00:00:00Z' } });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { endedAt: [expect.any(String)] } });
    });

    it("refuses another store's agent, over GraphQL and REST", async () => {
      const agent = (await t.gqlOk(other.key, `mutation { createAgent(input: { name: "وكيل", email: "agent@other.sa", role: AGENT }) { id } }`)).createAgent;
      const gql = await t.gql(store.key, LOG_CALL, { input: { ...call, agentId: agent.id } });
      expect(gql.errors?.[0].extensions.code).toBe('NOT_FOUND');
      const rest = await t.http
        .post('/api/v1/calls')
        .set('authorization', `Bearer ${store.key}`)
        .send({ ...call, agentId: agent.id });
      expect(rest.status).toBe(404);
      expect(Number((await db.query(`SELECT count(*) FROM calls WHERE agent_id = $1`, [agent.id]))[0].count)).toBe(0);
    });
  });

  describe('business calendar', () => {
    const UPDATE = `mutation($input: UpdateBusinessCalendarInput!) { updateBusinessCalendar(input: $input) { timeZone } }`;

    it('refuses a calendar without open time, naming the field', async () => {
      const emptyWeek = await t.gql(store.key, UPDATE, { input: { weekly: [] } });
      expect(emptyWeek.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { weekly: [expect.stringMatching(/no open hours/)] } });
      const closedDays = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'].map((day) => ({ day, hours: [] }));
      const closed = await t.gql(store.key, UPDATE, { input: { weekly: closedDays } });
      expect(closed.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
      const holidays = await t.gql(store.key, UPDATE, { input: { holidays: [{ from: '2000-01-01', to: '2999-12-31' }] } });
      expect(holidays.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { holidays: [expect.any(String)] } });
      expect((await t.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(5) })).createTicket.id).toBeDefined();
    });

    it('keeps intake working when a stored calendar has no open time', async () => {
      const closedStore = await t.createTenant('متجر مغلق');
      await t.gqlOk(closedStore.key, `{ businessCalendar { timeZone } }`);
      await db.query(`UPDATE business_calendars SET weekly = '{}' WHERE tenant_id = $1`, [closedStore.id]);
      const created = await t.gql(closedStore.key, `mutation($input: CreateTicketInput!) { createTicket(input: $input) { id firstResponseDueAt } }`, { input: arabicTicket(6) });
      expect(created.errors).toBeUndefined();
      expect(created.data.createTicket.firstResponseDueAt).toEqual(expect.any(String));
      const rest = await t.http
        .post('/api/v1/tickets')
        .set('authorization', `Bearer ${closedStore.key}`)
        .send({ subject: 's', body: 'b', customer: { email: 'closed@example.sa' } });
      expect(rest.status).toBe(201);
    });
  });

  describe('operations endpoints', () => {
    it('does not serve /metrics without METRICS_TOKEN in production', async () => {
      expect((await t.http.get('/metrics')).status).toBe(403);
    });
  });
});

describe('WhatsApp text that is not plain storable text', () => {
  const APP_SECRET = 'whatsapp-app-secret-2';
  const TOKEN = 'EAAG-test-access-token-2';
  let t: TestApp;
  let fake: FakeGraphApi;
  let channel: { id: string; webhookPath: string };
  let db: DataSource;

  beforeAll(async () => {
    fake = await FakeGraphApi.start();
    fake.tokens.add(TOKEN);
    t = await TestApp.start({ NODE_ENV: 'production', WHATSAPP_API_BASE_URL: fake.baseUrl, ALLOW_PRIVATE_NETWORK_TARGETS: 'true' });
    db = t.app.get(DataSource);
    const store = await t.createTenant();
    channel = (
      await t.gqlOk(store.key, `mutation($input: ConnectWhatsAppInput!) { connectWhatsApp(input: $input) { id webhookPath } }`, {
        input: {
          phoneNumberId: '106540352242923',
          displayPhoneNumber: '+966 11 234 5679',
          businessAccountId: '102290129340399',
          accessToken: TOKEN,
          appSecret: APP_SECRET,
          verifyToken: 'verify-me-please',
        },
      })
    ).connectWhatsApp;
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  const post = (payload: unknown) => {
    const raw = JSON.stringify(payload);
    return t.http.post(channel.webhookPath).set('content-type', 'application/json').set('x-hub-signature-256', metaSignature(raw, APP_SECRET)).send(raw);
  };
  const bodyOf = async (externalId: string) => (await db.query(`SELECT body FROM messages WHERE external_id = $1`, [externalId]))[0]?.body;

  it('keeps a signed message containing NUL, without the NUL', async () => {
    const id = wamid();
    const payload = waWebhook({ phoneNumberId: '106540352242923' }, { contacts: [waContact('966501230000', 'Sara\u0000')], messages: [waText('966501230000', 'طلبي\u0000 ما وصل \uD800', { id })] });
    expect((await post(payload)).status).toBe(200);
    expect(await bodyOf(id)).toBe('طلبي ما وصل \uFFFD');
  });

  it('keeps a text whose body is a number', async () => {
    const id = wamid();
    const message = { ...waText('966501230001', 'x', { id }), text: { body: 4521 } };
    expect((await post(waWebhook({ phoneNumberId: '106540352242923' }, { contacts: [waContact('966501230001', 'Ali')], messages: [message as never] }))).status).toBe(200);
    expect(await bodyOf(id)).toBe('4521');
  });
});
