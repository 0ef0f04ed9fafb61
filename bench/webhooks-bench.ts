import { createServer, Server } from 'node:http';
import { DataSource } from 'typeorm';
import { AuthService } from '../src/auth/auth.service';
import { WebhooksService } from '../src/channels/webhooks/webhooks.service';
import { loadConfig } from '../src/common/config/app-config';
import { AllStores } from '../src/common/database/all-stores';
import { TenantTransactions } from '../src/common/database/tenant-transactions';
import type { RequestContext } from '../src/common/request-context';
import { createApp } from '../src/create-app';
import { TicketEventType } from '../src/tickets/ticket-enums';

const DELIVERIES = Number(process.env.BENCH_WEBHOOKS ?? 5000);
const BACKLOG = Number(process.env.BENCH_WEBHOOK_BACKLOG ?? 2000);
const SAMPLES = 5;

/** A receiver on 127.0.0.1 that answers `status` after `delayMs()`; counts what it answered. */
async function receiver(status: number, delayMs: () => number): Promise<{ url: string; answered: () => number; seen: Map<string, number>; server: Server }> {
  let answered = 0;
  const seen = new Map<string, number>();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.set(String(req.headers['rida-event-id']), Date.now());
      setTimeout(() => {
        answered++;
        res.writeHead(status).end();
      }, delayMs());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks`, answered: () => answered, seen, server };
}

/** `count` pending deliveries of one store, each of its own ticket, due now (as a burst of committed ticket events leaves them). */
async function enqueue(dataSource: DataSource, tenantId: string, endpointId: string, count: number): Promise<string[]> {
  const rows: Array<{ event_id: string }> = await dataSource.query(
    `INSERT INTO webhook_deliveries (tenant_id, id, endpoint_id, event_id, event_type, ticket_id, payload, status, attempts, next_attempt_at)
     SELECT $1, gen_random_uuid(), $2, e, 'CREATED', gen_random_uuid(), jsonb_build_object('id', e, 'type', 'CREATED', 'ticket', jsonb_build_object('subject', 'تأخر توصيل الطلب')), 'PENDING', 0, now()
       FROM (SELECT gen_random_uuid() AS e FROM generate_series(1, $3)) events
     RETURNING event_id`,
    [tenantId, endpointId, count],
  );
  return rows.map((r) => r.event_id);
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number) {
  for (const end = Date.now() + timeoutMs; !(await check()) && Date.now() < end;) await new Promise((r) => setTimeout(r, 5));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Outbound webhooks on one instance: deliveries/s to a receiver that answers 200 at once, and how
 * long a store's new delivery waits while another store has a backlog to a receiver that answers
 * slowly (1–2 s) or fails at once. The new deliveries are written by SQL, as another instance's
 * commit would leave them: this instance finds them at its next poll.
 */
export async function benchWebhooks(databaseUrl: string, secretsKey: string) {
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    SECRETS_KEY: secretsKey,
    SLA_SWEEP_INTERVAL_SECONDS: '0',
    ALLOW_PRIVATE_NETWORK_TARGETS: 'true',
  });
  const app = await createApp({ config, databaseUrl });
  await app.init();
  const servers: Server[] = [];
  try {
    const dataSource = app.get(DataSource);
    const auth = new AuthService(new AllStores(dataSource), new TenantTransactions(dataSource));
    const store = async (name: string) => {
      const tenant = await auth.createTenant({ name, slug: `webhooks-${name}-${Date.now()}` });
      const ctx: RequestContext = { tenantId: tenant.id, tenantTimezone: 'Asia/Riyadh', tenantCountry: 'SA', role: 'admin', scopes: [], actor: { type: 'SYSTEM', id: null } };
      return { tenantId: tenant.id, subscribe: async (url: string) => (await app.get(WebhooksService).create(ctx, { url, events: [TicketEventType.CREATED] })).endpoint.id };
    };
    const delivered = async (tenantId: string) =>
      (await dataSource.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE tenant_id = $1 AND status = 'DELIVERED'`, [tenantId]))[0].n as number;

    // Throughput: one store, a receiver answering 200 at once.
    const fast = await receiver(200, () => 0);
    servers.push(fast.server);
    const throughputStore = await store('throughput');
    const fastEndpoint = await throughputStore.subscribe(fast.url);
    const started = Date.now();
    await enqueue(dataSource, throughputStore.tenantId, fastEndpoint, DELIVERIES);
    await until(async () => fast.answered() >= DELIVERIES && (await delivered(throughputStore.tenantId)) >= DELIVERIES, 600_000);
    const seconds = (Date.now() - started) / 1000;
    const throughput = { deliveries: DELIVERIES, seconds: Number(seconds.toFixed(1)), 'deliveries/s': Math.round(DELIVERIES / seconds) };

    // Fairness: store A's backlog to a slow, then a failing receiver; store B's new delivery waits how long?
    const fairness = [];
    for (const [kind, status, delay] of [
      ['slow (1–2 s)', 200, () => 1000 + Math.random() * 1000],
      ['failing (503 at once)', 503, () => 0],
    ] as const) {
      const bad = await receiver(status, delay);
      const good = await receiver(200, () => 0);
      servers.push(bad.server, good.server);
      const a = await store(`a${fairness.length}`);
      const b = await store(`b${fairness.length}`);
      await enqueue(dataSource, a.tenantId, await a.subscribe(bad.url), BACKLOG);
      const bEndpoint = await b.subscribe(good.url);
      await new Promise((r) => setTimeout(r, 3000)); // A's share is busy
      const waits: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const sent = Date.now();
        const [eventId] = await enqueue(dataSource, b.tenantId, bEndpoint, 1);
        await until(() => good.seen.has(eventId), 60_000);
        waits.push((good.seen.get(eventId) ?? Date.now()) - sent);
        await new Promise((r) => setTimeout(r, 300 + Math.random() * 400));
      }
      const aLeft: number = (await dataSource.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE tenant_id = $1 AND status = 'PENDING' AND attempts = 0`, [a.tenantId]))[0].n;
      fairness.push({
        "store A's receiver": kind,
        "A's backlog": BACKLOG,
        'A not yet attempted': aLeft,
        "B's wait median ms": median(waits),
        "B's wait max ms": Math.max(...waits),
      });
    }
    return { throughput, fairness, config: { concurrency: config.WEBHOOK_CONCURRENCY, perStore: config.WEBHOOK_CONCURRENCY_PER_STORE } };
  } finally {
    await app.close();
    for (const server of servers) server.closeAllConnections();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}
