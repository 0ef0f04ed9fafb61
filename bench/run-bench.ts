/**
 * `npm run bench`: starts the compiled server in its own process (NODE_ENV=production, on an
 * embedded throwaway PostgreSQL unless BENCH_DATABASE_URL is set), then drives it with autocannon
 * from this process and prints a table. Numbers on a 2-core machine share the cores with
 * PostgreSQL and the load generator: compare runs on the same machine, not across machines.
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { APP_SCHEMA } from '../src/app-schema';
import { AllStores } from '../src/common/database/all-stores';
import { TenantTransactions } from '../src/common/database/tenant-transactions';
import { AuthService } from '../src/auth/auth.service';
import { metaSignature } from '../src/channels/messaging/platform-signatures';
import { makeThrowawayDir, startEmbeddedPostgres } from '../src/common/database/embedded-postgres';
import { runMigrations, typeormOptions } from '../src/common/database/typeorm-options';
import { loadConfig } from '../src/common/config/app-config';
import type { RequestContext } from '../src/common/request-context';
import { createApp } from '../src/create-app';
import { addBusinessTime, BusinessCalendar, DEFAULT_CALENDAR } from '../src/sla/business-hours';
import { SlaSettingsService } from '../src/sla/sla-settings.service';
import { SlaSweepService } from '../src/sla/sla-sweep.service';
import { DEFAULT_CATEGORY_RULES, DEFAULT_PRIORITY_POLICY, decideRouting, prepareRules } from '../src/routing/routing-decision';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SEED = Number(process.env.BENCH_SEED_TICKETS ?? 20_000);
const PORT = Number(process.env.BENCH_PORT ?? 3999);
const SWEEP_TICKETS = Number(process.env.BENCH_SWEEP_TICKETS ?? 100_000);
const BASE = `http://127.0.0.1:${PORT}`;
const BENCH_SECRETS_KEY = Buffer.alloc(32, 7).toString('base64');

interface Row {
  scenario: string;
  'req/s': number;
  'p50 ms': number;
  'p90 ms': number;
  'p99 ms': number;
  'non-2xx': number;
  errors: number;
}

async function waitForHealth(server: ChildProcess) {
  for (let i = 0; i < 200; i++) {
    if (server.exitCode !== null) throw new Error('server exited during start');
    try {
      if ((await fetch(`${BASE}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become healthy');
}

async function graphql(key: string, query: string, variables?: object) {
  const res = await fetch(`${BASE}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown[] };
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

async function run(scenario: string, options: autocannon.Options): Promise<Row> {
  const result = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...options });
  return {
    scenario,
    'req/s': Math.round(result.requests.average),
    'p50 ms': result.latency.p50,
    'p90 ms': result.latency.p90,
    'p99 ms': result.latency.p99,
    'non-2xx': result.non2xx,
    errors: result.errors,
  };
}

/** Bulk-inserts tickets with SQL so list queries run over a realistic table. */
async function seed(dataSource: DataSource, tenantId: string, count: number) {
  await dataSource.query(
    `WITH c AS (
       INSERT INTO customers (tenant_id, id, name) SELECT $1, gen_random_uuid(), 'عميل ' || g FROM generate_series(1, $2) g RETURNING id
     ), numbered AS (SELECT id, row_number() OVER () AS n FROM c)
     INSERT INTO tickets (tenant_id, id, number, subject, status, priority, category, channel, customer_id, tags, created_at, updated_at, message_count)
     SELECT $1, gen_random_uuid(), 100000 + n, 'تأخر الطلب رقم ' || n,
            (ARRAY['NEW','OPEN','PENDING','SOLVED'])[1 + n % 4], n % 4,
            (ARRAY['PAYMENT','SHIPPING','TECHNICAL','RETURNS','GENERAL'])[1 + n % 5],
            (ARRAY['WHATSAPP','EMAIL','CHAT','INSTAGRAM'])[1 + n % 4], id,
            CASE WHEN n % 10 = 0 THEN ARRAY['vip'] ELSE ARRAY['شحن'] END,
            now() - (n || ' minutes')::interval, now() - (n || ' minutes')::interval, 1
       FROM numbered`,
    [tenantId, count],
  );
  await dataSource.query(
    `INSERT INTO messages (tenant_id, id, ticket_id, author_type, body, channel, created_at)
     SELECT tenant_id, gen_random_uuid(), id, 'CUSTOMER', 'السلام عليكم، متى يصل طلبي؟', channel, created_at FROM tickets WHERE tenant_id = $1`,
    [tenantId],
  );
  await dataSource.query('ANALYZE');
}

/** Deadline arithmetic in-process: a calendar with holidays and Ramadan hours, random starts and targets. */
function benchDeadlines(): { 'deadlines/s': number; sample: string } {
  const calendar: BusinessCalendar = {
    ...DEFAULT_CALENDAR,
    holidays: [{ from: '2026-09-23' }, { from: '2026-03-20', to: '2026-03-23' }, { from: '2026-05-26', to: '2026-05-30' }],
    overrides: [{ from: '2026-02-18', to: '2026-03-18', hours: [{ start: '10:00', end: '15:00' }, { start: '21:00', end: '01:00' }] }],
  };
  const targets = [15 * 60, 3600, 4 * 3600, 8 * 3600, 24 * 3600];
  const base = Date.UTC(2026, 0, 1);
  const count = 20_000;
  const started = process.hrtime.bigint();
  let last = new Date();
  for (let i = 0; i < count; i++) last = addBusinessTime(new Date(base + ((i * 7_919_993) % (360 * 86_400_000))), targets[i % targets.length], calendar);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { 'deadlines/s': Math.round(count / seconds), sample: last.toISOString() };
}

/** Routing decisions in-process with 500 rules (the seeded ones last, so most texts walk them all). */
function benchRouting(): { rules: number; 'decisions/s': number } {
  const filler = Array.from({ length: 495 }, (_, i) => ({ id: `r${i}`, name: `rule ${i}`, position: i, category: 'PRODUCT', phrases: [`منتج خاص ${i}`, `كود ${i}x`, `sku-${i}-special`] }));
  const rules = [...filler, ...DEFAULT_CATEGORY_RULES.map((r, i) => ({ ...r, id: `d${i}`, position: 1000 + r.position }))];
  const prepared = prepareRules(rules, DEFAULT_PRIORITY_POLICY);
  const texts = ['السلام عليكم، طلبي رقم 4521 تأخر أسبوع عن موعد التوصيل', 'دفعت بالبطاقة وانخصم المبلغ مرتين، عاجل', 'التطبيق يطلع لي خطأ', 'أبغى أستبدل المقاس', 'شكراً لكم'];
  const count = 20_000;
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) decideRouting({ subject: 'استفسار', body: texts[i % texts.length], channel: 'WHATSAPP', tier: 'STANDARD' }, prepared, DEFAULT_PRIORITY_POLICY, [], null);
  return { rules: rules.length, 'decisions/s': Math.round(count / (Number(process.hrtime.bigint() - started) / 1e9)) };
}

/** A sweep over many open tickets with 1% due: how long it takes, hence how late a breach can be noticed. */
async function benchSweep(databaseUrl: string) {
  const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'warn', JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123', SECRETS_KEY: BENCH_SECRETS_KEY, SLA_SWEEP_INTERVAL_SECONDS: '0' });
  const app = await createApp({ config, databaseUrl });
  await app.init();
  try {
    const dataSource = app.get(DataSource);
    const tenant = await new AuthService(new AllStores(dataSource), new TenantTransactions(dataSource)).createTenant({ name: 'متجر المسح', slug: `sweep-${Date.now()}` });
    const ctx: RequestContext = { tenantId: tenant.id, tenantTimezone: 'Asia/Riyadh', tenantCountry: 'SA', role: 'admin', scopes: [], actor: { type: 'SYSTEM', id: null } };
    const [policy] = await app.get(SlaSettingsService).policies(ctx);
    console.log(`Seeding ${SWEEP_TICKETS} open tickets with running SLA clocks (1% due)…`);
    await dataSource.query(
      `WITH c AS (INSERT INTO customers (tenant_id, id) SELECT $1, gen_random_uuid() FROM generate_series(1, $2) RETURNING id),
            numbered AS (SELECT id, row_number() OVER () AS n FROM c),
            timed AS (SELECT id, n, CASE WHEN n % 100 = 0 THEN now() - interval '1 minute' ELSE now() + (n || ' seconds')::interval END AS due FROM numbered)
       INSERT INTO tickets (tenant_id, id, number, subject, status, priority, category, channel, customer_id, created_at, updated_at, message_count,
                            sla, sla_next_check_at, sla_due_at, sla_health)
       SELECT $1, gen_random_uuid(), 900000 + n, 'تذكرة', 'OPEN', 1, 'GENERAL', 'CHAT', id, now(), now(), 1,
              jsonb_build_object('policyId', $3::text, 'pausedAt', null, 'targets', jsonb_build_object('FIRST_RESPONSE', jsonb_build_object(
                'status', 'ACTIVE', 'clock', 'CALENDAR', 'dueAt', to_char(due AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'warnAt', to_char(due AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'warned', true, 'breachedAt', null, 'metAt', null))),
              due, due, 'AT_RISK'
         FROM timed`,
      [tenant.id, SWEEP_TICKETS, policy.id],
    );
    await dataSource.query('ANALYZE tickets');
    const started = process.hrtime.bigint();
    const totals = await app.get(SlaSweepService).sweepOnce();
    const sweepMs = Number(process.hrtime.bigint() - started) / 1e6;
    const idleStarted = process.hrtime.bigint();
    await app.get(SlaSweepService).sweepOnce();
    const idleMs = Number(process.hrtime.bigint() - idleStarted) / 1e6;
    return {
      'open tickets': SWEEP_TICKETS,
      'due (breached)': totals.breached,
      'sweep ms': Math.round(sweepMs),
      'sweep with nothing due ms': Math.round(idleMs),
      'latest notice s': Number((config.SLA_SWEEP_INTERVAL_SECONDS || 10) + sweepMs / 1000).toFixed(1),
    };
  } finally {
    await app.close();
  }
}

const WA_APP_SECRET = 'bench-whatsapp-app-secret';

/**
 * Signed WhatsApp Cloud API webhooks as Meta sends them: one text message each, from new numbers
 * (a customer and ticket created, routed, given an SLA) and from 200 customers with open tickets
 * (a message joined to the conversation); then the screen pop.
 */
async function benchWhatsApp(key: string, headers: Record<string, string>): Promise<Row[]> {
  const { connectWhatsApp: channel } = await graphql(
    key,
    `mutation($input: ConnectWhatsAppInput!) { connectWhatsApp(input: $input) { id webhookPath } }`,
    { input: { phoneNumberId: '106540352242922', displayPhoneNumber: '+966 11 234 5678', accessToken: 'bench-access-token', appSecret: WA_APP_SECRET, verifyToken: 'bench-verify-token' } },
  );
  let n = 0;
  const webhook = (waId: string) => {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '966112345678', phone_number_id: '106540352242922' },
        contacts: [{ profile: { name: 'عميل' }, wa_id: waId }],
        messages: [{ from: waId, id: `wamid.bench${process.pid}x${n++}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'السلام عليكم، وين طلبي؟ 📦' } }] } }] }],
    });
    return { body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(body, WA_APP_SECRET) } };
  };
  const url = `${BASE}${channel.webhookPath}`;
  const rows: Row[] = [];
  rows.push(await run('WhatsApp webhook: new conversations (signed)', { url, method: 'POST', requests: [{ setupRequest: (req) => ({ ...req, ...webhook(`96650${String(n).padStart(7, '0')}`) }) }] }));
  const regulars = Array.from({ length: 200 }, (_, i) => `9665${String(30_000_000 + i).padStart(8, '0')}`);
  for (const waId of regulars) await fetch(url, { method: 'POST', ...webhook(waId) });
  rows.push(await run('WhatsApp webhook: replies on open tickets', { url, method: 'POST', requests: [{ setupRequest: (req) => ({ ...req, ...webhook(regulars[n % regulars.length]) }) }] }));
  const screenPop = JSON.stringify({ query: `{ customerByPhone(phone: "05${String(30_000_000 + 7).padStart(8, '0')}") { id name tickets(status: [NEW, OPEN]) { edges { node { id number } } } orders { externalId } } }` });
  // One agent's phone rings: the latency one request sees, not a queue of 32.
  rows.push(await run('customerByPhone (screen pop, 1 connection)', { connections: 1, url: `${BASE}/graphql`, method: 'POST', headers, body: screenPop }));
  return rows;
}

/** The rows those webhooks write, inserted directly: customer, identity, ticket and message (new), or message and ticket update (reply). */
async function rawSqlWrites(databaseUrl: string, tenantId: string) {
  const pool = new Pool({ connectionString: databaseUrl, max: CONNECTIONS });
  pool.on('error', () => undefined); // idle clients closed by a stopping server
  const seconds = Math.min(DURATION, 5);
  let number = 900_000_000;
  const measure = async (write: (client: PoolClient, i: number) => Promise<void>) => {
    let done = 0;
    const until = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        const client = await pool.connect();
        try {
          while (Date.now() < until) {
            await client.query('BEGIN');
            await write(client, done++);
            await client.query('COMMIT');
          }
        } finally {
          client.release();
        }
      }),
    );
    return Math.round(done / seconds);
  };
  const newWrites = await measure(async (client, i) => {
    const customer = randomUUID();
    const ticket = randomUUID();
    await client.query(`INSERT INTO customers (tenant_id, id, name) VALUES ($1, $2, 'عميل')`, [tenantId, customer]);
    await client.query(`INSERT INTO customer_identities (tenant_id, id, customer_id, kind, value) VALUES ($1, $2, $3, 'PHONE', $4)`, [tenantId, randomUUID(), customer, `+9665${process.pid}${i}`]);
    await client.query(
      `INSERT INTO tickets (tenant_id, id, number, subject, channel, category, priority, customer_id, status) VALUES ($1, $2, $3, 'وين طلبي؟', 'WHATSAPP', 'SHIPPING', 1, $4, 'NEW')`,
      [tenantId, ticket, number++, customer],
    );
    await client.query(`INSERT INTO messages (tenant_id, id, ticket_id, author_type, body, channel, external_id) VALUES ($1, $2, $3, 'CUSTOMER', 'وين طلبي؟', 'WHATSAPP', $4)`, [tenantId, randomUUID(), ticket, `raw-${process.pid}-${i}`]);
  });
  const [{ id: ticketId }] = (await pool.query(`SELECT id FROM tickets WHERE tenant_id = $1 AND channel = 'WHATSAPP' LIMIT 1`, [tenantId])).rows;
  const replyWrites = await measure(async (client, i) => {
    await client.query(`INSERT INTO messages (tenant_id, id, ticket_id, author_type, body, channel, external_id) VALUES ($1, $2, $3, 'CUSTOMER', 'شكراً', 'WHATSAPP', $4)`, [tenantId, randomUUID(), ticketId, `raw-reply-${process.pid}-${i}`]);
    await client.query(`UPDATE tickets SET message_count = message_count + 1, updated_at = now() WHERE tenant_id = $1 AND id = $2`, [tenantId, ticketId]);
  });
  await pool.end();
  return [
    { writes: 'new conversation (4 inserts)', 'transactions/s': newWrites },
    { writes: 'reply (1 insert, 1 update of the same ticket)', 'transactions/s': replyWrites },
  ];
}

async function main() {
  let databaseUrl = process.env.BENCH_DATABASE_URL;
  let cleanup = async () => undefined as void;
  if (!databaseUrl) {
    const dir = makeThrowawayDir('rida-bench-');
    const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), port: PORT + 1, ephemeral: true });
    databaseUrl = pg.url;
    cleanup = async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  await runMigrations(databaseUrl, APP_SCHEMA);
  const dataSource = await new DataSource(typeormOptions(databaseUrl, APP_SCHEMA, 2)).initialize();
  const auth = new AuthService(new AllStores(dataSource), new TenantTransactions(dataSource));
  const tenant = await auth.createTenant({ name: 'متجر القياس', slug: `bench-${Date.now()}` });
  const { key } = await auth.createApiKey(tenant.id, 'admin', 'bench');
  console.log(`Seeding ${SEED} tickets…`);
  await seed(dataSource, tenant.id, SEED);
  await dataSource.destroy();

  const server = spawn(process.execPath, [resolve(__dirname, '../src/main.js')], {
    env: { ...process.env, NODE_ENV: 'production', RATE_LIMIT_PER_MINUTE: '0', JWT_SECRET: process.env.JWT_SECRET ?? 'bench-secret-bench-secret-bench-secret-0123', SECRETS_KEY: process.env.SECRETS_KEY ?? BENCH_SECRETS_KEY, LOG_LEVEL: 'warn', DATABASE_URL: databaseUrl, PORT: String(PORT), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitForHealth(server);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
    const createQuery = `mutation($input: CreateTicketInput!) { createTicket(input: $input) { id number } }`;
    const listQuery = `{ tickets(first: 20, filter: { status: [OPEN, NEW] }) { edges { node { id number subject status priority customer { id name } } } pageInfo { endCursor } } }`;
    const { createTicket } = await graphql(key, createQuery, {
      input: { subject: 'تجربة', body: 'مرحبا', customer: { phone: '0500000001' } },
    });
    await graphql(key, listQuery);
    const detailQuery = `{ ticket(id: "${createTicket.id}") { id subject customer { name identities { kind value } } messages { body authorType } events { type } } }`;
    await graphql(key, detailQuery);

    let n = 0;
    const createBody = () =>
      JSON.stringify({
        query: createQuery,
        variables: { input: { subject: 'تأخر توصيل الطلب', body: 'السلام عليكم، طلبي تأخر', channel: 'WHATSAPP', customer: { whatsapp: `9665${String(10_000_000 + (n++ % 5000)).padStart(8, '0')}` } } },
      });

    const rows: Row[] = [];
    rows.push(await run('createTicket (GraphQL mutation)', { url: `${BASE}/graphql`, method: 'POST', headers, requests: [{ setupRequest: (req) => ({ ...req, body: createBody() }) }] }));
    rows.push(
      await run('POST /api/v1/tickets (REST)', {
        url: `${BASE}/api/v1/tickets`,
        method: 'POST',
        headers,
        requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ subject: 'سؤال', body: 'هل يتوفر المقاس؟', customer: { email: `c${n++ % 5000}@example.sa` } }) }) }],
      }),
    );
    rows.push(await run(`tickets(first: 20) + customer, over ${SEED}+ tickets`, { url: `${BASE}/graphql`, method: 'POST', headers, body: JSON.stringify({ query: listQuery }) }));
    rows.push(await run('ticket(id) with messages and events', { url: `${BASE}/graphql`, method: 'POST', headers, body: JSON.stringify({ query: detailQuery }) }));
    rows.push(await run('GET /health (database ping)', { url: `${BASE}/health` }));
    rows.push(...(await benchWhatsApp(key, headers)));

    console.log(`\nRida benchmark — ${CONNECTIONS} connections, ${DURATION}s per scenario, Node ${process.version}\n`);
    console.table(rows);
    if (rows.some((r) => r['non-2xx'] > 0 || r.errors > 0)) process.exitCode = 1;
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  try {
    console.log('\nRouting decisions (in-process, Arabic texts, 20 000 decisions):');
    console.table([benchRouting()]);
    console.log('SLA deadline arithmetic (in-process, 20 000 deadlines):');
    console.table([benchDeadlines()]);
    console.log(`SLA sweep (default interval 10 s; a breach is noticed at most interval + sweep time late):`);
    console.table([await benchSweep(databaseUrl)]);
    console.log(`Baseline: the same writes as the WhatsApp webhook scenarios in raw SQL (${CONNECTIONS} connections, no routing, SLA, events or checks):`);
    console.table(await rawSqlWrites(databaseUrl, tenant.id));
  } finally {
    await cleanup();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
