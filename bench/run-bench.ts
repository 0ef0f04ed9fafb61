/**
 * `npm run bench`: starts the compiled server in its own process (NODE_ENV=production, on an
 * embedded throwaway PostgreSQL with fsync on, unless BENCH_DATABASE_URL is set), drives it with
 * autocannon from this process, and measures beside each scenario its floor: the same rows written
 * or read with plain SQL through `pg`, with as many clients, for as long, in the same run. Speed is
 * reported as the ratio to that floor, with the round trips to PostgreSQL each request makes
 * (counted on the wire, one request at a time, by a second server behind a counting proxy).
 *
 * Server, PostgreSQL and load generator share one machine: compare ratios, and runs on the same
 * machine, not absolute numbers across machines.
 *
 *   BENCH_DURATION=10          seconds per scenario and per floor
 *   BENCH_ONLY=create,list     a subset (names below; `whatsapp` = wa-new,wa-reply; `store` = store-event,store-webhook; `in-process` = routing,deadlines,sweep,webhooks)
 *   BENCH_WEBHOOKS=5000        deliveries for the webhook throughput; BENCH_WEBHOOK_BACKLOG=2000 the failing store's backlog
 *   BENCH_CPU_PROF=dir         the measured server runs under `node --cpu-prof`, profile written to dir on exit
 *   BENCH_SHOW_STATEMENTS=1    print the statements of each counted request
 *   BENCH_PG_STATEMENTS=15     print, after each scenario, its 15 costliest statements in PostgreSQL (pg_stat_statements)
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, ClientBase, Pool } from 'pg';
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
import { rebuildKpiRollups } from '../src/metrics/kpi-rollup.service';
import { SlaSweepService } from '../src/sla/sla-sweep.service';
import { DEFAULT_CATEGORY_RULES, DEFAULT_PRIORITY_POLICY, decideRouting, prepareRules } from '../src/routing/routing-decision';
import { FloorWorld, listPage, newConversation, replyOnTicket, ticketDetail } from './floors';
import { postmasterPid, processCpuMs, startClusterCpu } from './cpu-time';
import { enableStatementStats, printStatementStats, resetStatementStats, STATEMENT_STATS_SETTINGS } from './postgres-cost';
import { PgRoundTripCounter } from './round-trips';
import { withClient } from '../test/test-database';
import { benchWebhooks } from './webhooks-bench';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SEED = Number(process.env.BENCH_SEED_TICKETS ?? 20_000);
const PORT = Number(process.env.BENCH_PORT ?? 3999);
const COUNTING_PORT = PORT + 2;
const SWEEP_TICKETS = Number(process.env.BENCH_SWEEP_TICKETS ?? 100_000);
const PG_STATEMENTS = Number(process.env.BENCH_PG_STATEMENTS ?? 0);
/** The bench's own cluster's postmaster, whose processes' CPU time each scenario reports (none with BENCH_DATABASE_URL). */
let postmaster: number | undefined;
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : undefined;
const BENCH_SECRETS_KEY = Buffer.alloc(32, 7).toString('base64');
const WA_APP_SECRET = 'bench-whatsapp-app-secret';
const SALLA_SECRET = 'bench-salla-webhook-secret';

const HTTP_SCENARIOS = ['create', 'rest', 'list', 'detail', 'health', 'wa-new', 'wa-reply', 'store-event', 'store-webhook', 'screen-pop'] as const;
const IN_PROCESS = ['routing', 'deadlines', 'sweep', 'webhooks'] as const;
type ScenarioKey = (typeof HTTP_SCENARIOS)[number] | (typeof IN_PROCESS)[number];
const ALIASES: Record<string, readonly ScenarioKey[]> = { whatsapp: ['wa-new', 'wa-reply'], store: ['store-event', 'store-webhook'], 'in-process': IN_PROCESS };

function selectedScenarios(): Set<ScenarioKey> {
  const all: readonly ScenarioKey[] = [...HTTP_SCENARIOS, ...IN_PROCESS];
  const only = process.env.BENCH_ONLY?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!only?.length) return new Set(all);
  const chosen = new Set<ScenarioKey>();
  for (const name of only) {
    if (ALIASES[name]) ALIASES[name].forEach((key) => chosen.add(key));
    else if ((all as readonly string[]).includes(name)) chosen.add(name as ScenarioKey);
    else throw new Error(`BENCH_ONLY: unknown scenario "${name}" (known: ${[...all, ...Object.keys(ALIASES)].join(', ')})`);
  }
  return chosen;
}

/** One request as autocannon's setupRequest and a plain fetch both take it. */
interface BenchRequest {
  path: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

/** Plain SQL doing one operation's reads or writes; `i` numbers the operations of a run. */
type FloorOperation = (client: ClientBase, i: number) => Promise<void>;

interface Target {
  ratio: number;
  p99?: number;
}

interface Scenario {
  key: (typeof HTTP_SCENARIOS)[number];
  label: string;
  next: () => BenchRequest;
  connections?: number;
  floor?: { describe: string; operation: FloorOperation };
  /** Also served by the stack's ceiling (`stack-ceiling-server.ts`): the floor's SQL behind the same HTTP and GraphQL stack. */
  ceiling?: boolean;
  target?: Target;
}

interface Measured {
  scenario: Scenario;
  rps: number;
  p50: number;
  p99: number;
  failed: number;
  floorPerSecond?: number;
  /** The stack's ceiling: requests/s of the same requests answered by the floor's SQL behind the bare stack. */
  ceilingPerSecond?: number;
  /** The ceiling server's CPU time per request: what the bare stack costs a request. */
  ceilingCpuMsPerRequest?: number;
  /** The server process's CPU time (user + system) per request: what a request costs whatever else the machine is doing. */
  cpuMsPerRequest?: number;
  /** PostgreSQL's CPU time (the postmaster and its backends) per request, and per floor operation. */
  pgCpuMsPerRequest?: number;
  floorPgCpuMsPerOperation?: number;
  /** Requests served in the measured window. */
  requests: number;
  trips?: number;
  floorTrips?: number;
}

const benchStarted = Date.now();
/** Progress on stderr, with the seconds since the start. */
const progress = (line: string) => console.error(`[${((Date.now() - benchStarted) / 1000).toFixed(0).padStart(4)} s] ${line}`);

const stopping = new WeakSet<ChildProcess>();

function spawnServer(port: number, databaseUrl: string, profileDir?: string, extraEnv: Record<string, string> = {}, entry = '../src/main.js'): ChildProcess {
  const flags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const server = spawn(process.execPath, [...flags, resolve(__dirname, entry)], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      RATE_LIMIT_PER_MINUTE: '0',
      JWT_SECRET: process.env.JWT_SECRET ?? 'bench-secret-bench-secret-bench-secret-0123',
      SECRETS_KEY: process.env.SECRETS_KEY ?? BENCH_SECRETS_KEY,
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      ...extraEnv,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  server.once('exit', (code, signal) => {
    if (!stopping.has(server)) console.error(`server on port ${port} exited unexpectedly (${signal ?? `code ${code}`})`);
  });
  return server;
}

async function stopServer(server: ChildProcess) {
  if (server.exitCode !== null) return;
  const exited = new Promise((r) => server.once('exit', r));
  stopping.add(server);
  server.kill('SIGTERM');
  await exited;
}

async function waitForHealth(server: ChildProcess, base: string) {
  for (let i = 0; i < 300; i++) {
    if (server.exitCode !== null) throw new Error('server exited during start');
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become healthy');
}

async function send(base: string, request: BenchRequest) {
  const go = () => fetch(`${base}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
  // A kept-alive connection the server closed meanwhile fails before the request is read: send it again once.
  const res = await go().catch((error: { cause?: { code?: string } }) => {
    if (error.cause?.code === 'UND_ERR_SOCKET') return go();
    throw error;
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${request.method} ${request.path}: ${res.status} ${text.slice(0, 300)}`);
  if (request.path === '/graphql' && (JSON.parse(text) as { errors?: unknown }).errors) throw new Error(`GraphQL errors: ${text.slice(0, 500)}`);
  return text;
}

async function graphql(base: string, key: string, query: string, variables?: object) {
  const text = await send(base, { path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
  return (JSON.parse(text) as { data: any }).data;
}

async function load(base: string, scenario: Scenario, serverPid?: number) {
  const cpuBefore = processCpuMs(serverPid);
  const pgCpuSpent = startClusterCpu(postmaster);
  const result = await autocannon({
    url: base,
    connections: scenario.connections ?? CONNECTIONS,
    duration: DURATION,
    requests: [{ setupRequest: (req) => ({ ...req, ...scenario.next() }) }],
  });
  const cpuAfter = processCpuMs(serverPid);
  const requests = result.requests.total;
  const perRequest = (ms: number | undefined) => (ms !== undefined && requests ? ms / requests : undefined);
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors,
    requests,
    cpuMsPerRequest: perRequest(cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined),
    pgCpuMsPerRequest: perRequest(pgCpuSpent()),
  };
}

/** The floor: `operation` on CONNECTIONS clients in a loop for DURATION seconds; operations per second, and PostgreSQL's CPU ms per operation. */
async function floorRate(databaseUrl: string, operation: FloorOperation) {
  const pool = new Pool({ connectionString: databaseUrl, max: CONNECTIONS, application_name: 'rida-bench-floor' });
  pool.on('error', () => undefined);
  let done = 0;
  const started = Date.now();
  const until = started + DURATION * 1000;
  const pgCpuSpent = startClusterCpu(postmaster);
  let pgCpuMs: number | undefined;
  try {
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        const client = await pool.connect();
        try {
          while (Date.now() < until) await operation(client, done++);
        } finally {
          client.release();
        }
      }),
    );
    pgCpuMs = pgCpuSpent(); // before the pool's backends end and take their time with them
  } finally {
    await pool.end();
  }
  return { perSecond: Math.round(done / ((Date.now() - started) / 1000)), pgCpuMsPerOperation: pgCpuMs !== undefined && done ? pgCpuMs / done : undefined };
}

/**
 * The stack's ceiling of each scenario that has one: the same requests, for as long, answered by
 * the floor's SQL behind the bare stack (`stack-ceiling-server.ts`), on the port the app used.
 */
async function measureCeilings(base: string, databaseUrl: string, world: World, measured: Measured[]) {
  const withCeiling = measured.filter((m) => m.scenario.ceiling);
  if (!withCeiling.length) return;
  const { tenantId, detailTicketId, replyTicketIds, regulars } = world;
  const env = { POOL_SIZE: String(CONNECTIONS), WA_APP_SECRET, CEILING_WORLD: JSON.stringify({ tenantId, detailTicketId, replyTicketIds, regulars }) };
  const ceiling = spawnServer(PORT, databaseUrl, undefined, env, './stack-ceiling-server.js');
  try {
    await waitForHealth(ceiling, base);
    for (const m of withCeiling) {
      progress(`${m.scenario.label}, the stack's ceiling: ${DURATION} s…`);
      await send(base, m.scenario.next()); // fails the run if the ceiling does not answer this request as the app does
      const result = await load(base, m.scenario, ceiling.pid);
      if (result.failed) throw new Error(`the stack's ceiling failed ${result.failed} requests of ${m.scenario.label}`);
      m.ceilingPerSecond = result.rps;
      m.ceilingCpuMsPerRequest = result.cpuMsPerRequest;
    }
  } finally {
    await stopServer(ceiling);
  }
}

/** The fewest round trips of three tries (a background job landing in a window only adds). */
async function fewestTrips(counter: PgRoundTripCounter, work: () => Promise<unknown>) {
  let best: { trips: number; statements: readonly string[] } | undefined;
  for (let i = 0; i < 3; i++) {
    const measured = await counter.measure(work);
    if (!best || measured.trips < best.trips) best = measured;
  }
  return best!;
}

function showStatements(label: string, statements: readonly string[]) {
  if (!process.env.BENCH_SHOW_STATEMENTS) return;
  console.log(`\n${label}: ${statements.length} round trips`);
  statements.forEach((s, i) => console.log(`  ${i + 1}. ${s.replace(/\s+/g, ' ').slice(0, 200)}`));
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
  // Created tickets take their numbers from the store's counter: start it past the seeded ones.
  await dataSource.query(
    `INSERT INTO ticket_counters (tenant_id, last_number) VALUES ($1, 100000 + $2)
     ON CONFLICT (tenant_id) DO UPDATE SET last_number = greatest(ticket_counters.last_number, 100000 + $2)`,
    [tenantId, count],
  );
  // As a store that has run for a while has them: each customer known by an address, each ticket
  // counted in the KPIs — and statistics on all of it, which the plans of hot statements, kept per
  // connection, are made from.
  await dataSource.query(
    `INSERT INTO customer_identities (tenant_id, id, customer_id, kind, value)
     SELECT tenant_id, gen_random_uuid(), id, 'EMAIL', 'customer-' || id || '@example.sa' FROM customers WHERE tenant_id = $1`,
    [tenantId],
  );
  await rebuildKpiRollups(new TenantTransactions(dataSource), tenantId);
  await dataSource.query('ANALYZE');
}

/** Deadline arithmetic in-process: a calendar with holidays and Ramadan hours, random starts and targets. */
function benchDeadlines(): { 'deadlines/s': number; sample: string } {
  const calendar: BusinessCalendar = {
    ...DEFAULT_CALENDAR,
    holidays: [{ from: '2026-09-23' }, { from: '2026-03-20', to: '2026-03-23' }, { from: '2026-05-26', to: '2026-05-30' }],
    overrides: [
      {
        from: '2026-02-18',
        to: '2026-03-18',
        hours: [
          { start: '10:00', end: '15:00' },
          { start: '21:00', end: '01:00' },
        ],
      },
    ],
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

/** What the scenarios need from the seeded store. */
interface World extends FloorWorld {
  key: string;
  webhookPath?: string;
  /** A connected Salla store's webhook path. */
  sallaPath?: string;
  /** WhatsApp numbers with an open ticket each (replies join it), as many as `replyTicketIds`. */
  regulars: string[];
}

const CREATE_QUERY = `mutation($input: CreateTicketInput!) { createTicket(input: $input) { id number } }`;
const LIST_QUERY = `{ tickets(first: 20, filter: { status: [OPEN, NEW] }) { edges { node { id number subject status priority customer { id name } } } pageInfo { endCursor } } }`;
const detailQuery = (id: string) => `{ ticket(id: "${id}") { id number subject status priority messages { id body authorType createdAt } events { type createdAt } } }`;

let sequence = 0;
/** A number no earlier request or floor operation of this run used (per prefix). */
const fresh = (prefix: string) => `${prefix}${String(10_000_000 + sequence++).padStart(8, '0')}`;

let waMessage = 0;
function whatsAppWebhook(path: string, waId: string): BenchRequest {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '1',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '966112345678', phone_number_id: '106540352242922' },
              contacts: [{ profile: { name: 'عميل' }, wa_id: waId }],
              messages: [{ from: waId, id: `wamid.bench${process.pid}x${waMessage++}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'السلام عليكم، وين طلبي؟ 📦' } }],
            },
          },
        ],
      },
    ],
  });
  return { path, method: 'POST', body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(body, WA_APP_SECRET) } };
}

/** Salla's order.created, signed with the signature strategy as Salla sends it. */
function sallaOrderWebhook(path: string, orderId: number, phone: string): BenchRequest {
  const body = JSON.stringify({
    event: 'order.created',
    merchant: 1305146709,
    created_at: new Date().toUTCString(),
    data: {
      id: orderId,
      reference_id: orderId,
      status: { id: 1, name: 'بانتظار المراجعة', slug: 'under_review' },
      payment_method: 'mada',
      amounts: { total: { amount: 250, currency: 'SAR' } },
      customer: { id: Number(phone.slice(2)), first_name: 'عميل', last_name: 'سلة', mobile: Number(phone.slice(1)), mobile_code: '+966', email: `s${phone}@example.sa` },
      items: [{ id: 1, name: 'عباية', sku: 'ABAYA-01', quantity: 1, amounts: { price_without_tax: { amount: 250, currency: 'SAR' } } }],
    },
  });
  return {
    path,
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-salla-security-strategy': 'Signature', 'x-salla-signature': createHmac('sha256', SALLA_SECRET).update(body).digest('hex') },
  };
}

/** The floor of a new conversation, the customer's number new for each operation. */
function newConversationFloor(tenantId: string, prefix: string, externalId: boolean): FloorOperation {
  return async (client) => {
    await newConversation(client, tenantId, fresh(prefix), externalId ? `wamid.floor-${randomUUID()}` : undefined);
  };
}

function defineScenarios(world: World): Scenario[] {
  const { tenantId } = world;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${world.key}` };
  // A headers object of its own per request: autocannon writes each request's content-length into the one it is given.
  const gql = (query: string, variables?: object): BenchRequest => ({ path: '/graphql', method: 'POST', headers: { ...headers }, body: JSON.stringify({ query, variables }) });
  let n = 0;
  let reply = 0;
  const scenarios: Scenario[] = [
    {
      key: 'create',
      label: 'createTicket (GraphQL, new customer)',
      next: () => gql(CREATE_QUERY, { input: { subject: 'تأخر توصيل الطلب', body: 'السلام عليكم، طلبي تأخر', channel: 'WHATSAPP', customer: { whatsapp: fresh('9665') } } }),
      floor: { describe: 'BEGIN; customer, identity, message, event, counter upsert, ticket; COMMIT', operation: newConversationFloor(tenantId, '9667', false) },
      ceiling: true,
      target: { ratio: 0.5, p99: 100 },
    },
    {
      key: 'rest',
      label: 'POST /api/v1/tickets (REST)',
      next: () => ({
        path: '/api/v1/tickets',
        method: 'POST',
        headers: { ...headers },
        body: JSON.stringify({ subject: 'سؤال', body: 'هل يتوفر المقاس؟', customer: { email: `c${n++ % 5000}@example.sa` } }),
      }),
    },
    {
      key: 'list',
      label: `tickets(first: 20) + customer, over ${SEED}+ tickets`,
      next: () => gql(LIST_QUERY),
      floor: {
        describe: 'one SELECT of the 21 rows (page + 1) joined to their customers',
        operation: async (client) => {
          await listPage(client, tenantId);
        },
      },
      ceiling: true,
      target: { ratio: 0.4, p99: 100 },
    },
    {
      key: 'detail',
      label: 'ticket(id) with messages and events',
      next: () => gql(detailQuery(world.detailTicketId)),
      floor: {
        describe: 'three SELECTs: the ticket, its messages, its events',
        operation: async (client) => {
          await ticketDetail(client, tenantId, world.detailTicketId);
        },
      },
      ceiling: true,
      target: { ratio: 0.4, p99: 100 },
    },
    { key: 'health', label: 'GET /health (database ping)', next: () => ({ path: '/health', method: 'GET' }) },
  ];
  if (world.webhookPath) {
    const path = world.webhookPath;
    scenarios.push(
      {
        key: 'wa-new',
        label: 'WhatsApp webhook: new conversation (signed)',
        next: () => whatsAppWebhook(path, fresh('9665')),
        floor: { describe: 'as createTicket, the message with its provider id', operation: newConversationFloor(tenantId, '9668', true) },
        ceiling: true,
        target: { ratio: 0.5 },
      },
      {
        key: 'wa-reply',
        label: `WhatsApp webhook: reply on an open ticket (${world.regulars.length} customers)`,
        next: () => whatsAppWebhook(path, world.regulars[reply++ % world.regulars.length]),
        floor: {
          describe: `BEGIN; message, MESSAGE_ADDED event, ticket update; COMMIT (over ${world.replyTicketIds.length} open tickets)`,
          operation: (client, i) => replyOnTicket(client, tenantId, world.replyTicketIds[i % world.replyTicketIds.length], `wamid.floor-${randomUUID()}`),
        },
        ceiling: true,
        target: { ratio: 0.5 },
      },
    );
  }
  // An order event per request, each for a new order of one of 500 customers: the generic endpoint, and the same as Salla signs it.
  let storeOrder = 0;
  const storeCustomer = () => `05${String(40_000_000 + (storeOrder % 500)).padStart(8, '0')}`;
  scenarios.push({
    key: 'store-event',
    label: 'POST /api/v1/store-events (order paid)',
    next: () =>
      ({
        path: '/api/v1/store-events',
        method: 'POST',
        headers: { ...headers },
        body: JSON.stringify({ type: 'ORDER_PAID', orderId: `bench-${process.pid}-${storeOrder++}`, customer: { phone: storeCustomer() }, totalAmount: 250, currency: 'SAR' }),
      }) as BenchRequest,
  });
  if (world.sallaPath) {
    const path = world.sallaPath;
    scenarios.push({ key: 'store-webhook', label: 'Salla webhook: order.created (signed, verified)', next: () => sallaOrderWebhook(path, 900_000_000 + storeOrder++, storeCustomer()) });
  }
  const screenPop = `{ customerByPhone(phone: "05${String(30_000_000 + 7).padStart(8, '0')}") { id name tickets(status: [NEW, OPEN]) { edges { node { id number } } } orders { externalId } } }`;
  // One agent's phone rings: the latency one request sees, not a queue of 32.
  scenarios.push({ key: 'screen-pop', label: 'customerByPhone (screen pop, 1 connection)', next: () => gql(screenPop), connections: 1 });
  return scenarios;
}

/** The detail ticket, and for the WhatsApp scenarios a connected number and 200 customers with an open ticket each. */
async function prepare(base: string, key: string, tenantId: string, databaseUrl: string, chosen: Set<ScenarioKey>): Promise<World> {
  const { createTicket } = await graphql(base, key, CREATE_QUERY, { input: { subject: 'تجربة', body: 'مرحبا', customer: { phone: '0500000001' } } });
  await graphql(base, key, LIST_QUERY);
  await graphql(base, key, detailQuery(createTicket.id));
  const world: World = { tenantId, key, detailTicketId: createTicket.id, regulars: [], replyTicketIds: [] };
  if (chosen.has('store-webhook')) {
    const { connectStorePlatform } = await graphql(
      base,
      key,
      `
        mutation ($input: ConnectStorePlatformInput!) {
          connectStorePlatform(input: $input) {
            webhookUrl
          }
        }
      `,
      {
        input: { platform: 'SALLA', accountId: '1305146709', webhookSecret: SALLA_SECRET },
      },
    );
    world.sallaPath = new URL(connectStorePlatform.webhookUrl as string).pathname;
  }
  if (chosen.has('wa-new') || chosen.has('wa-reply') || chosen.has('screen-pop')) {
    const { connectWhatsApp } = await graphql(
      base,
      key,
      `
        mutation ($input: ConnectWhatsAppInput!) {
          connectWhatsApp(input: $input) {
            id
            webhookPath
          }
        }
      `,
      {
        input: { phoneNumberId: '106540352242922', displayPhoneNumber: '+966 11 234 5678', accessToken: 'bench-access-token', appSecret: WA_APP_SECRET, verifyToken: 'bench-verify-token' },
      },
    );
    world.webhookPath = connectWhatsApp.webhookPath as string;
    world.regulars = Array.from({ length: 200 }, (_, i) => `9665${String(30_000_000 + i).padStart(8, '0')}`);
    progress('WhatsApp: 200 customers with an open ticket each…');
    for (const waId of world.regulars) await send(base, whatsAppWebhook(world.webhookPath, waId));
    const { rows } = await withClient(databaseUrl, (client) =>
      client.query<{ id: string }>(`SELECT id FROM tickets WHERE tenant_id = $1 AND status IN ('NEW', 'OPEN') AND number > 100000 ORDER BY created_at DESC LIMIT $2`, [
        tenantId,
        world.regulars.length,
      ]),
    );
    world.replyTicketIds = rows.map((r) => r.id);
  }
  return world;
}

/**
 * Round trips per request, counted on the wire: a server whose pool sits behind a counting proxy
 * serves one request of each scenario at a time (fewest of three); the floors' operations go
 * through the same proxy. Done before the load, on a server of its own, so the measured server
 * runs without the proxy.
 */
async function countRoundTrips(base: string, counter: PgRoundTripCounter, scenarios: Scenario[]) {
  const counted = new Map<Scenario, { trips: number; floorTrips?: number }>();
  const floorClient = new Client({ connectionString: counter.url, application_name: 'rida' });
  await floorClient.connect();
  try {
    for (const scenario of scenarios) {
      progress(`  ${scenario.label}`);
      await send(base, scenario.next());
      const app = await fewestTrips(counter, () => send(base, scenario.next()));
      showStatements(scenario.label, app.statements);
      const floor = scenario.floor;
      let floorTrips: number | undefined;
      if (floor) {
        const raw = await fewestTrips(counter, () => floor.operation(floorClient, sequence++));
        floorTrips = raw.trips;
        showStatements(`floor of ${scenario.label}`, raw.statements);
      }
      counted.set(scenario, { trips: app.trips, floorTrips });
    }
  } finally {
    await floorClient.end().catch(() => undefined);
  }
  return counted;
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

function tableRows(measured: Measured[]) {
  return measured.map((m) => {
    const { floorPerSecond: floor, scenario } = m;
    const ratio = floor ? m.rps / floor : undefined;
    const target = scenario.target;
    const met = target && ratio !== undefined ? ratio >= target.ratio && (target.p99 === undefined || m.p99 <= target.p99) : undefined;
    return {
      scenario: scenario.label,
      'req/s': m.rps,
      'p50 ms': fmt(m.p50),
      'p99 ms': fmt(m.p99),
      'floor/s': floor ?? '',
      ratio: ratio === undefined ? '' : ratio.toFixed(2),
      'ceiling/s': m.ceilingPerSecond ?? '',
      'ceiling ÷ floor': m.ceilingPerSecond && floor ? (m.ceilingPerSecond / floor).toFixed(2) : '',
      'app ÷ ceiling': m.ceilingPerSecond ? (m.rps / m.ceilingPerSecond).toFixed(2) : '',
      target: target ? `≥ ${target.ratio.toFixed(2)}${target.p99 ? `, p99 ≤ ${target.p99} ms` : ''}` : '',
      met: met === undefined ? '' : met ? '✓' : '✗',
      'stmts/op': m.trips ?? '',
      'floor stmts/op': m.floorTrips ?? '',
      'server CPU ms/req': m.cpuMsPerRequest === undefined ? '' : m.cpuMsPerRequest.toFixed(2),
      'ceiling CPU ms/req': m.ceilingCpuMsPerRequest === undefined ? '' : m.ceilingCpuMsPerRequest.toFixed(2),
      'PG CPU ms/req': m.pgCpuMsPerRequest === undefined ? '' : m.pgCpuMsPerRequest.toFixed(2),
      'floor PG CPU ms/op': m.floorPgCpuMsPerOperation === undefined ? '' : m.floorPgCpuMsPerOperation.toFixed(2),
      failed: m.failed,
    };
  });
}

function printResults(measured: Measured[], fsyncOn: boolean) {
  const rows = tableRows(measured);
  console.log(
    `\nRida benchmark — ${CONNECTIONS} connections, ${DURATION} s per scenario and per floor, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}` +
      `, PostgreSQL ${fsyncOn ? 'with fsync on' : 'at BENCH_DATABASE_URL'}; server, PostgreSQL and load generator on this machine\n`,
  );
  console.table(rows);
  console.log('ratio = req/s ÷ floor/s, the floor being the same rows in plain SQL through `pg` (32 clients, same run, owner role: no row-level security).');
  console.log(
    "ceiling/s = the same requests answered by the floor's SQL behind the bare stack (NestJS on Fastify, Apollo, `pg`; no auth, tenancy, validation or domain work): ceiling ÷ floor is the highest ratio this stack reaches on this machine.",
  );
  console.log('stmts/op = round trips to PostgreSQL per request, counted on the wire one request at a time (fewest of three).');
  console.log("server CPU ms/req = the server process's user + system CPU time during the scenario ÷ its requests (steadier than req/s on a busy machine).");
  console.log("PG CPU ms/req = the same of PostgreSQL's processes (postmaster and backends; the bench's own cluster only); floor PG CPU ms/op, of the floor's operations.");
  for (const m of measured) if (m.scenario.floor) console.log(`  floor of ${m.scenario.label}: ${m.scenario.floor.describe}`);
  // The same table in Markdown, for docs/performance.md and the README.
  const columns = Object.keys(rows[0]) as (keyof (typeof rows)[number])[];
  console.log(`\n| ${columns.join(' | ')} |\n|${columns.map(() => '---').join('|')}|`);
  for (const row of rows) console.log(`| ${columns.map((c) => String(row[c])).join(' | ')} |`);
}

async function main() {
  const chosen = selectedScenarios();
  let databaseUrl = process.env.BENCH_DATABASE_URL;
  const fsyncOn = !databaseUrl;
  let cleanup = async () => undefined as void;
  if (!databaseUrl) {
    const dir = makeThrowawayDir('rida-bench-');
    // Not ephemeral: fsync, synchronous_commit and full_page_writes stay on, as in production.
    const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), port: PORT + 1, settings: PG_STATEMENTS ? STATEMENT_STATS_SETTINGS : undefined });
    databaseUrl = pg.url;
    postmaster = postmasterPid(join(dir, 'data'));
    cleanup = async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  try {
    await runMigrations(databaseUrl, APP_SCHEMA);
    if (PG_STATEMENTS) await enableStatementStats(databaseUrl);
    const dataSource = await new DataSource(typeormOptions(databaseUrl, APP_SCHEMA, 2)).initialize();
    const auth = new AuthService(new AllStores(dataSource), new TenantTransactions(dataSource));
    const tenant = await auth.createTenant({ name: 'متجر القياس', slug: `bench-${Date.now()}` });
    const { key } = await auth.createApiKey(tenant.id, 'admin', 'bench');
    progress(`Seeding ${SEED} tickets…`);
    await seed(dataSource, tenant.id, SEED);
    await dataSource.destroy();

    if (HTTP_SCENARIOS.some((k) => chosen.has(k))) {
      // First the counting server: it also prepares what the scenarios need.
      progress('Counting round trips per request…');
      const counter = await PgRoundTripCounter.start(databaseUrl, 'rida');
      const countingBase = `http://127.0.0.1:${COUNTING_PORT}`;
      const countingServer = spawnServer(COUNTING_PORT, counter.url, undefined, { SLA_SWEEP_INTERVAL_SECONDS: '0' });
      let scenarios: Scenario[];
      let world: World;
      let counted: Map<Scenario, { trips: number; floorTrips?: number }>;
      try {
        await waitForHealth(countingServer, countingBase);
        world = await prepare(countingBase, key, tenant.id, databaseUrl, chosen);
        scenarios = defineScenarios(world).filter((s) => chosen.has(s.key));
        counted = await countRoundTrips(countingBase, counter, scenarios);
      } finally {
        await stopServer(countingServer);
        await counter.close();
      }

      const base = `http://127.0.0.1:${PORT}`;
      if (CPU_PROF_DIR) mkdirSync(CPU_PROF_DIR, { recursive: true });
      const server = spawnServer(PORT, databaseUrl, CPU_PROF_DIR);
      const measured: Measured[] = [];
      try {
        await waitForHealth(server, base);
        for (const scenario of scenarios) {
          progress(`${scenario.label}: ${DURATION} s…`);
          if (PG_STATEMENTS) await resetStatementStats(databaseUrl);
          const m: Measured = { scenario, ...(await load(base, scenario, server.pid)), ...counted.get(scenario) };
          if (PG_STATEMENTS) await printStatementStats(databaseUrl, scenario.label, m.requests, PG_STATEMENTS);
          if (scenario.floor) {
            progress(`  its floor: ${DURATION} s…`);
            const floor = await floorRate(databaseUrl, scenario.floor.operation);
            m.floorPerSecond = floor.perSecond;
            m.floorPgCpuMsPerOperation = floor.pgCpuMsPerOperation;
          }
          measured.push(m);
        }
      } finally {
        await stopServer(server);
      }
      await measureCeilings(base, databaseUrl, world, measured);
      if (CPU_PROF_DIR)
        console.log(
          `CPU profile of the measured server: ${readdirSync(CPU_PROF_DIR)
            .filter((f) => f.endsWith('.cpuprofile'))
            .map((f) => join(CPU_PROF_DIR, f))
            .join(', ')}`,
        );
      printResults(measured, fsyncOn);
      if (measured.some((m) => m.failed > 0)) process.exitCode = 1;
    }

    if (chosen.has('routing')) {
      console.log('\nRouting decisions (in-process, Arabic texts, 20 000 decisions):');
      console.table([benchRouting()]);
    }
    if (chosen.has('deadlines')) {
      console.log('SLA deadline arithmetic (in-process, 20 000 deadlines):');
      console.table([benchDeadlines()]);
    }
    if (chosen.has('sweep')) {
      console.log(`SLA sweep (default interval 10 s; a breach is noticed at most interval + sweep time late):`);
      console.table([await benchSweep(databaseUrl)]);
    }
    if (chosen.has('webhooks')) {
      progress('Webhook deliveries…');
      const { throughput, fairness, config } = await benchWebhooks(databaseUrl, BENCH_SECRETS_KEY);
      console.log(`Webhook deliveries per instance (receiver on 127.0.0.1 answering 200 at once; WEBHOOK_CONCURRENCY ${config.concurrency}, ${config.perStore} per store):`);
      console.table([throughput]);
      console.log("Fairness: store B's new delivery while store A has a backlog to a bad receiver (B's delivery committed elsewhere: found at the next 0.5 s poll):");
      console.table(fairness);
    }
  } finally {
    await cleanup();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
