import { listenForSockets, LiveSubscription, subscribe, until } from './helpers/live';
import { redisAvailable, TestRedisServer } from './helpers/redis-server';
import { AuthService } from '../../src/auth/auth.service';
import { TokensService } from '../../src/auth/tokens.service';
import { ADD_MESSAGE, arabicTicket, CREATE_TICKET, TestApp, TestTenant } from './helpers/test-app';

const EVENTS = `subscription($filter: TicketEventsFilterInput) {
  ticketEvents(filter: $filter) { id type ticketId ticketNumber ticketStatus actorType data ticket { id subject } message { body internal authorType } }
}`;
const MESSAGES = `subscription($ticketId: ID!) { ticketMessages(ticketId: $ticketId) { id ticketId body authorType internal channel } }`;
const TOKEN = `mutation($c: ID!) { createCustomerToken(customerId: $c) { token } }`;

if (!redisAvailable) console.warn('redis-server is not installed: the Redis transport of the subscriptions test is skipped (.ci/run installs it)');

/** Two app instances on one database: events committed on one reach subscribers connected to the other. */
const transports: Array<[string, boolean]> = [['PostgreSQL LISTEN/NOTIFY', false], ...(redisAvailable ? [['Redis', true] as [string, boolean]] : [])];

describe.each(transports)('ticket subscriptions across instances (%s)', (transport, withRedis) => {
  let redis: TestRedisServer | undefined;
  let a: TestApp;
  let b: TestApp;
  let urlB: string;
  let store: TestTenant;
  let other: TestTenant;
  const live: LiveSubscription<any>[] = [];
  const watch = (credential: string | undefined, query: string, variables?: Record<string, unknown>) => {
    const s = subscribe(b ? urlB : '', credential, query, variables);
    live.push(s);
    return s;
  };

  beforeAll(async () => {
    redis = withRedis ? await TestRedisServer.start() : undefined;
    const env: Record<string, string> = redis ? { REDIS_URL: redis.url } : {};
    a = await TestApp.start(env);
    b = await TestApp.start(env, undefined, a.databaseUrl);
    urlB = await listenForSockets(b);
    store = await a.createTenant();
    other = await a.createTenant('متجر آخر');
  });
  afterAll(async () => {
    await Promise.all(live.map((s) => s.client.dispose()));
    await b?.close();
    await a?.close();
    await redis?.stop();
  });

  it(`delivers a change committed on instance A to a staff subscriber on instance B, in order, and nothing of another store (${transport})`, async () => {
    const staff = watch(store.key, EVENTS);
    const otherStore = watch(other.key, EVENTS);
    await Promise.all([staff.ready, otherStore.ready]);

    const ticket = (await a.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(1) })).createTicket;
    await a.gqlOk(store.key, ADD_MESSAGE, { input: { ticketId: ticket.id, body: 'ملاحظة داخلية للفريق', authorType: 'AGENT', internal: true } });
    await a.gqlOk(store.key, ADD_MESSAGE, { input: { ticketId: ticket.id, body: 'أهلاً بك، نتابع طلبك الآن 🙏', authorType: 'AGENT', internal: false } });

    await until(() => staff.received.length >= 4);
    expect(staff.errors).toEqual([]);
    const mine = staff.received.filter((e) => e.ticketId === ticket.id);
    expect(mine.map((e) => e.type)).toEqual(['CREATED', 'MESSAGE_ADDED', 'MESSAGE_ADDED', 'STATUS_CHANGED']);
    expect(mine[0]).toMatchObject({ ticketNumber: ticket.number, ticket: { id: ticket.id, subject: ticket.subject }, actorType: 'API_KEY', message: null });
    expect(mine[1]).toMatchObject({ message: { body: 'ملاحظة داخلية للفريق', internal: true } });
    expect(mine[2].message).toEqual({ body: 'أهلاً بك، نتابع طلبك الآن 🙏', internal: false, authorType: 'AGENT' });
    expect(mine[3]).toMatchObject({ data: { from: 'NEW', to: 'OPEN' }, ticketStatus: 'OPEN' });
    expect(new Set(mine.map((e) => e.id)).size).toBe(4);
    expect(otherStore.received).toEqual([]);
  });

  it('filters by event type and channel', async () => {
    const created = watch(store.key, EVENTS, { filter: { types: ['CREATED'], channels: ['EMAIL'] } });
    await created.ready;
    await a.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(2, { channel: 'CHAT' }) });
    const email = (await a.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(3, { channel: 'EMAIL' }) })).createTicket;
    await until(() => created.received.length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(created.received.map((e) => [e.type, e.ticketId])).toEqual([['CREATED', email.id]]);
  });

  it("gives a customer token its own tickets' public events only, without staff data", async () => {
    const mine = (await a.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(4, { customer: { email: 'sara@example.sa', name: 'سارة' } }) })).createTicket;
    const theirs = (await a.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(5, { customer: { email: 'omar@example.sa' } }) })).createTicket;
    const token = (await a.gqlOk(store.key, TOKEN, { c: mine.customer.id })).createCustomerToken.token;

    const events = watch(token, EVENTS);
    const messages = watch(token, MESSAGES, { ticketId: mine.id });
    const foreign = watch(token, MESSAGES, { ticketId: theirs.id });
    await Promise.all([events.ready, messages.ready]);

    await a.gqlOk(store.key, ADD_MESSAGE, { input: { ticketId: mine.id, body: 'العميلة غاضبة، عوّضوها', authorType: 'AGENT', internal: true } });
    await a.gqlOk(store.key, ADD_MESSAGE, { input: { ticketId: theirs.id, body: 'رد لعميل آخر', authorType: 'AGENT', internal: false } });
    await a.gqlOk(store.key, ADD_MESSAGE, { input: { ticketId: mine.id, body: 'يا هلا سارة، شحنتك تصل غداً', authorType: 'AGENT', internal: false } });

    await until(() => messages.received.length >= 1 && events.received.length >= 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(events.errors).toEqual([]);
    expect(events.received.map((e) => [e.type, e.ticketId, e.data, e.ticket])).toEqual([
      ['MESSAGE_ADDED', mine.id, null, null],
      ['STATUS_CHANGED', mine.id, null, null],
    ]);
    expect(events.received[0].message).toEqual({ body: 'يا هلا سارة، شحنتك تصل غداً', internal: false, authorType: 'AGENT' });
    expect(messages.received.map((m) => [m.ticketId, m.body, m.internal])).toEqual([[mine.id, 'يا هلا سارة، شحنتك تصل غداً', false]]);
    expect(JSON.stringify(foreign.errors)).toMatch(/NOT_FOUND/);
    expect(foreign.received).toEqual([]);
  });

  it('refuses credentials without read access', async () => {
    const anonymous = watch(undefined, EVENTS);
    const reporting = watch(await a.createKey(store.id, 'reporting'), EVENTS);
    await until(() => anonymous.errors.length > 0 && reporting.errors.length > 0);
    expect(JSON.stringify(anonymous.errors)).toMatch(/UNAUTHENTICATED|Credentials are required/);
    expect(JSON.stringify(reporting.errors)).toMatch(/FORBIDDEN/);
  });
});

/**
 * A subscription is authorised once but lives on: it must end when its credential does, within
 * the credential cache delay (1 s here), even when the change is made on another instance.
 */
describe('subscriptions end with their credential', () => {
  let a: TestApp;
  let b: TestApp;
  let urlB: string;
  let store: TestTenant;
  const live: LiveSubscription<any>[] = [];
  const watch = (credential: string) => {
    const s = subscribe(urlB, credential, EVENTS);
    live.push(s);
    return s;
  };
  /** The subscription works: a new ticket reaches it. */
  const receivesEvents = async (s: LiveSubscription<any>) => {
    await s.ready;
    const before = s.received.length;
    await a.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(40 + live.length) });
    await until(() => s.received.length > before, 10_000);
    expect(s.received.length).toBeGreaterThan(before);
  };
  /** Closed with `code`, and a later ticket (with its subject) no longer reaches it. */
  const endsWith = async (s: LiveSubscription<any>, code: number) => {
    await until(() => s.closed !== undefined, 15_000);
    expect(s.closed?.code).toBe(code);
    const before = s.received.length;
    await a.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(60 + live.length) });
    await new Promise((r) => setTimeout(r, 500));
    expect(s.received.length).toBe(before);
  };

  beforeAll(async () => {
    const env = { API_KEY_CACHE_SECONDS: '1' };
    a = await TestApp.start(env);
    b = await TestApp.start(env, undefined, a.databaseUrl);
    urlB = await listenForSockets(b);
    store = await a.createTenant();
  });
  afterAll(async () => {
    await Promise.all(live.map((s) => s.client.dispose()));
    await b?.close();
    await a?.close();
  });

  it('closes with 4401 once the API key is revoked', async () => {
    const { apiKey, key } = await a.app.get(AuthService).createApiKey(store.id, 'agent', 'dashboard');
    const events = watch(key);
    await receivesEvents(events);
    await a.gqlOk(store.key, `mutation($id: ID!) { revokeApiKey(id: $id) }`, { id: apiKey.id });
    await endsWith(events, 4401);
  });

  it('closes with 4403 once the agent is deactivated', async () => {
    const password = 'كلمة-سر-قوية-2026';
    const agent = (await a.gqlOk(store.key, `mutation($p: String!) { createAgent(input: { name: "ريم", email: "reem@store.sa", password: $p }) { id } }`, { p: password })).createAgent;
    const session = (await a.gql(undefined, `mutation($input: LoginInput!) { login(input: $input) { accessToken } }`, { input: { tenant: store.slug, email: 'reem@store.sa', password } })).data.login;
    const events = watch(session.accessToken);
    await receivesEvents(events);
    await a.gqlOk(store.key, `mutation($id: ID!) { updateAgent(id: $id, input: { active: false }) { active } }`, { id: agent.id });
    await endsWith(events, 4403);
  });

  it('closes with 4401 when the token expires', async () => {
    const ticket = (await a.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(80, { customer: { email: 'huda@example.sa' } }) })).createTicket;
    const { token, expiresAt } = a.app.get(TokensService).signCustomer(store.id, ticket.customer.id, 4);
    const events = watch(token);
    await events.ready;
    await a.gqlOk(store.key, ADD_MESSAGE, { input: { ticketId: ticket.id, body: 'أهلاً هدى، طلبك في الطريق', authorType: 'AGENT', internal: false } });
    await until(() => events.received.length > 0, 10_000);
    expect(events.received[0]).toMatchObject({ type: 'MESSAGE_ADDED', ticketId: ticket.id });
    await until(() => events.closed !== undefined, 15_000);
    expect(events.closed?.code).toBe(4401);
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt.getTime() - 1000); // not before its time
  });
});
