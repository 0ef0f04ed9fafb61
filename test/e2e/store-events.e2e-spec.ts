import { DataSource } from 'typeorm';
import { StoreEventsService } from '../../src/channels/store-events/store-events.service';
import { eventually, TestApp, TestTenant } from './helpers/test-app';

const RECORD = `mutation($input: StoreEventInput!) {
  recordStoreEvent(input: $input) {
    duplicate
    order { id externalId status totalAmount currency items paidAt deliveredAt }
    customer { id tier tierSource lifetimeValue orderCount }
    automations { id kind status runAt ticketId note }
  }
}`;
const CUSTOMER = `query($id: ID!) { customer(id: $id) { tier tierSource lifetimeValue orderCount orders { externalId status automations { kind status ticketId } } } }`;
const TICKETS = `query($c: ID!) { tickets(filter: { customerId: $c }) { edges { node { id subject status category priority tags channel orderRef order { externalId status expectedDeliveryAt }
  messages { authorType internal body } } } } }`;
const SET_TIER = `mutation($c: ID!, $tier: CustomerTier) { setCustomerTier(customerId: $c, tier: $tier) { tier tierSource } }`;

const customer = { phone: '0501234567', name: 'نورة القحطاني' };
const HOUR = 3_600_000;

describe('store events', () => {
  let t: TestApp;
  let store: TestTenant;
  let other: TestTenant;

  beforeAll(async () => {
    t = await TestApp.start();
    store = await t.createTenant();
    other = await t.createTenant('متجر آخر');
  });
  afterAll(() => t?.close());

  const emailTicketsCreated = async () => Number(/^rida_tickets_created_total\{channel="EMAIL"\} (\d+)$/m.exec((await t.http.get('/metrics')).text)?.[1] ?? 0);
  const record = async (input: Record<string, unknown>, key = store.key) => (await t.gqlOk(key, RECORD, { input: { customer, ...input } })).recordStoreEvent;

  it('takes order events over REST once per event id, and keeps lifetime value and order count', async () => {
    const body = { type: 'ORDER_PAID', eventId: 'evt-1001', orderId: '1001', customer, totalAmount: 700, items: [{ productId: 'SKU-1', name: 'عباية سوداء', quantity: 2, price: 350 }] };
    const first = await t.http.post('/api/v1/store-events').set('authorization', `Bearer ${store.key}`).send(body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      duplicate: false,
      order: { externalId: '1001', status: 'PAID', totalAmount: 700, currency: 'SAR' },
      customer: { lifetimeValue: 700, orderCount: 1, tier: 'STANDARD' },
    });
    const again = await t.http.post('/api/v1/store-events').set('authorization', `Bearer ${store.key}`).send(body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, customer: { lifetimeValue: 700, orderCount: 1 } });

    const bad = await t.http.post('/api/v1/store-events').set('authorization', `Bearer ${store.key}`).send({ type: 'ORDER_LOST', orderId: '', customer });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields)).toEqual(expect.arrayContaining(['type', 'orderId']));
  });

  it('raises the tier by the store rules, unless the integrator set it by hand', async () => {
    const paid = await record({ type: 'ORDER_PAID', orderId: '1002', totalAmount: 400 });
    expect(paid.customer).toMatchObject({ lifetimeValue: 1100, orderCount: 2, tier: 'BRONZE', tierSource: 'RULES' });

    expect((await t.gqlOk(store.key, SET_TIER, { c: paid.customer.id, tier: 'VIP' })).setCustomerTier).toEqual({ tier: 'VIP', tierSource: 'MANUAL' });
    expect((await record({ type: 'ORDER_PAID', orderId: '1003', totalAmount: 10 })).customer).toMatchObject({ tier: 'VIP', orderCount: 3 });
    expect((await t.gqlOk(store.key, SET_TIER, { c: paid.customer.id, tier: null })).setCustomerTier).toEqual({ tier: 'BRONZE', tierSource: 'RULES' });

    const foreign = await t.gql(other.key, SET_TIER, { c: paid.customer.id, tier: 'VIP' });
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it("moves the customer's open tickets to the SLA policy of their new tier", async () => {
    const TICKET_SLA = `query($id: ID!) { ticket(id: $id) { sla { policyName } } }`;
    const open = (
      await t.gqlOk(store.key, `mutation($input: CreateTicketInput!) { createTicket(input: $input) { id customer { id } } }`, {
        input: { subject: 'استفسار', body: 'متى يصل طلبي؟', channel: 'EMAIL', customer: { email: 'rising@example.sa' } },
      })
    ).createTicket;
    const before = (await t.gqlOk(store.key, TICKET_SLA, { id: open.id })).ticket.sla.policyName;
    expect(before).not.toMatch(/VIP/);
    await t.gqlOk(store.key, SET_TIER, { c: open.customer.id, tier: 'VIP' });
    expect((await t.gqlOk(store.key, TICKET_SLA, { id: open.id })).ticket.sla.policyName).toMatch(/VIP/);
    await t.gqlOk(store.key, SET_TIER, { c: open.customer.id, tier: null }); // back to the rules: STANDARD
    expect((await t.gqlOk(store.key, TICKET_SLA, { id: open.id })).ticket.sla.policyName).toBe(before);
  });

  it('schedules a follow-up and a survey after delivery, and cancels them when the order is returned', async () => {
    const deliveredAt = new Date(Math.floor(Date.now() / 1000) * 1000 - HOUR); // an hour ago: both still ahead
    const delivered = await record({ type: 'ORDER_DELIVERED', orderId: '1004', totalAmount: 250, occurredAt: deliveredAt.toISOString() });
    expect(delivered.order).toMatchObject({ status: 'DELIVERED', paidAt: deliveredAt.toISOString() }); // cash on delivery counts as paid
    expect(delivered.customer.lifetimeValue).toBe(1360);
    expect(delivered.automations.map((a: any) => [a.kind, a.status, a.runAt])).toEqual([
      ['DELIVERY_FOLLOW_UP', 'SCHEDULED', new Date(deliveredAt.getTime() + 48 * HOUR).toISOString()],
      ['DELIVERY_CSAT', 'SCHEDULED', new Date(deliveredAt.getTime() + 7 * 24 * HOUR).toISOString()],
    ]);
    // A repeated delivery event (another id) schedules nothing more.
    expect((await record({ type: 'ORDER_DELIVERED', orderId: '1004', occurredAt: new Date(deliveredAt.getTime() + HOUR).toISOString() })).automations).toHaveLength(2);

    const returned = await record({ type: 'ORDER_RETURNED', orderId: '1004' });
    expect(returned.automations.map((a: any) => [a.kind, a.status, a.note])).toEqual([
      ['DELIVERY_FOLLOW_UP', 'CANCELLED', 'Order returned'],
      ['DELIVERY_CSAT', 'CANCELLED', 'Order returned'],
    ]);
    expect(returned.customer).toMatchObject({ lifetimeValue: 1110, orderCount: 3 });
    const foreign = await t.gql(other.key, `mutation($id: ID!) { cancelAutomation(id: $id) { id } }`, { id: returned.automations[0].id });
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('a backdated delivery skips, with the reason, what is past due by more than the grace period; the survey never goes before the follow-up', async () => {
    const now = Math.floor(Date.now() / 1000) * 1000;
    // Reported three days late: the 48-hour follow-up fell due a day ago and is skipped; the survey keeps its day.
    const threeDays = await record({ type: 'ORDER_DELIVERED', orderId: '1101', customer: { email: 'late1@example.sa' }, occurredAt: new Date(now - 72 * HOUR).toISOString() });
    expect(threeDays.automations.map((a: any) => [a.kind, a.status, a.runAt])).toEqual([
      ['DELIVERY_FOLLOW_UP', 'SKIPPED', new Date(now - 24 * HOUR).toISOString()],
      ['DELIVERY_CSAT', 'SCHEDULED', new Date(now + 4 * 24 * HOUR).toISOString()],
    ]);
    expect(threeDays.automations[0].note).toBe(`Skipped: due ${new Date(now - 24 * HOUR).toISOString()}, already 24 h past when the event arrived (more than the 12 h grace)`);
    // Ten days late: both skipped, nothing sent in the same second.
    const tenDays = await record({ type: 'ORDER_DELIVERED', orderId: '1102', customer: { email: 'late2@example.sa' }, occurredAt: new Date(now - 240 * HOUR).toISOString() });
    expect(tenDays.automations.map((a: any) => a.status)).toEqual(['SKIPPED', 'SKIPPED']);
    // Fifty hours late: the follow-up is two hours past, within the grace: it runs, once, at once.
    const fiftyHours = await record({ type: 'ORDER_DELIVERED', orderId: '1103', customer: { email: 'late3@example.sa' }, occurredAt: new Date(now - 50 * HOUR).toISOString() });
    expect(fiftyHours.automations.map((a: any) => a.status)).toEqual(['SCHEDULED', 'SCHEDULED']);
    const ds = t.app.get(DataSource);
    await eventually(async () => (await ds.query(`SELECT 1 FROM scheduled_automations WHERE id = $1 AND status = 'DONE'`, [fiftyHours.automations[0].id]))[0], 15_000);

    // The survey's job comes first (as with a store whose follow-up is set later than its survey): it waits for the follow-up.
    const service = t.app.get(StoreEventsService);
    const recent = await record({ type: 'ORDER_DELIVERED', orderId: '1104', customer: { email: 'late4@example.sa' }, occurredAt: new Date(now - HOUR).toISOString() });
    const [followUp, survey] = recent.automations;
    await service.runAutomation({ tenantId: store.id, automationId: survey.id });
    const [waiting] = await ds.query(`SELECT status, run_at FROM scheduled_automations WHERE id = $1`, [survey.id]);
    expect(waiting.status).toBe('SCHEDULED');
    expect(new Date(waiting.run_at).toISOString()).toBe(new Date(now + 48 * HOUR).toISOString());
    await service.runAutomation({ tenantId: store.id, automationId: followUp.id });
    await service.runAutomation({ tenantId: store.id, automationId: survey.id });
    const statuses = await ds.query(`SELECT kind, status FROM scheduled_automations WHERE order_id = (SELECT order_id FROM scheduled_automations WHERE id = $1) ORDER BY kind`, [survey.id]);
    expect(statuses).toEqual([
      { kind: 'DELIVERY_CSAT', status: 'DONE' },
      { kind: 'DELIVERY_FOLLOW_UP', status: 'DONE' },
    ]);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM tickets WHERE tenant_id = $1 AND order_ref IN ('1101', '1102')`, [store.id]);
    expect(n).toBe(0);
  });

  it('opens a proactive ticket and messages the customer as soon as a shipment is delayed', async () => {
    const createdBefore = await emailTicketsCreated();
    const delayed = await record({
      type: 'ORDER_DELAYED',
      orderId: '1005',
      customer: { email: 'reem@example.sa', name: 'ريم' },
      expectedDeliveryAt: '2026-11-28T15:00:00Z',
    });
    const ticket = await eventually(async () => {
      const edges = (await t.gqlOk(store.key, TICKETS, { c: delayed.customer.id })).tickets.edges;
      return edges[0]?.node;
    }, 15_000);
    expect(ticket).toMatchObject({
      subject: 'تأخر شحنة الطلب رقم 1005',
      status: 'PENDING',
      category: 'SHIPPING',
      priority: 'HIGH',
      tags: ['proactive', 'shipment-delay'],
      channel: 'EMAIL',
      orderRef: '1005',
      order: { externalId: '1005', status: 'DELAYED', expectedDeliveryAt: '2026-11-28T15:00:00.000Z' },
    });
    expect(ticket.messages).toHaveLength(1);
    expect(ticket.messages[0]).toMatchObject({ authorType: 'SYSTEM', internal: false });
    expect(ticket.messages[0].body).toContain('مرحباً ريم، نعتذر منك: شحنة طلبك رقم 1005 تأخرت');
    expect(ticket.messages[0].body).toContain('28 نوفمبر 2026'); // in the store's time zone, Gregorian, Arabic month name
    const after = (await t.gqlOk(store.key, CUSTOMER, { id: delayed.customer.id })).customer;
    expect(after.orders[0].automations).toEqual([{ kind: 'DELAY_NOTICE', status: 'DONE', ticketId: ticket.id }]);
    // The store opened it: it counts among the tickets created.
    expect(await emailTicketsCreated()).toBe(createdBefore + 1);
  });

  it('tells the customer again on the same conversation when the order is delayed to another date, once per date', async () => {
    const reem = { email: 'reem@example.sa', name: 'ريم' };
    const again = await record({ type: 'ORDER_DELAYED', orderId: '1005', customer: reem, expectedDeliveryAt: '2026-12-02T15:00:00Z', occurredAt: '2026-11-26T08:00:00Z' });
    expect(again.automations.map((a: any) => a.kind)).toEqual(['DELAY_NOTICE', 'DELAY_NOTICE']);
    const ticket = await eventually(async () => {
      const node = (await t.gqlOk(store.key, TICKETS, { c: again.customer.id })).tickets.edges[0]?.node;
      return node?.messages.length === 2 ? node : undefined;
    }, 15_000);
    expect((await t.gqlOk(store.key, TICKETS, { c: again.customer.id })).tickets.edges).toHaveLength(1); // no second ticket
    expect(ticket.messages[1]).toMatchObject({ authorType: 'SYSTEM', internal: false });
    expect(ticket.messages[1].body).toContain('ديسمبر 2026');
    // The same delay reported once more (another event id) sets nothing new in motion.
    const repeated = await record({ type: 'ORDER_DELAYED', orderId: '1005', customer: reem, expectedDeliveryAt: '2026-12-02T15:00:00Z', occurredAt: '2026-11-26T09:00:00Z' });
    expect(repeated.automations).toHaveLength(2);
  });

  it('sets nothing in motion for events that arrive after the order moved on', async () => {
    const someone = { email: 'late@example.sa', name: 'سارة' };
    await record({ type: 'ORDER_DELIVERED', orderId: '1006', customer: someone, totalAmount: 90 });
    const lateDelay = await record({ type: 'ORDER_DELAYED', orderId: '1006', customer: someone, expectedDeliveryAt: '2026-12-01T12:00:00Z' });
    expect(lateDelay.order.status).toBe('DELIVERED');
    expect(lateDelay.automations.map((a: any) => a.kind)).toEqual(['DELIVERY_FOLLOW_UP', 'DELIVERY_CSAT']);

    await record({ type: 'ORDER_RETURNED', orderId: '1007', customer: someone, totalAmount: 120 });
    const lateDelivery = await record({ type: 'ORDER_DELIVERED', orderId: '1007', customer: someone, occurredAt: '2026-11-01T10:00:00Z' });
    expect(lateDelivery.order.status).toBe('RETURNED');
    expect(lateDelivery.automations).toEqual([]);
  });

  it('sends nothing when a cancel commits while the automation is about to run', async () => {
    const someone = { email: 'cancel@example.sa', name: 'منى' };
    const { automations } = await record({ type: 'ORDER_DELIVERED', orderId: '1011', customer: someone, totalAmount: 60 });
    const followUp = automations.find((a: any) => a.kind === 'DELIVERY_FOLLOW_UP');
    const ds = t.app.get(DataSource);
    const cancelling = ds.createQueryRunner();
    await cancelling.connect();
    await cancelling.startTransaction();
    await cancelling.query(`SELECT 1 FROM scheduled_automations WHERE id = $1 FOR UPDATE`, [followUp.id]);
    const run = t.app.get(StoreEventsService).runAutomation({ tenantId: store.id, automationId: followUp.id });
    await new Promise((r) => setTimeout(r, 500)); // it has read the automation as SCHEDULED and waits for the row
    await cancelling.query(`UPDATE scheduled_automations SET status = 'CANCELLED', note = 'Cancelled by hand' WHERE id = $1`, [followUp.id]);
    await cancelling.commitTransaction();
    await cancelling.release();
    await run;
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM tickets WHERE tenant_id = $1 AND order_ref = '1011'`, [store.id]);
    expect(n).toBe(0);
  });

  it('lets an admin change the automations and the tier rules, re-tiering customers at once', async () => {
    const SETTINGS = `{ followUpAfterDeliveryHours csatAfterDeliveryDays delayNotices followUpMessage tierRules { tier minLifetimeValue minOrders } }`;
    const defaults = (await t.gqlOk(store.key, `query { storeSettings ${SETTINGS} }`)).storeSettings;
    expect(defaults).toMatchObject({ followUpAfterDeliveryHours: 48, csatAfterDeliveryDays: 7, delayNotices: true });
    expect(defaults.tierRules.map((r: any) => r.tier)).toEqual(['BRONZE', 'SILVER', 'GOLD', 'VIP']);

    const buyer = (await record({ type: 'ORDER_PAID', orderId: '1008', customer: { email: 'buyer@example.sa' }, totalAmount: 2000 })).customer;
    const manual = (await record({ type: 'ORDER_PAID', orderId: '1009', customer: { email: 'manual@example.sa' }, totalAmount: 2000 })).customer;
    await t.gqlOk(store.key, SET_TIER, { c: manual.id, tier: 'GOLD' });
    expect(buyer.tier).toBe('BRONZE');

    const UPDATE = `mutation($input: UpdateStoreSettingsInput!) { updateStoreSettings(input: $input) ${SETTINGS} }`;
    const input = {
      followUpAfterDeliveryHours: null,
      followUpMessage: 'أهلاً {{customer.name}}، وصل طلبك {{order.id}}؟',
      tierRules: [
        { tier: 'SILVER', minLifetimeValue: 1500 },
        { tier: 'VIP', minOrders: 50 },
      ],
    };
    const updated = (await t.gqlOk(store.key, UPDATE, { input })).updateStoreSettings;
    expect(updated).toMatchObject({ followUpAfterDeliveryHours: null, csatAfterDeliveryDays: 7, followUpMessage: input.followUpMessage });
    expect(updated.tierRules).toEqual([
      { tier: 'SILVER', minLifetimeValue: 1500, minOrders: null },
      { tier: 'VIP', minLifetimeValue: null, minOrders: 50 },
    ]);
    expect((await t.gqlOk(store.key, CUSTOMER, { id: buyer.id })).customer).toMatchObject({ tier: 'SILVER', tierSource: 'RULES' });
    expect((await t.gqlOk(store.key, CUSTOMER, { id: manual.id })).customer).toMatchObject({ tier: 'GOLD', tierSource: 'MANUAL' });

    // With the follow-up off, a delivery schedules the survey only.
    expect((await record({ type: 'ORDER_DELIVERED', orderId: '1010', customer: { email: 'buyer@example.sa' } })).automations.map((a: any) => a.kind)).toEqual(['DELIVERY_CSAT']);

    const bad = await t.gql(store.key, UPDATE, { input: { csatMessage: 'قيّمنا يا {{customer.first_name}}', tierRules: [{ tier: 'GOLD' }], followUpMessage: null } });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const refused = JSON.stringify(bad.errors?.[0].extensions);
    expect(refused).toContain('followUpMessage');
    const semantic = await t.gql(store.key, UPDATE, { input: { csatMessage: 'قيّمنا يا {{customer.first_name}}', tierRules: [{ tier: 'GOLD' }] } });
    expect(semantic.errors?.[0].extensions.fields).toEqual({
      csatMessage: ['unknown placeholder {{customer.first_name}}; allowed: {{customer.name}}, {{order.id}}, {{survey.link}}'],
      tierRules: ['the GOLD rule needs minLifetimeValue or minOrders'],
    });
    const agent = await t.createKey(store.id, 'agent');
    expect((await t.gql(agent, UPDATE, { input: { delayNotices: false } })).errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await t.gqlOk(other.key, `query { storeSettings { followUpAfterDeliveryHours } }`)).storeSettings.followUpAfterDeliveryHours).toBe(48);
  });

  it('counts lifetime value in the store currency only, and recounts every customer when it changes', async () => {
    const who = { email: 'gulf@example.sa' };
    await record({ type: 'ORDER_PAID', orderId: '2001', customer: who, totalAmount: 2000 });
    const mixed = (await record({ type: 'ORDER_PAID', orderId: '2002', customer: who, totalAmount: 500, currency: 'AED' })).customer;
    expect(mixed).toMatchObject({ lifetimeValue: 2000, orderCount: 1, tier: 'SILVER' }); // the rules of the previous test: SILVER from 1 500
    const UPDATE = `mutation($input: UpdateStoreSettingsInput!) { updateStoreSettings(input: $input) { currency } }`;
    expect((await t.gqlOk(store.key, UPDATE, { input: { currency: 'AED' } })).updateStoreSettings.currency).toBe('AED');
    expect((await t.gqlOk(store.key, CUSTOMER, { id: mixed.id })).customer).toMatchObject({ lifetimeValue: 500, orderCount: 1, tier: 'STANDARD' });
    expect((await t.gql(store.key, UPDATE, { input: { currency: 'riyal' } })).errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    await t.gqlOk(store.key, UPDATE, { input: { currency: 'SAR' } });
    expect((await t.gqlOk(store.key, CUSTOMER, { id: mixed.id })).customer).toMatchObject({ lifetimeValue: 2000, orderCount: 1, tier: 'SILVER' });
  });
});

describe('store automations survive a restart and run once across instances', () => {
  it('sends the follow-up due while no instance was running, exactly once', async () => {
    const first = await TestApp.start();
    const store = await first.createTenant();
    const delivered = new Date(Date.now() - 48 * HOUR + 3000); // the follow-up falls due in 3 s
    const result = (
      await first.gqlOk(store.key, RECORD, {
        input: { type: 'ORDER_DELIVERED', orderId: '2001', customer: { email: 'fahad@example.sa', name: 'فهد' }, occurredAt: delivered.toISOString() },
      })
    ).recordStoreEvent;
    await first.close(); // before it is due

    await new Promise((r) => setTimeout(r, 3500));
    const [b, c] = [await TestApp.start({}, undefined, first.databaseUrl), await TestApp.start({}, undefined, first.databaseUrl)];
    try {
      const followUp = await eventually(async () => {
        const orders = (await b.gqlOk(store.key, CUSTOMER, { id: result.customer.id })).customer.orders;
        return orders[0].automations.find((a: any) => a.kind === 'DELIVERY_FOLLOW_UP' && a.status === 'DONE');
      }, 20_000);
      await new Promise((r) => setTimeout(r, 2500)); // room for a second run, were there one
      const tickets = (await c.gqlOk(store.key, TICKETS, { c: result.customer.id })).tickets.edges.map((e: any) => e.node);
      expect(tickets).toHaveLength(1);
      expect(tickets[0]).toMatchObject({ id: followUp.ticketId, subject: 'متابعة بعد توصيل الطلب رقم 2001', tags: ['proactive', 'delivery-follow-up'] });
      expect(tickets[0].messages[0].body).toMatch(/^مرحباً فهد 👋 وصلك طلبك رقم 2001/);
    } finally {
      await Promise.all([b.close(), c.close()]);
    }
  });
});
