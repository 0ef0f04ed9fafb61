import { SlaSweepService } from '../../src/sla/sla-sweep.service';
import { listenForSockets, LiveSubscription, subscribe, until } from './helpers/live';
import { arabicTicket, CREATE_TICKET, openAllWeek, TestApp, TestTenant } from './helpers/test-app';

const ALERTS = `subscription { slaAlerts { kind ticketId ticketNumber target dueAt at } }`;

describe('slaAlerts subscription (graphql-ws)', () => {
  let t: TestApp;
  let store: TestTenant;
  let other: TestTenant;
  let url: string;
  const live: LiveSubscription<any>[] = [];

  beforeAll(async () => {
    t = await TestApp.start();
    url = await listenForSockets(t);
    store = await t.createTenant();
    other = await t.createTenant('متجر آخر');
    await openAllWeek(t, store.key);
  });
  afterAll(async () => {
    await Promise.all(live.map((s) => s.client.dispose()));
    await t.close();
  });

  const watch = (credential?: string) => {
    const s = subscribe(url, credential, ALERTS);
    live.push(s);
    return s;
  };

  it("delivers its store's warnings and breaches after the sweep, and nothing of another store", async () => {
    const mine = watch(store.key);
    const theirs = watch(other.key);
    await Promise.all([mine.ready, theirs.ready]);
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
    const anonymous = watch(undefined);
    await until(() => anonymous.errors.length > 0);
    expect(JSON.stringify(anonymous.errors)).toMatch(/UNAUTHENTICATED|Credentials are required/);
    const reporting = watch(await t.createKey(store.id, 'reporting'));
    await until(() => reporting.errors.length > 0);
    expect(JSON.stringify(reporting.errors)).toMatch(/FORBIDDEN|may not do this/);
  });
});
