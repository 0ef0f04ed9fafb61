import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { APP_SCHEMA } from '../../src/app-schema';
import { AuthService } from '../../src/auth/auth.service';
import { metaSignature } from '../../src/channels/messaging/platform-signatures';
import { makeThrowawayDir } from '../../src/common/database/embedded-postgres';
import { openDatabase } from '../../src/common/database/typeorm-options';
import { FakeGraphApi } from '../fakes/meta-graph-api';
import { waContact, waText, waWebhook } from '../fakes/whatsapp-payloads';
import { createTestDatabase, withClient } from '../test-database';
import { freePort } from './helpers/ports';
import { PostgresProcess } from './helpers/postgres-process';
import { productionEnv, ServerProcess } from './helpers/server-process';

/**
 * Crashes for real: the compiled server (`node dist/src/main.js`) killed with SIGKILL in the middle
 * of traffic and started again, and PostgreSQL's postmaster killed with SIGKILL under load. What a
 * client was told (a 2xx) must hold afterwards, and what it retries must not be stored twice.
 * `npx tsc -p tsconfig.json` (npm test's typecheck) builds dist/ first.
 */
const TOKEN = 'EAAG-crash-test-access-token';
const APP_SECRET = 'crash-test-app-secret';
const CONNECT = `mutation($input: ConnectWhatsAppInput!) { connectWhatsApp(input: $input) { id webhookPath } }`;
const CREATE = `mutation($input: CreateTicketInput!) { createTicket(input: $input) { id number } }`;
const REQUEST_TIMEOUT_MS = 15_000;

interface Store {
  id: string;
  key: string;
}

/** A request's outcome: the HTTP status, or 0 when no answer came (connection refused or reset, time-out). */
interface Outcome {
  status: number;
  body?: any;
}

async function request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Outcome> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON (EVENT_RECEIVED)
    }
    return { status: res.status, body };
  } catch {
    return { status: 0 };
  }
}

const ok = (status: number) => status >= 200 && status < 300;

/**
 * Sends every item of `queue` with `concurrency` requests at once, taking items off the front, until
 * the queue is empty or `halted()` says to stop taking more (requests already sent still finish).
 */
async function drain<T>(queue: T[], concurrency: number, send: (item: T) => Promise<unknown>, halted: () => boolean = () => false): Promise<void> {
  const worker = async () => {
    while (!halted() && queue.length > 0) await send(queue.shift()!);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * Sends from the queue until `killAfter` more requests were acknowledged (counted by
 * `acknowledged()`), then SIGKILLs the server at once; requests in flight then get no answer.
 */
async function sendUntilKilled<T>(server: ServerProcess, queue: T[], acknowledged: () => number, killAfter: number, send: (item: T) => Promise<unknown>): Promise<void> {
  const target = acknowledged() + killAfter;
  let killed = false;
  const sendAndMaybeKill = async (item: T) => {
    await send(item);
    if (!killed && acknowledged() >= target) {
      killed = true;
      server.signal('SIGKILL');
    }
  };
  await drain(queue, 16, sendAndMaybeKill, () => killed);
  await server.kill();
  if (!killed) throw new Error(`the queue ran dry before ${killAfter} more acknowledgements: make it longer`);
}

interface Create {
  key: string;
  viaGraphql: boolean;
  input: { subject: string; body: string; channel: string; customer: { phone: string; name: string } };
}

/**
 * Ticket creates carrying an idempotency key (REST `Idempotency-Key`, or GraphQL `idempotencyKey`),
 * and what the server answered: the ticket each key was first acknowledged with, the keys still
 * without an answer, and any key later answered with another ticket.
 */
class IdempotentCreates {
  readonly acknowledged = new Map<string, { id: string; number: number }>();
  readonly unanswered = new Map<string, Create>();
  readonly statuses = new Map<string, number>();
  readonly answeredDifferently: string[] = [];

  constructor(private readonly store: Store) {}

  static make(prefix: string, count: number, customers: number, graphqlEvery = 4): Create[] {
    return Array.from({ length: count }, (_, i) => ({
      key: `${prefix}-${String(i).padStart(4, '0')}`,
      viaGraphql: i % graphqlEvery === 0,
      input: {
        subject: `استفسار عن الطلب ${4500 + i}`,
        body: `السلام عليكم، متى يصل طلبي رقم ${4500 + i}؟`,
        channel: 'API',
        customer: { phone: `+96655${3000000 + (i % customers)}`, name: `عميل ${i % customers}` },
      },
    }));
  }

  /** Sends one create; true when it was acknowledged. */
  async send(server: ServerProcess, create: Create): Promise<boolean> {
    const auth = { 'content-type': 'application/json', authorization: `Bearer ${this.store.key}` };
    let ticket: { id: string; number: number } | undefined;
    let outcome: string;
    if (create.viaGraphql) {
      const res = await graphql(server, this.store.key, CREATE, { input: { ...create.input, idempotencyKey: create.key } });
      ticket = res.status === 200 ? res.body?.data?.createTicket : undefined;
      outcome = res.status === 200 && res.body?.errors ? `graphql ${res.body.errors[0]?.extensions?.code}` : String(res.status);
    } else {
      const res = await request(`${server.baseUrl}/api/v1/tickets`, { method: 'POST', headers: { ...auth, 'idempotency-key': create.key }, body: JSON.stringify(create.input) });
      ticket = ok(res.status) ? res.body : undefined;
      outcome = String(res.status);
    }
    this.statuses.set(outcome, (this.statuses.get(outcome) ?? 0) + 1);
    if (!ticket?.id) {
      if (!this.acknowledged.has(create.key)) this.unanswered.set(create.key, create);
      return false;
    }
    const first = this.acknowledged.get(create.key);
    if (first && (first.id !== ticket.id || first.number !== ticket.number)) this.answeredDifferently.push(create.key);
    if (!first) this.acknowledged.set(create.key, { id: ticket.id, number: ticket.number });
    this.unanswered.delete(create.key);
    return true;
  }

  /** Retries every create that got no answer, as a client with an idempotency key may, until all are answered. */
  async retryUnanswered(server: ServerProcess): Promise<void> {
    for (let pass = 0; pass < 5 && this.unanswered.size > 0; pass++) await drain([...this.unanswered.values()], 8, (create) => this.send(server, create));
  }

  /** Each key's ticket in the database must be the one it was acknowledged with, and each number from the gap-free run. */
  async expectStoredAsAcknowledged(db: Client, creates: Create[]): Promise<void> {
    const { rows } = await db.query<{ idempotency_key: string; id: string; number: number }>(`SELECT idempotency_key, id, number FROM tickets WHERE tenant_id = $1 AND idempotency_key = ANY($2)`, [
      this.store.id,
      creates.map((c) => c.key),
    ]);
    const stored = new Map(rows.map((row) => [row.idempotency_key, { id: row.id, number: row.number }]));
    const lost = [...this.acknowledged].filter(([key, ticket]) => stored.get(key)?.id !== ticket.id || stored.get(key)?.number !== ticket.number);
    expect(lost).toEqual([]);
    expect(this.answeredDifferently).toEqual([]);
  }
}

/** A store with an admin key, created the way the CLI does it (straight in the database). */
async function createStore(databaseUrl: string, name: string): Promise<Store> {
  const database = await openDatabase(databaseUrl, APP_SCHEMA);
  try {
    const auth = new AuthService(database.allStores, database.tenants);
    const tenant = await auth.createTenant({ name, timezone: 'Asia/Riyadh', defaultCountry: 'SA' });
    return { id: tenant.id, key: (await auth.createApiKey(tenant.id, 'admin', 'crash test')).key };
  } finally {
    await database.close();
  }
}

async function graphql(server: ServerProcess, key: string, query: string, variables: Record<string, unknown>): Promise<Outcome> {
  return request(`${server.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
}

/** Each store's ticket numbers, in order. */
async function ticketNumbers(db: Client, storeIds: string[]): Promise<Map<string, number[]>> {
  const { rows } = await db.query<{ tenant_id: string; numbers: number[] }>(
    `SELECT tenant_id, array_agg(number ORDER BY number) AS numbers FROM tickets WHERE tenant_id = ANY($1) GROUP BY tenant_id`,
    [storeIds],
  );
  return new Map(rows.map((row) => [row.tenant_id, row.numbers]));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `condition` holds; fails with `what` after `timeoutMs`. */
async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${timeoutMs} ms`);
    await sleep(100);
  }
}

const gapFree = (count: number) => Array.from({ length: count }, (_, i) => 1001 + i);

describe('crash: real kills of the server and of PostgreSQL under traffic', () => {
  let databaseUrl: string;
  let fake: FakeGraphApi;
  const servers: ServerProcess[] = [];
  /** The PostgreSQL cluster of the test that kills it (not the run's shared one), while it runs. */
  let ownPostgres: PostgresProcess | undefined;
  let ownPostgresDir: string | undefined;

  const startServer = async (url: string, port: number) => {
    const server = await ServerProcess.start(productionEnv(url, port, { WHATSAPP_API_BASE_URL: fake.baseUrl }));
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    fake = await FakeGraphApi.start();
    fake.tokens.add(TOKEN);
  });

  afterAll(async () => {
    for (const server of servers) await server.kill();
    await fake.stop();
    await ownPostgres?.stop();
    if (ownPostgresDir) rmSync(ownPostgresDir, { recursive: true, force: true });
  });

  it('SIGKILL twice during a few hundred WhatsApp webhooks: after Meta redelivers, every message is stored once, numbers are gap-free, no customer twice', async () => {
    const port = await freePort();
    const stores = [await createStore(databaseUrl, 'متجر الورد'), await createStore(databaseUrl, 'متجر العود')];
    let server = await startServer(databaseUrl, port);

    const channels: Array<{ id: string; webhookPath: string }> = [];
    for (const [i, store] of stores.entries()) {
      const input = {
        phoneNumberId: `10654035224292${i}`,
        displayPhoneNumber: '+966 11 234 5678',
        businessAccountId: '102290129340398',
        accessToken: TOKEN,
        appSecret: APP_SECRET,
        verifyToken: 'verify-me-please',
      };
      const res = await graphql(server, store.key, CONNECT, { input });
      expect(res.body?.errors).toBeUndefined();
      channels.push(res.body.data.connectWhatsApp);
    }

    // 300 webhooks, one message each, alternating between the stores; 40 senders per store, so a
    // sender's messages race each other into the same conversation.
    const SENDERS = 40;
    const webhooks = Array.from({ length: 300 }, (_, i) => {
      const store = i % 2;
      const from = `96650${2000000 + (Math.floor(i / 2) % SENDERS)}`;
      const id = `wamid.crash.${store}.${String(i).padStart(4, '0')}`;
      const raw = JSON.stringify(waWebhook({ phoneNumberId: `10654035224292${store}` }, { contacts: [waContact(from, `عميل ${from.slice(-2)}`)], messages: [waText(from, `رسالة رقم ${i}`, { id })] }));
      return { store, from, id, path: channels[store].webhookPath, raw, signature: metaSignature(raw, APP_SECRET) };
    });
    type Webhook = (typeof webhooks)[number];

    const acknowledged = new Set<string>();
    const unanswered = new Map<string, Webhook>();
    const statuses = new Map<number, number>();
    const deliver = async (webhook: Webhook) => {
      const { status } = await request(`${server.baseUrl}${webhook.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': webhook.signature },
        body: webhook.raw,
      });
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (ok(status)) {
        acknowledged.add(webhook.id);
        unanswered.delete(webhook.id);
      } else {
        unanswered.set(webhook.id, webhook);
      }
      return status;
    };
    const storedCounts = async (ids: string[]) =>
      withClient(databaseUrl, async (db) => {
        const { rows } = await db.query<{ external_id: string; copies: number }>(
          `SELECT external_id, count(*)::int AS copies FROM messages WHERE channel = 'WHATSAPP' AND external_id = ANY($1) GROUP BY external_id`,
          [ids],
        );
        return new Map(rows.map((row) => [row.external_id, row.copies]));
      });
    const expectAcknowledgedStored = async () => {
      const stored = await storedCounts([...acknowledged]);
      expect([...acknowledged].filter((id) => stored.get(id) !== 1)).toEqual([]);
    };

    const queue = [...webhooks];
    for (let kill = 0; kill < 2; kill++) {
      await sendUntilKilled(server, queue, () => acknowledged.size, 70, deliver);
      server = await startServer(databaseUrl, port);
      await expectAcknowledgedStored();
    }
    await drain(queue, 16, deliver);

    // Meta redelivers what got no 2xx, and sometimes what did.
    for (let pass = 0; pass < 5 && unanswered.size > 0; pass++) await drain([...unanswered.values()], 16, deliver);
    expect([...unanswered.keys()]).toEqual([]);
    const sample = webhooks.filter((_, i) => i % 7 === 0);
    const replays = await Promise.all(sample.map(deliver));
    expect(replays.filter((status) => !ok(status))).toEqual([]);
    // The kills landed mid-traffic: requests went unanswered and were delivered again.
    expect(statuses.get(0) ?? 0).toBeGreaterThan(0);

    const stored = await storedCounts(webhooks.map((w) => w.id));
    expect(webhooks.filter((w) => stored.get(w.id) !== 1).map((w) => [w.id, stored.get(w.id) ?? 0])).toEqual([]);

    await withClient(databaseUrl, async (db) => {
      const numbers = await ticketNumbers(
        db,
        stores.map((s) => s.id),
      );
      for (const store of stores) {
        const mine = numbers.get(store.id) ?? [];
        expect(mine).toEqual(gapFree(mine.length));
        const [counter] = (await db.query(`SELECT last_number FROM ticket_counters WHERE tenant_id = $1`, [store.id])).rows;
        expect(Number(counter.last_number)).toBe(1000 + mine.length);
      }
      // One customer per phone number and store, each message on a ticket of its sender.
      const { rows: customers } = await db.query(
        `SELECT c.tenant_id, count(*)::int AS customers, count(ci.id)::int AS with_phone, count(DISTINCT ci.value)::int AS phones
           FROM customers c LEFT JOIN customer_identities ci ON ci.tenant_id = c.tenant_id AND ci.customer_id = c.id AND ci.kind = 'PHONE'
          WHERE c.tenant_id = ANY($1) GROUP BY c.tenant_id ORDER BY c.tenant_id`,
        [stores.map((s) => s.id)],
      );
      expect(customers).toEqual(stores.map((s) => ({ tenant_id: s.id, customers: SENDERS, with_phone: SENDERS, phones: SENDERS })).sort((a, b) => (a.tenant_id < b.tenant_id ? -1 : 1)));
      const { rows: senders } = await db.query<{ external_id: string; value: string }>(
        `SELECT m.external_id, ci.value FROM messages m
           JOIN tickets t ON t.tenant_id = m.tenant_id AND t.id = m.ticket_id
           JOIN customer_identities ci ON ci.tenant_id = t.tenant_id AND ci.customer_id = t.customer_id AND ci.kind = 'PHONE'
          WHERE m.tenant_id = ANY($1) AND m.channel = 'WHATSAPP' AND m.author_type = 'CUSTOMER'`,
        [stores.map((s) => s.id)],
      );
      const senderOf = new Map(senders.map((row) => [row.external_id, row.value]));
      expect(webhooks.filter((w) => senderOf.get(w.id) !== `+${w.from}`).map((w) => w.id)).toEqual([]);
    });
    await server.stop();
  }, 100_000);
  it('SIGKILL twice during idempotent creates (REST Idempotency-Key and GraphQL idempotencyKey): retried, each key makes exactly one ticket, numbers gap-free', async () => {
    const port = await freePort();
    const store = await createStore(databaseUrl, 'متجر البخور');
    const CUSTOMERS = 12;
    const creates = IdempotentCreates.make('crash-create', 200, CUSTOMERS);
    const ledger = new IdempotentCreates(store);
    const queue = [...creates];

    let server = await startServer(databaseUrl, port);
    for (let kill = 0; kill < 2; kill++) {
      await sendUntilKilled(
        server,
        queue,
        () => ledger.acknowledged.size,
        50,
        (create) => ledger.send(server, create),
      );
      server = await startServer(databaseUrl, port);
      await withClient(databaseUrl, (db) => ledger.expectStoredAsAcknowledged(db, creates));
    }
    await drain(queue, 16, (create) => ledger.send(server, create));

    // The client retries whatever got no answer, and repeats some that did: the same ticket comes back.
    await ledger.retryUnanswered(server);
    expect([...ledger.unanswered.keys()]).toEqual([]);
    const repeated = creates.filter((_, i) => i % 9 === 0);
    expect((await Promise.all(repeated.map((create) => ledger.send(server, create)))).every(Boolean)).toBe(true);
    expect(ledger.statuses.get('0') ?? 0).toBeGreaterThan(0);

    await withClient(databaseUrl, async (db) => {
      await ledger.expectStoredAsAcknowledged(db, creates);
      expect(ledger.acknowledged.size).toBe(creates.length);
      const numbers = (await ticketNumbers(db, [store.id])).get(store.id);
      expect(numbers).toEqual(gapFree(creates.length));
      const { rows } = await db.query(
        `SELECT count(DISTINCT c.id)::int AS customers, count(DISTINCT ci.value)::int AS phones
           FROM customers c LEFT JOIN customer_identities ci ON ci.tenant_id = c.tenant_id AND ci.customer_id = c.id AND ci.kind = 'PHONE'
          WHERE c.tenant_id = $1`,
        [store.id],
      );
      expect(rows).toEqual([{ customers: CUSTOMERS, phones: CUSTOMERS }]);
    });
    await server.stop();
  }, 100_000);
  it('PostgreSQL SIGKILLed under load: errors while it is down, /health/live answers and /health says 503; back by itself once PostgreSQL is, nothing acknowledged lost', async () => {
    ownPostgresDir = makeThrowawayDir('rida-crash-pg-');
    const dataDir = join(ownPostgresDir, 'data');
    const pgPort = await freePort();
    // Durable (not ephemeral): what PostgreSQL acknowledged must survive its SIGKILL.
    ownPostgres = await PostgresProcess.start(dataDir, pgPort);
    const { url } = ownPostgres;
    const server = await startServer(url, await freePort());
    const store = await createStore(url, 'متجر المسك');
    const ledger = new IdempotentCreates(store);
    const creates = IdempotentCreates.make('crash-pg', 1000, 10);
    const queue = [...creates];

    // Clients that retry a failed create with the same key after a short pause, until told to stop.
    let stopLoad = false;
    const sendWithRetries = async (create: Create) => {
      while (!(await ledger.send(server, create)) && !stopLoad) await sleep(200);
    };
    const load = drain(queue, 6, sendWithRetries, () => stopLoad);
    const health = async (path: string) => (await request(`${server.baseUrl}${path}`)).status;

    try {
      await until(() => ledger.acknowledged.size >= 30, 20_000, 'the first acknowledged creates');
      const acknowledgedBeforeKill = new Map(ledger.acknowledged);
      ownPostgres.killPostmaster();
      await ownPostgres.abandon();
      ownPostgres = undefined;

      // Down: readiness says so, liveness still answers, the process stays up.
      await until(async () => (await health('/health')) === 503, 10_000, '/health to answer 503');
      expect(await health('/health/live')).toBe(200);
      await sleep(1500);
      expect(await health('/health/live')).toBe(200);
      expect(await health('/health')).toBe(503);
      expect(server.alive).toBe(true);

      ownPostgres = await PostgresProcess.restart(dataDir, pgPort);
      await until(async () => (await health('/health')) === 200, 20_000, '/health to answer 200 after PostgreSQL came back');
      const recovered = ledger.acknowledged.size;
      await until(() => ledger.acknowledged.size >= recovered + 30, 20_000, 'creates acknowledged after the recovery');
      stopLoad = true;
      await load;

      await ledger.retryUnanswered(server);
      expect([...ledger.unanswered.keys()]).toEqual([]);
      expect(server.alive).toBe(true);
      // Every request got an answer: a success, or a server error while the database was down.
      const outcomes = [...ledger.statuses.keys()].filter((outcome) => !['200', '201'].includes(outcome));
      expect(outcomes.filter((outcome) => !['500', '503', 'graphql INTERNAL_SERVER_ERROR', 'graphql SERVICE_UNAVAILABLE'].includes(outcome))).toEqual([]);
      expect(outcomes.length).toBeGreaterThan(0);

      const sent = creates.slice(0, creates.length - queue.length);
      await withClient(url, async (db) => {
        await ledger.expectStoredAsAcknowledged(db, sent);
        expect([...acknowledgedBeforeKill].filter(([key, ticket]) => ledger.acknowledged.get(key)?.id !== ticket.id)).toEqual([]);
        expect(ledger.acknowledged.size).toBe(sent.length);
        expect((await ticketNumbers(db, [store.id])).get(store.id)).toEqual(gapFree(sent.length));
      });
    } finally {
      stopLoad = true;
      await load;
    }
    await server.stop();
  }, 100_000);
});
