import { createClient, Client } from 'graphql-ws';
import WebSocket from 'ws';
import { SlaSweepService } from '../../src/sla/sla-sweep.service';
import { arabicTicket, CREATE_TICKET, openAllWeek, TestApp, TestTenant } from './helpers/test-app';

const ALERTS = `subscription { slaAlerts { kind ticketId ticketNumber target dueAt at } }`;

describe('slaAlerts subscription (graphql-ws)', () => {
  let t: TestApp;
  let store: TestTenant;
  let other: TestTenant;
  let url: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    t = await TestApp.start();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `ws://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}/graphql`;
    store = await t.createTenant();
    other = await t.createTenant('متجر آخر');
    await openAllWeek(t, store.key);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t.close();
  });

  function subscribe(authorization?: string) {
    const client = createClient({ url, webSocketImpl: WebSocket, connectionParams: authorization ? { authorization: `Bearer ${authorization}` } : {}, retryAttempts: 0 });
    clients.push(client);
    const received: any[] = [];
    const errors: any[] = [];
    client.subscribe({ query: ALERTS }, { next: (m) => (m.errors ? errors.push(...m.errors) : received.push(m.data?.slaAlerts)), error: (e) => errors.push(e), complete: () => undefined });
    return { received, errors };
  }
  const until = async (check: () => boolean, ms = 3000) => {
    for (const end = Date.now() + ms; !check() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
  };

  it("delivers its store's warnings and breaches after the sweep, and nothing of another store", async () => {
    const mine = subscribe(store.key);
    const theirs = subscribe(other.key);
    await new Promise((r) => setTimeout(r, 300)); // let both subscriptions start
    const ticket = (await t.gqlOk(store.key, CREATE_TICKET, { input: { ...arabicTicket(1), channel: 'CHAT' } })).createTicket;
    const later = (minutes: number) => new Date(new Date(ticket.createdAt).getTime() + minutes * 60_000);
    await t.app.get(SlaSweepService).sweepOnce(later(4.5));
    await t.app.get(SlaSweepService).sweepOnce(later(6));
    await until(() => mine.received.length >= 2);
    expect(mine.errors).toEqual([]);
    expect(mine.received.map((a) => [a.kind, a.target, a.ticketId, a.ticketNumber])).toEqual([
      ['WARNING', 'FIRST_RESPONSE', ticket.id, ticket.number],
      ['BREACHED', 'FIRST_RESPONSE', ticket.id, ticket.number],
    ]);
    expect(theirs.received).toEqual([]);
  });

  it('refuses a subscription without a valid credential', async () => {
    const anonymous = subscribe(undefined);
    await until(() => anonymous.errors.length > 0);
    expect(JSON.stringify(anonymous.errors)).toMatch(/UNAUTHENTICATED|Credentials are required/);
    const reporting = subscribe(await t.createKey(store.id, 'reporting'));
    await until(() => reporting.errors.length > 0);
    expect(JSON.stringify(reporting.errors)).toMatch(/FORBIDDEN|may not do this/);
  });
});
