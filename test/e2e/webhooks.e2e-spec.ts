import { DataSource } from 'typeorm';
import { verifyWebhookSignature } from '../../src/channels/webhooks/webhook-signature';
import { until } from './helpers/live';
import { ADD_MESSAGE, arabicTicket, CREATE_TICKET, eventuallyPasses, TestApp, TestTenant } from './helpers/test-app';
import { WebhookReceiver } from './helpers/webhook-receiver';

const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id url events enabled } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(id: $id, input: $input) { id enabled disabledReason } }`;
const ENDPOINTS = `{ webhookEndpoints { id url events enabled disabledReason } }`;
const DELIVERIES = `query($id: ID!, $status: WebhookDeliveryStatus) {
  webhookDeliveries(endpointId: $id, status: $status, first: 50) { totalCount edges { node { id eventId eventType ticketId status attempts responseStatus lastError replayOfId deliveredAt } } }
}`;
const REPLAY = `mutation($id: ID!) { replayWebhookDelivery(id: $id) { id eventId status replayOfId } }`;
const TICKET_EVENTS = `query($id: ID!) { ticket(id: $id) { events { id type } } }`;

describe('outbound webhooks', () => {
  let t: TestApp;
  let store: TestTenant;
  let other: TestTenant;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    t = await TestApp.start({ WEBHOOK_RETRY_BASE_MS: '200', WEBHOOK_RETRY_FOR_SECONDS: '4' });
    store = await t.createTenant();
    other = await t.createTenant('متجر آخر');
  });
  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterEach(async () => {
    // Endpoints of one test must not receive the next test's events.
    for (const e of (await t.gqlOk(store.key, ENDPOINTS)).webhookEndpoints) await t.gqlOk(store.key, `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`, { id: e.id });
    await receiver.stop();
  });
  afterAll(() => t.close());

  const subscribe = async (events?: string[]) => (await t.gqlOk(store.key, CREATE, { input: { url: receiver.url, events, description: 'ERP' } })).createWebhookEndpoint;
  const deliveries = async (id: string, status?: string) => (await t.gqlOk(store.key, DELIVERIES, { id, status })).webhookDeliveries.edges.map((e: any) => e.node);

  it('a slow receiver holds up neither other deliveries nor a database connection while it waits', async () => {
    const slow = await WebhookReceiver.start();
    slow.delayMs = 5000;
    try {
      await t.gqlOk(other.key, CREATE, { input: { url: slow.url, events: ['CREATED'] } });
      await subscribe(['CREATED']);
      await t.gqlOk(other.key, CREATE_TICKET, { input: arabicTicket(7) });
      const ds = t.app.get(DataSource);
      const claimed = async () => (await ds.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE tenant_id = $1 AND next_attempt_at > now()`, [other.id]))[0].n;
      for (const end = Date.now() + 5000; (await claimed()) === 0 && Date.now() < end;) await new Promise((r) => setTimeout(r, 20));
      expect(await claimed()).toBe(1);
      await new Promise((r) => setTimeout(r, 1500));
      const [{ waiting }] = await ds.query(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction' AND now() - state_change > interval '1 second'`,
      );
      expect(waiting).toBe(0);
      await t.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(8) });
      await until(() => receiver.accepted.length === 1);
      expect(receiver.accepted).toHaveLength(1);
      expect(slow.requests).toHaveLength(0); // still waiting for its answer
      await until(() => slow.accepted.length === 1, 15_000);
      expect(slow.accepted).toHaveLength(1);
    } finally {
      for (const e of (await t.gqlOk(other.key, ENDPOINTS)).webhookEndpoints) await t.gqlOk(other.key, `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`, { id: e.id });
      await slow.stop();
    }
  });

  it('signs each event with the endpoint secret, in the order of the ticket timeline, with stable event ids', async () => {
    const { secret, endpoint } = await subscribe();
    expect(secret).toMatch(/^whsec_[\w-]{43}$/);
    expect(JSON.stringify((await t.gqlOk(store.key, ENDPOINTS)).webhookEndpoints)).not.toContain(secret);

    const ticket = (await t.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(1) })).createTicket;
    await t.gqlOk(store.key, ADD_MESSAGE, { input: { ticketId: ticket.id, body: 'تم شحن طلبك اليوم 🚚', authorType: 'AGENT', internal: false } });
    await until(() => receiver.accepted.length >= 3);

    const timeline = (await t.gqlOk(store.key, TICKET_EVENTS, { id: ticket.id })).ticket.events;
    expect(receiver.requests.map((r) => [r.json.id, r.json.type])).toEqual(timeline.map((e: any) => [e.id, e.type]));
    const now = Math.floor(Date.now() / 1000);
    for (const request of receiver.requests) {
      expect(verifyWebhookSignature(secret, request.body, request.headers['rida-signature'] as string, now)).toBe(true);
      expect(verifyWebhookSignature('whsec_wrong', request.body, request.headers['rida-signature'] as string, now)).toBe(false);
      expect(request.headers['rida-event-id']).toBe(request.json.id);
      expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
    }
    expect(receiver.requests[0].json).toMatchObject({
      type: 'CREATED',
      actor: { type: 'API_KEY' },
      ticket: { id: ticket.id, number: ticket.number, status: 'NEW', priority: ticket.priority, channel: ticket.channel, customerId: ticket.customer.id },
    });
    expect(receiver.requests[2].json).toMatchObject({ type: 'STATUS_CHANGED', ticket: { status: 'OPEN' }, data: { from: 'NEW', to: 'OPEN' } });
    // The priority is its name, as in GraphQL and in data.priority, not the stored sort rank.
    expect(ticket.priority).toMatch(/^[A-Z]+$/);
    await eventuallyPasses(async () => {
      const log = await deliveries(endpoint.id);
      expect(log.map((d: any) => [d.eventType, d.status, d.attempts, d.responseStatus])).toEqual([
        ['STATUS_CHANGED', 'DELIVERED', 1, 200],
        ['MESSAGE_ADDED', 'DELIVERED', 1, 200],
        ['CREATED', 'DELIVERED', 1, 200],
      ]);
    });
  });

  it('retries a failing receiver with back-off, and holds later events of the ticket until the earlier one is through', async () => {
    const { endpoint } = await subscribe(['CREATED', 'MESSAGE_ADDED']);
    receiver.respond = (n) => (n < 2 ? 500 : 200);
    const ticket = (await t.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(2) })).createTicket;
    await t.gqlOk(store.key, ADD_MESSAGE, { input: { ticketId: ticket.id, body: 'ملاحظة', authorType: 'AGENT', internal: true } });
    await until(() => receiver.accepted.length >= 2, 10_000);

    expect(receiver.requests.map((r) => [r.json.type, r.answeredWith])).toEqual([
      ['CREATED', 500],
      ['CREATED', 500],
      ['CREATED', 200],
      ['MESSAGE_ADDED', 200],
    ]);
    // The outcome is recorded once the receiver's answer is back.
    await eventuallyPasses(async () => {
      const [message, created] = await deliveries(endpoint.id);
      expect(created).toMatchObject({ eventType: 'CREATED', status: 'DELIVERED', attempts: 3, responseStatus: 200, lastError: null });
      expect(message).toMatchObject({ eventType: 'MESSAGE_ADDED', status: 'DELIVERED', attempts: 1 });
    });
    // Only the subscribed kinds were sent (no STATUS_CHANGED).
    expect((await deliveries(endpoint.id)).length).toBe(2);
  });

  it('gives up after the retry window, disables the endpoint, and replays the failed event once the receiver is back', async () => {
    const { endpoint } = await subscribe(['CREATED']);
    receiver.respond = () => 503;
    const ticket = (await t.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(3) })).createTicket;
    await until(() => false, 6000); // the 4-second retry window runs out
    const [failed] = await deliveries(endpoint.id, 'FAILED');
    expect(failed).toMatchObject({ eventType: 'CREATED', ticketId: ticket.id, status: 'FAILED', responseStatus: 503 });
    expect(failed.attempts).toBeGreaterThanOrEqual(3);
    // The status and its standard reason only: the receiver's body ('receiver is down') is not kept.
    expect(failed.lastError).toBe('HTTP 503 Service Unavailable');
    const [disabled] = (await t.gqlOk(store.key, ENDPOINTS)).webhookEndpoints;
    expect(disabled.enabled).toBe(false);
    expect(disabled.disabledReason).toMatch(/failed/);

    // Disabled for failing: new events wait for the endpoint instead of going out.
    const attemptsSoFar = receiver.requests.length;
    const later = (await t.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(4) })).createTicket;
    await new Promise((r) => setTimeout(r, 1200));
    expect(receiver.requests.length).toBe(attemptsSoFar);
    const [waiting] = await deliveries(endpoint.id, 'PENDING');
    expect(waiting).toMatchObject({ ticketId: later.id, attempts: 0 });

    // Re-enabled: what waited goes out, and the failed event is replayed on request.
    receiver.respond = () => 200;
    await t.gqlOk(store.key, UPDATE, { id: endpoint.id, input: { enabled: true } });
    const replay = (await t.gqlOk(store.key, REPLAY, { id: failed.id })).replayWebhookDelivery;
    expect(replay).toMatchObject({ eventId: failed.eventId, status: 'PENDING', replayOfId: failed.id });
    await until(() => receiver.accepted.length >= 2);
    expect(receiver.accepted.map((r) => r.json.id).sort()).toEqual([failed.eventId, waiting.eventId].sort());
    expect(receiver.accepted.find((r) => r.json.id === failed.eventId)!.headers['rida-event-id']).toBe(failed.eventId);

    // The log pages both ways: newest first forward, the same order backward from the end.
    const PAGE = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
      webhookDeliveries(endpointId: $id, first: $first, after: $after, last: $last, before: $before) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { id } } } }`;
    const page = async (variables: Record<string, unknown>) => (await t.gqlOk(store.key, PAGE, { id: endpoint.id, ...variables })).webhookDeliveries;
    const all = (await page({ first: 50 })).edges.map((e: any) => e.node.id);
    expect(all.length).toBeGreaterThanOrEqual(3);
    const tail = await page({ last: 2 });
    expect(tail.edges.map((e: any) => e.node.id)).toEqual(all.slice(-2));
    expect(tail.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const before = await page({ last: 50, before: tail.pageInfo.startCursor });
    expect(before.edges.map((e: any) => e.node.id)).toEqual(all.slice(0, -2));
    expect(before.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });

    // Switched off by an admin: nothing is collected.
    await t.gqlOk(store.key, UPDATE, { id: endpoint.id, input: { enabled: false } });
    await t.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(5) });
    await eventuallyPasses(async () => expect(await deliveries(endpoint.id, 'PENDING')).toEqual([]));
  });

  it('keeps stores apart and refuses bad input with clear codes', async () => {
    const { endpoint } = await subscribe();
    const theirs = await t.gql(other.key, DELIVERIES, { id: endpoint.id });
    expect(theirs.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const update = await t.gql(other.key, UPDATE, { id: endpoint.id, input: { enabled: false } });
    expect(update.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await t.gqlOk(other.key, ENDPOINTS)).webhookEndpoints).toEqual([]);

    const agent = await t.gql(await t.createKey(store.id, 'agent'), ENDPOINTS);
    expect(agent.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const badUrl = await t.gql(store.key, CREATE, { input: { url: 'ftp://example.sa/x' } });
    expect(badUrl.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const badEvent = await t.gql(store.key, CREATE, { input: { url: receiver.url, events: ['NOPE'] } });
    expect(badEvent.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('outbound webhooks to addresses outside the public internet (ALLOW_PRIVATE_NETWORK_TARGETS off)', () => {
  let receiver: WebhookReceiver;
  let databaseUrl: string;
  let key: string;
  const stored: Record<string, string> = {};

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    receiver.respond = () => 500;
    const port = new URL(receiver.url).port;
    // Endpoints stored while private targets were allowed (as before this rule, or by a misconfiguration).
    const allowed = await TestApp.start();
    databaseUrl = allowed.databaseUrl;
    const store = await allowed.createTenant();
    key = store.key;
    for (const [name, url] of Object.entries({ loopback: receiver.url, localhost: `http://localhost:${port}/hooks`, mapped: `http://[::ffff:127.0.0.1]:${port}/hooks` })) {
      stored[name] = (await allowed.gqlOk(key, CREATE, { input: { url, events: ['CREATED'] } })).createWebhookEndpoint.endpoint.id;
    }
    await allowed.close();
  });
  afterAll(() => receiver.stop());

  it('refuses loopback, private, NAT64 and IPv4-in-IPv6 URLs and names resolving inside when an endpoint is created or changed', async () => {
    const t = await TestApp.start({ ALLOW_PRIVATE_NETWORK_TARGETS: 'false' }, undefined, databaseUrl);
    try {
      const port = new URL(receiver.url).port;
      for (const url of [
        receiver.url,
        `http://localhost:${port}/hooks`,
        `http://[::ffff:127.0.0.1]:${port}/hooks`,
        'http://[64:ff9b::7f00:1]/hooks',
        'http://[::127.0.0.1]/hooks',
        'http://[::1]/hooks',
        'http://169.254.169.254/latest/meta-data/',
        'http://10.0.0.5/hooks',
        'http://metadata.google.internal/hooks',
      ]) {
        const refused = await t.gql(key, CREATE, { input: { url } });
        expect([url, refused.errors?.[0].extensions.code]).toEqual([url, 'BAD_USER_INPUT']);
        expect(refused.errors?.[0].extensions.fields?.url?.[0]).toMatch(/^Refused to connect to /);
      }
      const update = await t.gql(key, UPDATE, { id: stored.loopback, input: { url: `http://localhost:${port}/other` } });
      expect(update.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { url: ['Refused to connect to localhost: a name for this machine or a local network'] } });
    } finally {
      await t.close();
    }
  });

  it('does not connect to an endpoint stored earlier that points inside, and records why (never a receiver body)', async () => {
    const t = await TestApp.start({ ALLOW_PRIVATE_NETWORK_TARGETS: 'false', WEBHOOK_RETRY_BASE_MS: '60000' }, undefined, databaseUrl);
    try {
      await t.gqlOk(key, CREATE_TICKET, { input: arabicTicket(40) });
      const attempted = async (endpointId: string) => {
        const [delivery] = (await t.gqlOk(key, DELIVERIES, { id: endpointId })).webhookDeliveries.edges.map((e: any) => e.node);
        expect(delivery.attempts).toBe(1);
        return delivery;
      };
      await eventuallyPasses(async () => {
        expect(await attempted(stored.loopback)).toMatchObject({ status: 'PENDING', responseStatus: null, lastError: 'Refused to connect to 127.0.0.1: not on the public internet (loopback)' });
        expect(await attempted(stored.localhost)).toMatchObject({ responseStatus: null, lastError: 'Refused to connect to localhost: a name for this machine or a local network' });
        expect(await attempted(stored.mapped)).toMatchObject({
          responseStatus: null,
          lastError: 'Refused to connect to [::ffff:7f00:1]: not on the public internet (loopback, as IPv4 inside IPv6)', // the URL's own spelling of it
        });
      });
      expect(receiver.requests).toHaveLength(0);
    } finally {
      await t.close();
    }
  });
});
