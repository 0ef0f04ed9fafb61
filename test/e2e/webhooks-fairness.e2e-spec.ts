import { DataSource } from 'typeorm';
import { until } from './helpers/live';
import { arabicTicket, CREATE_TICKET, TestApp, TestTenant } from './helpers/test-app';
import { WebhookReceiver } from './helpers/webhook-receiver';

const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`;
const ENDPOINTS_PER_STORE = 4;
const BACKLOG_TICKETS = 75; // × 4 endpoints: 300 deliveries

describe('outbound webhooks are fair between stores', () => {
  let t: TestApp;
  let busy: TestTenant;
  let quiet: TestTenant;
  let hanging: WebhookReceiver;
  let prompt: WebhookReceiver;

  beforeAll(async () => {
    // Receivers get 2 s; a failed attempt is retried a minute later (after this test).
    t = await TestApp.start({ WEBHOOK_TIMEOUT_SECONDS: '2', WEBHOOK_RETRY_BASE_MS: '60000' });
    busy = await t.createTenant();
    quiet = await t.createTenant('متجر هادئ');
    hanging = await WebhookReceiver.start();
    hanging.delayMs = 2500; // past the time-out: every attempt holds its sender for the whole 2 s
    prompt = await WebhookReceiver.start();
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await hanging.stop();
    await prompt.stop();
  });

  it("delivers a store's new event within seconds while another store has hundreds of deliveries to a receiver that hangs", async () => {
    for (let i = 0; i < ENDPOINTS_PER_STORE; i++) await t.gqlOk(busy.key, CREATE, { input: { url: hanging.url, events: ['CREATED'] } });
    await t.gqlOk(quiet.key, CREATE, { input: { url: prompt.url, events: ['CREATED'] } });
    for (let n = 0; n < BACKLOG_TICKETS; n += 5) {
      await Promise.all([0, 1, 2, 3, 4].map((i) => t.gqlOk(busy.key, CREATE_TICKET, { input: arabicTicket(100 + n + i) })));
    }
    const ds = t.app.get(DataSource);
    const pending = async (tenantId: string) => (await ds.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE tenant_id = $1 AND status = 'PENDING' AND attempts = 0`, [tenantId]))[0].n;
    const sending = async (tenantId: string) =>
      (await ds.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE tenant_id = $1 AND status = 'PENDING' AND next_attempt_at > now()`, [tenantId]))[0].n;
    // The busy store's receiver is holding attempts, and most of its backlog is still waiting.
    for (const end = Date.now() + 5000; (await sending(busy.id)) === 0 && Date.now() < end;) await new Promise((r) => setTimeout(r, 20));
    expect(await sending(busy.id)).toBeGreaterThan(0);
    expect(await pending(busy.id)).toBeGreaterThan(200);

    const started = Date.now();
    const ticket = (await t.gqlOk(quiet.key, CREATE_TICKET, { input: arabicTicket(1) })).createTicket;
    await until(() => prompt.accepted.length === 1, 20_000);
    const waited = Date.now() - started;

    expect(prompt.accepted.map((r) => [r.json.type, r.json.ticket.id])).toEqual([['CREATED', ticket.id]]);
    expect(waited).toBeLessThan(5000);
    // The busy store's backlog was still there: the quiet store was not simply served after it.
    expect(await pending(busy.id)).toBeGreaterThan(150);
  }, 90_000);
});
