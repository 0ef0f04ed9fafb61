import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { FakeStoreApis } from '../fakes/store-platform-apis';
import { shopifyHmac, shopifyWebhooks } from './helpers/shopify-library';
import { eventuallyPasses, TestApp, TestTenant } from './helpers/test-app';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SALLA_SECRET = 'salla-webhook-secret-1';
const SHOPIFY_SECRET = 'shopify-client-secret-1';
const SHOP = 'rose-store.myshopify.com';

const CONNECT = `mutation($input: ConnectStorePlatformInput!) { connectStorePlatform(input: $input) {
  webhookUrl basicAuthUsername basicAuthPassword connection { id platform name accountId active hasApiToken webhookUrl } } }`;
const CUSTOMER = `query($phone: String!) { customerByPhone(phone: $phone) { id name tier lifetimeValue orderCount identities { kind value }
  orders { externalId status totalAmount currency placedAt paidAt shippedAt deliveredAt expectedDeliveryAt items automations { kind status runAt ticketId } } } }`;
const DELIVERIES = `query($id: ID!) { storePlatformDeliveries(connectionId: $id) { totalCount edges { node { topic outcome note orderExternalId redeliveries deliveryKey } } } }`;
const COUNTS = `{ storePlatformConnections { id platform deliveryCounts { recorded ignored redeliveries } } }`;
const SYNC = `mutation($id: ID!, $days: Int!) { syncStorePlatform(id: $id, input: { days: $days }) { orders recorded pages } }`;

function fixture(platform: string, name: string): any {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'store-platforms', platform, `${name}.json`), 'utf8'));
}

/** Salla's created_at: "Thu Nov 19 2026 10:15:04 GMT+0300" (here in UTC). */
const sallaTime = (at: Date) => at.toUTCString().replace(/^(\w{3}), (\d{2}) (\w{3}) (\d{4}) (\S+) GMT$/, '$1 $3 $2 $4 $5 GMT+0000');
/** Zid's zone-less wall clock in the store's zone (Asia/Riyadh, UTC+3). */
const zidTime = (at: Date) => new Date(at.getTime() + 3 * HOUR).toISOString().slice(0, 19).replace('T', ' ');

describe('store platforms: Salla, Zid and Shopify webhooks', () => {
  let t: TestApp;
  let fake: FakeStoreApis;
  let store: TestTenant;
  let db: DataSource;
  const shopify = shopifyWebhooks(SHOPIFY_SECRET);
  const connections: Record<string, { id: string; path: string; username?: string; password?: string }> = {};

  beforeAll(async () => {
    fake = await FakeStoreApis.start();
    t = await TestApp.start({ SALLA_API_BASE_URL: `${fake.baseUrl}/salla`, ZID_API_BASE_URL: `${fake.baseUrl}/zid`, SHOPIFY_API_BASE_URL: `${fake.baseUrl}/shopify` });
    db = t.app.get(DataSource);
    store = await t.createTenant('متجر الورد', { timezone: 'Asia/Riyadh', country: 'SA' });
    // A low first tier, so one order crosses it.
    await t.gqlOk(store.key, `mutation { updateStoreSettings(input: { tierRules: [{ tier: BRONZE, minLifetimeValue: 500 }, { tier: GOLD, minLifetimeValue: 50000 }] }) { currency } }`);
    for (const [platform, input] of Object.entries({
      SALLA: { platform: 'SALLA', accountId: '1305146709', webhookSecret: SALLA_SECRET, apiToken: fake.tokens.salla },
      ZID: { platform: 'ZID', accountId: '104233', apiToken: fake.tokens.zid },
      SHOPIFY: { platform: 'SHOPIFY', accountId: SHOP, webhookSecret: SHOPIFY_SECRET, apiToken: fake.tokens.shopify },
    })) {
      const connected = (await t.gqlOk(store.key, CONNECT, { input })).connectStorePlatform;
      connections[platform] = { id: connected.connection.id, path: new URL(connected.webhookUrl).pathname, username: connected.basicAuthUsername, password: connected.basicAuthPassword };
    }
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  const salla = (payload: unknown, { secret = SALLA_SECRET, strategy = 'Signature' }: { secret?: string | null; strategy?: string } = {}) => {
    const raw = JSON.stringify(payload);
    const req = t.http.post(connections.SALLA.path).set('content-type', 'application/json').set('x-salla-security-strategy', strategy);
    if (secret) req.set('x-salla-signature', createHmac('sha256', secret).update(raw).digest('hex'));
    return req.send(raw);
  };
  const zid = (payload: unknown, event?: string, credentials: string | null = `${connections.ZID.username}:${connections.ZID.password}`) => {
    const req = t.http.post(`${connections.ZID.path}${event ? `?event=${event}` : ''}`).set('content-type', 'application/json');
    if (credentials) req.set('authorization', `Basic ${Buffer.from(credentials).toString('base64')}`);
    return req.send(JSON.stringify(payload));
  };
  let shopifyDelivery = 0;
  /** Signed as Shopify signs (its library's HMAC), checked by its library's validator, then sent. */
  const shopifyPost = async (
    topic: string,
    payload: unknown,
    { secret = SHOPIFY_SECRET, shop = SHOP, webhookId = `b54557e4-bdd9-4b37-8a5f-bf7d70bc${String(++shopifyDelivery).padStart(4, '0')}` } = {},
  ) => {
    const raw = JSON.stringify(payload);
    const headers = {
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-hmac-sha256': shopifyHmac(raw, secret),
      'x-shopify-shop-domain': shop,
      'x-shopify-api-version': '2025-01',
      'x-shopify-webhook-id': webhookId,
      'x-shopify-event-id': `evt-${webhookId}`,
      'x-shopify-triggered-at': new Date().toISOString(),
    };
    const checked = await shopify.validate({ rawBody: raw, rawRequest: { headers, method: 'POST', url: connections.SHOPIFY.path }, rawResponse: {} });
    const response = await t.http.post(connections.SHOPIFY.path).set(headers).send(raw);
    return { response, libraryValid: checked.valid, webhookId };
  };
  const customerByPhone = async (phone: string) => (await t.gqlOk(store.key, CUSTOMER, { phone })).customerByPhone;
  const deliveries = async (platform: string) => (await t.gqlOk(store.key, DELIVERIES, { id: connections[platform].id })).storePlatformDeliveries;
  const storedRows = async () => Number((await db.query(`SELECT count(*) FROM store_platform_deliveries WHERE tenant_id = $1`, [store.id]))[0].count);

  it('connects each platform, returns the webhook URL and Zid credentials once, never the secrets', async () => {
    expect(connections.SALLA.path).toBe(`/webhooks/stores/${connections.SALLA.id}`);
    expect(connections.ZID.username).toMatch(/^rida-/);
    expect(connections.ZID.password!.length).toBeGreaterThanOrEqual(32);
    expect(connections.SALLA.username).toBeNull();
    const listed = await t.gqlOk(store.key, `{ storePlatformConnections { platform accountId hasApiToken webhookUrl } }`);
    expect(listed.storePlatformConnections).toEqual([
      { platform: 'SALLA', accountId: '1305146709', hasApiToken: true, webhookUrl: expect.stringContaining(`/webhooks/stores/${connections.SALLA.id}`) },
      { platform: 'ZID', accountId: '104233', hasApiToken: true, webhookUrl: expect.stringContaining(connections.ZID.id) },
      { platform: 'SHOPIFY', accountId: SHOP, hasApiToken: true, webhookUrl: expect.stringContaining(connections.SHOPIFY.id) },
    ]);
    expect((await t.gql(store.key, `{ storePlatformConnections { webhookSecret } }`)).errors?.[0].message).toMatch(/webhookSecret/);
    const [row] = await db.query(`SELECT secrets FROM store_platform_connections WHERE id = $1`, [connections.SALLA.id]);
    expect(row.secrets.toString('latin1')).not.toContain(SALLA_SECRET);

    const noDomain = await t.gql(store.key, CONNECT, { input: { platform: 'SHOPIFY', webhookSecret: SHOPIFY_SECRET } });
    expect(noDomain.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { accountId: [expect.any(String)] } });
    const zidSecret = await t.gql(store.key, CONNECT, { input: { platform: 'ZID', webhookSecret: 'something-secret' } });
    expect(zidSecret.errors?.[0].extensions.fields).toHaveProperty('webhookSecret');
    const agent = await t.createKey(store.id, 'agent');
    expect((await t.gql(agent, CONNECT, { input: { platform: 'SALLA', webhookSecret: SALLA_SECRET } })).errors?.[0].extensions.code).toBe('FORBIDDEN');
  });

  it('refuses unsigned, wrongly signed, token-strategy and foreign webhooks with 401/403, storing nothing', async () => {
    const body = fixture('salla', 'order.created');
    expect((await salla(body, { secret: null })).status).toBe(401);
    expect((await salla(body, { secret: 'not-the-secret' })).status).toBe(401);
    const tokenStrategy = await salla(body, { strategy: 'Token' });
    expect(tokenStrategy.status).toBe(401);
    expect(tokenStrategy.body.error.code).toBe('UNAUTHENTICATED');
    expect((await salla({ ...body, merchant: 999 })).status).toBe(403);
    expect((await zid(fixture('zid', 'order.create'), undefined, null)).status).toBe(401);
    expect((await zid(fixture('zid', 'order.create'), undefined, `${connections.ZID.username}:wrong-password`)).status).toBe(401);
    const forged = await shopifyPost('orders/create', fixture('shopify', 'orders-create'), { secret: 'not-the-client-secret' });
    expect(forged.libraryValid).toBe(false);
    expect(forged.response.status).toBe(401);
    const otherShop = await shopifyPost('orders/create', fixture('shopify', 'orders-create'), { shop: 'another-store.myshopify.com' });
    expect(otherShop.libraryValid).toBe(true);
    expect(otherShop.response.status).toBe(403);
    expect((await t.http.post('/webhooks/stores/00000000-0000-7000-8000-000000000000').send({})).status).toBe(404);
    expect(await storedRows()).toBe(0);
    expect(Number((await db.query(`SELECT count(*) FROM orders WHERE tenant_id = $1`, [store.id]))[0].count)).toBe(0);
  });

  it('Salla: an order, its shipment and its delivery become store events; delivery starts the follow-up and the survey; the tier follows', async () => {
    const placed = new Date(Date.now() - 3 * HOUR);
    const created = fixture('salla', 'order.created');
    created.created_at = sallaTime(placed);
    const first = await salla(created);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ received: true, outcome: 'RECORDED', duplicate: false });
    const again = await salla(created);
    expect(again.body).toEqual({ received: true, outcome: 'RECORDED', duplicate: true });

    let customer = await customerByPhone('0501234567');
    expect(customer).toMatchObject({ name: 'نورة القحطاني', tier: 'BRONZE', lifetimeValue: 776.25, orderCount: 1 });
    expect(customer.identities).toEqual(
      expect.arrayContaining([
        { kind: 'EXTERNAL', value: 'salla:1227534533' },
        { kind: 'PHONE', value: '+966501234567' },
        { kind: 'EMAIL', value: 'noura@example.sa' },
      ]),
    );
    expect(customer.orders[0]).toMatchObject({
      externalId: '1180273962',
      status: 'PAID',
      totalAmount: 776.25,
      currency: 'SAR',
      placedAt: new Date(Math.floor(placed.getTime() / 1000) * 1000).toISOString(),
    });
    expect(customer.orders[0].items).toEqual([{ productId: 'ABAYA-01', name: 'عباية سوداء مطرزة', quantity: 2, price: 325 }]);

    const shipment = fixture('salla', 'shipment.updated');
    shipment.created_at = sallaTime(new Date(Date.now() - 2 * HOUR));
    expect((await salla(shipment)).body.outcome).toBe('RECORDED');

    const deliveredAt = new Date(Math.floor(Date.now() / 1000) * 1000 - HOUR);
    const delivered = fixture('salla', 'order.status.updated');
    delivered.created_at = sallaTime(deliveredAt);
    expect((await salla(delivered)).body).toMatchObject({ outcome: 'RECORDED', duplicate: false });
    customer = await customerByPhone('+966 50 123 4567');
    expect(customer.orders[0]).toMatchObject({ status: 'DELIVERED', deliveredAt: deliveredAt.toISOString(), shippedAt: expect.any(String) });
    expect(customer.orders[0].automations.map((a: any) => [a.kind, a.status, a.runAt])).toEqual([
      ['DELIVERY_FOLLOW_UP', 'SCHEDULED', new Date(deliveredAt.getTime() + 48 * HOUR).toISOString()],
      ['DELIVERY_CSAT', 'SCHEDULED', new Date(deliveredAt.getTime() + 7 * DAY).toISOString()],
    ]);
    // The same delivery reported again (redelivered, or by another event carrying the same state) doubles nothing.
    expect((await salla(delivered)).body.duplicate).toBe(true);
    expect((await customerByPhone('0501234567')).orders[0].automations).toHaveLength(2);
    // A late shipment event after the delivery moves nothing back.
    const lateShipment = { ...shipment, data: { ...shipment.data, status: 'shipped' } };
    expect((await salla(lateShipment)).body.outcome).toBe('RECORDED');
    expect((await customerByPhone('0501234567')).orders[0].status).toBe('DELIVERED');

    const updated = fixture('salla', 'customer.updated');
    expect((await salla(updated)).body.outcome).toBe('RECORDED');
    expect((await customerByPhone('0501234567')).identities).toEqual(expect.arrayContaining([{ kind: 'EMAIL', value: 'noura.q@example.sa' }]));

    const product = await salla(fixture('salla', 'product.updated'));
    expect(product.status).toBe(200);
    expect(product.body.outcome).toBe('IGNORED');
    const log = await deliveries('SALLA');
    expect(log.edges.map((e: any) => [e.node.topic, e.node.outcome])).toEqual([
      ['product.updated', 'IGNORED'],
      ['customer.updated', 'RECORDED'],
      ['shipment.updated', 'RECORDED'],
      ['order.status.updated', 'RECORDED'],
      ['shipment.updated', 'RECORDED'],
      ['order.created', 'RECORDED'],
    ]);
    expect(log.edges.find((e: any) => e.node.topic === 'order.created').node).toMatchObject({ redeliveries: 1, orderExternalId: '1180273962', note: 'ORDER_CREATED, ORDER_PAID' });
    expect(log.edges[0].node.note).toBe('Salla event product.updated is not mapped');

    // The log pages both ways: the same order backward from the end.
    const PAGE = `query($id: ID!, $last: Int, $before: String) {
      storePlatformDeliveries(connectionId: $id, last: $last, before: $before) { pageInfo { hasNextPage hasPreviousPage startCursor } edges { node { topic } } } }`;
    const page = async (variables: Record<string, unknown>) => (await t.gqlOk(store.key, PAGE, { id: connections.SALLA.id, ...variables })).storePlatformDeliveries;
    const topics = (connection: any) => connection.edges.map((e: any) => e.node.topic);
    const tail = await page({ last: 2 });
    expect(topics(tail)).toEqual(['shipment.updated', 'order.created']);
    expect(tail.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const rest = await page({ last: 10, before: tail.pageInfo.startCursor });
    expect(topics(rest)).toEqual(['product.updated', 'customer.updated', 'shipment.updated', 'order.status.updated']);
    expect(rest.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });

    const counts = (await t.gqlOk(store.key, COUNTS)).storePlatformConnections.find((c: any) => c.platform === 'SALLA');
    expect(counts.deliveryCounts).toEqual({ recorded: 5, ignored: 1, redeliveries: 2 });
  });

  it("Salla and Zid: an order undelivered at the store's promised day gets the proactive delay notice", async () => {
    await t.gqlOk(store.key, `mutation { updateStoreSettings(input: { promisedDeliveryDays: 3 }) { promisedDeliveryDays } }`);
    const late = fixture('salla', 'order.created');
    late.created_at = sallaTime(new Date(Date.now() - 4 * DAY));
    late.data.id = 1180273999;
    late.data.customer = { ...late.data.customer, id: 1227534999, mobile: 509998877, email: 'late@example.sa' };
    expect((await salla(late)).body.outcome).toBe('RECORDED');
    await eventuallyPasses(async () => {
      const order = (await customerByPhone('0509998877')).orders[0];
      expect(order.status).toBe('DELAYED');
      expect(order.automations).toEqual([expect.objectContaining({ kind: 'DELAY_NOTICE', status: 'DONE', ticketId: expect.any(String) })]);
    }, 15_000);
    // Not yet due: nothing.
    const onTime = {
      ...late,
      created_at: sallaTime(new Date(Date.now() - DAY)),
      data: { ...late.data, id: 1180274000, customer: { ...late.data.customer, id: 1227535000, mobile: 509998866, email: 'ontime@example.sa' } },
    };
    expect((await salla(onTime)).body.outcome).toBe('RECORDED');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await customerByPhone('0509998866')).orders[0]).toMatchObject({ status: 'PAID', automations: [] });
    // Zid the same, its zone-less time read in the store's zone.
    const zidLate = { ...fixture('zid', 'order.create'), id: 29385799, created_at: zidTime(new Date(Date.now() - 4 * DAY)), updated_at: zidTime(new Date(Date.now() - 4 * DAY)) };
    zidLate.customer = { ...zidLate.customer, id: 8125599, mobile: '966509998855', email: 'zid.late@example.sa' };
    expect((await zid(zidLate, 'order.create')).body.outcome).toBe('RECORDED');
    await eventuallyPasses(async () => {
      expect((await customerByPhone('0509998855')).orders[0].automations).toEqual([expect.objectContaining({ kind: 'DELAY_NOTICE', status: 'DONE' })]);
    }, 15_000);
    await t.gqlOk(store.key, `mutation { updateStoreSettings(input: { promisedDeliveryDays: null }) { promisedDeliveryDays } }`);
  });

  it('Zid: Basic credentials, zone-less times read in the store zone, delivery and redelivery, customers, ignored events', async () => {
    const created = fixture('zid', 'order.create');
    expect((await zid(created, 'order.create')).body).toEqual({ received: true, outcome: 'RECORDED', duplicate: false });
    let customer = await customerByPhone('0551234567');
    expect(customer).toMatchObject({ name: 'خالد العتيبي', orderCount: 0 });
    expect(customer.identities).toEqual(expect.arrayContaining([{ kind: 'EXTERNAL', value: 'zid:8125531' }]));
    // "2026-11-19 10:15:04" in Riyadh (UTC+3).
    expect(customer.orders[0]).toMatchObject({ externalId: '29385710', status: 'CREATED', placedAt: '2026-11-19T07:15:04.000Z', totalAmount: 420, currency: 'SAR' });

    const deliveredAt = new Date(Math.floor(Date.now() / 1000) * 1000 - HOUR);
    const delivered = fixture('zid', 'order.status.update');
    delivered.updated_at = zidTime(deliveredAt);
    expect((await zid(delivered, 'order.status.update')).body.outcome).toBe('RECORDED');
    expect((await zid(delivered, 'order.status.update')).body.duplicate).toBe(true);
    customer = await customerByPhone('0551234567');
    expect(customer).toMatchObject({ lifetimeValue: 420, orderCount: 1 });
    expect(customer.orders[0]).toMatchObject({ status: 'DELIVERED', deliveredAt: deliveredAt.toISOString() });
    expect(customer.orders[0].automations.map((a: any) => [a.kind, a.status])).toEqual([
      ['DELIVERY_FOLLOW_UP', 'SCHEDULED'],
      ['DELIVERY_CSAT', 'SCHEDULED'],
    ]);
    // The status update arriving again late, after the order moved on, with an older state: nothing moves back.
    expect((await zid(created, 'order.status.update')).body.outcome).toBe('RECORDED');
    expect((await customerByPhone('0551234567')).orders[0].status).toBe('DELIVERED');

    expect((await zid(fixture('zid', 'customer.update'), 'customer.update')).body.outcome).toBe('RECORDED');
    expect((await zid(fixture('zid', 'product.update'), 'product.update')).body).toEqual({ received: true, outcome: 'IGNORED', duplicate: false });
    expect((await zid({ ...created, store_id: 555 }, 'order.create')).status).toBe(403);
    expect((await zid({ ...created, order_status: 'x' }, 'order.create')).status).toBe(400);
  });

  it('Shopify: orders, fulfillments and fulfillment events — a later estimate or a delayed event starts the delay notice; the webhook id makes a redelivery a no-op', async () => {
    const order = fixture('shopify', 'orders-create');
    order.created_at = new Date(Date.now() - 2 * DAY).toISOString();
    const created = await shopifyPost('orders/create', order);
    expect(created.libraryValid).toBe(true);
    expect(created.response.body).toEqual({ received: true, outcome: 'RECORDED', duplicate: false });
    const redelivered = await shopifyPost('orders/create', order, { webhookId: created.webhookId });
    expect(redelivered.response.body.duplicate).toBe(true);
    let customer = await customerByPhone('+966507654321');
    expect(customer).toMatchObject({ name: 'سارة العتيبي', tier: 'BRONZE', lifetimeValue: 1249, orderCount: 1 });
    expect(customer.orders[0]).toMatchObject({ externalId: '5821738201341', status: 'PAID', totalAmount: 1249, currency: 'SAR' });

    // A fulfillment event for an order Rida has not heard of: refused (the platform retries), nothing stored.
    const unknown = await shopifyPost('fulfillment_events/create', { ...fixture('shopify', 'fulfillment_events-create'), order_id: 1 });
    expect(unknown.response.status).toBe(409);

    expect((await shopifyPost('fulfillments/create', fixture('shopify', 'fulfillments-create'))).response.body.outcome).toBe('RECORDED');
    const estimate = new Date(Date.now() + 2 * DAY);
    const inTransit = { ...fixture('shopify', 'fulfillment_events-create'), estimated_delivery_at: estimate.toISOString() };
    expect((await shopifyPost('fulfillment_events/create', inTransit)).response.body.outcome).toBe('RECORDED');
    customer = await customerByPhone('+966507654321');
    expect(customer.orders[0]).toMatchObject({ status: 'SHIPPED', expectedDeliveryAt: estimate.toISOString(), automations: [] });

    // The carrier moves the date later: a delay, told to the customer before they ask.
    const later = new Date(estimate.getTime() + 2 * DAY);
    expect((await shopifyPost('fulfillment_events/create', { ...inTransit, id: 27381122302, estimated_delivery_at: later.toISOString() })).response.body.outcome).toBe('RECORDED');
    await eventuallyPasses(async () => {
      const o = (await customerByPhone('+966507654321')).orders[0];
      expect(o).toMatchObject({ status: 'DELAYED', expectedDeliveryAt: later.toISOString() });
      expect(o.automations).toEqual([expect.objectContaining({ kind: 'DELAY_NOTICE', status: 'DONE' })]);
    }, 15_000);
    // The status `delayed` with yet another date: told again, once for that date.
    const latest = new Date(later.getTime() + DAY);
    const delayed = { ...inTransit, id: 27381122303, status: 'delayed', estimated_delivery_at: latest.toISOString() };
    const delayedPost = await shopifyPost('fulfillment_events/create', delayed);
    expect(delayedPost.response.body.outcome).toBe('RECORDED');
    expect((await shopifyPost('fulfillment_events/create', delayed, { webhookId: delayedPost.webhookId })).response.body.duplicate).toBe(true);
    await eventuallyPasses(async () => {
      const o = (await customerByPhone('+966507654321')).orders[0];
      expect(o.automations.filter((a: any) => a.kind === 'DELAY_NOTICE').map((a: any) => a.status)).toEqual(['DONE', 'DONE']);
    }, 15_000);

    const deliveredAt = new Date(Math.floor(Date.now() / 1000) * 1000 - HOUR);
    expect((await shopifyPost('fulfillment_events/create', { ...inTransit, id: 27381122304, status: 'delivered', happened_at: deliveredAt.toISOString() })).response.body.outcome).toBe('RECORDED');
    const done = (await customerByPhone('+966507654321')).orders[0];
    expect(done).toMatchObject({ status: 'DELIVERED', deliveredAt: deliveredAt.toISOString() });
    expect(done.automations.map((a: any) => a.kind)).toEqual(expect.arrayContaining(['DELIVERY_FOLLOW_UP', 'DELIVERY_CSAT']));

    expect((await shopifyPost('customers/update', fixture('shopify', 'customers-update'))).response.body.outcome).toBe('RECORDED');
    expect((await shopifyPost('products/update', fixture('shopify', 'products-update'))).response.body).toEqual({ received: true, outcome: 'IGNORED', duplicate: false });
    const log = await deliveries('SHOPIFY');
    expect(log.totalCount).toBe(8); // the unknown order's event was refused, the redeliveries counted on their rows
    expect(log.edges[0].node).toMatchObject({ topic: 'products/update', outcome: 'IGNORED' });
  });

  it('backfills the last days of orders from each platform API, page by page, idempotently', async () => {
    const recent = new Date(Date.now() - 5 * DAY);
    const sallaOrder = fixture('salla', 'order.created').data;
    fake.salla = Array.from({ length: 60 }, (_, i) => ({
      ...sallaOrder,
      id: 2000000000 + i,
      status: { id: 1, name: 'تم التوصيل', slug: i % 2 ? 'delivered' : 'in_progress' },
      amounts: undefined,
      total: { amount: 100 + i, currency: 'SAR' },
      customer: { ...sallaOrder.customer, id: 3000000000 + i, mobile: 560000000 + i, email: `s${i}@example.sa` },
    }));
    const zidOrder = fixture('zid', 'order.create');
    fake.zid = Array.from({ length: 55 }, (_, i) => ({
      ...zidOrder,
      id: 40000000 + i,
      created_at: zidTime(recent),
      updated_at: zidTime(recent),
      customer: { ...zidOrder.customer, id: 9000000 + i, mobile: `9665700000${String(i).padStart(2, '0')}`, email: `z${i}@example.sa` },
    }));
    const shopifyOrder = fixture('shopify', 'orders-create');
    fake.shopify = Array.from({ length: 70 }, (_, i) => ({
      ...shopifyOrder,
      id: 6000000000000 + i,
      created_at: recent.toISOString(),
      customer: { ...shopifyOrder.customer, id: 8000000000000 + i, phone: `+9665800000${String(i).padStart(2, '0')}`, email: `h${i}@example.sa` },
    }));
    const sallaSync = (await t.gqlOk(store.key, SYNC, { id: connections.SALLA.id, days: 30 })).syncStorePlatform;
    expect(sallaSync).toEqual({ orders: 60, recorded: 60, pages: 2 });
    expect((await t.gqlOk(store.key, SYNC, { id: connections.SALLA.id, days: 30 })).syncStorePlatform).toEqual({ orders: 60, recorded: 0, pages: 2 });
    expect((await t.gqlOk(store.key, SYNC, { id: connections.ZID.id, days: 30 })).syncStorePlatform).toEqual({ orders: 55, recorded: 55, pages: 2 });
    expect((await t.gqlOk(store.key, SYNC, { id: connections.SHOPIFY.id, days: 30 })).syncStorePlatform).toEqual({ orders: 70, recorded: 70, pages: 2 });
    expect((await t.gqlOk(store.key, SYNC, { id: connections.SHOPIFY.id, days: 30 })).syncStorePlatform.recorded).toBe(0);
    expect(fake.requests.some((r) => r.path.includes('from_date=') && r.headers.authorization === `Bearer ${fake.tokens.salla}`)).toBe(true);

    // Backfilled deliveries are history: a delivery long past sets nothing in motion beyond what the grace rule allows.
    const backfilled = await customerByPhone('0560000001');
    expect(backfilled.orders[0]).toMatchObject({ externalId: '2000000001', status: 'DELIVERED', totalAmount: 101 });
    const count = Number((await db.query(`SELECT count(*) FROM orders WHERE tenant_id = $1`, [store.id]))[0].count);
    expect(count).toBeGreaterThanOrEqual(185);

    // A refused token is the platform's answer, told to the admin.
    fake.tokens.zid = 'rotated';
    const refused = await t.gql(store.key, SYNC, { id: connections.ZID.id, days: 30 });
    expect(refused.errors?.[0].extensions.code).toBe('CHANNEL_ERROR');
    fake.tokens.zid = 'zid-manager-token-1';
  });

  it('maps every platform event of the fixtures to the order state or customer it describes', async () => {
    const orderStatus = async (externalId: string) => (await db.query(`SELECT status FROM orders WHERE tenant_id = $1 AND external_id = $2`, [store.id, externalId]))[0]?.status;
    const steps: Array<[string, string, () => Promise<{ status: number; body: any }>, string | null, string]> = [
      ['salla', 'order.cancelled', () => salla(fixture('salla', 'order.cancelled')), '1180274101', 'CANCELLED'],
      ['salla', 'order.refunded', () => salla(fixture('salla', 'order.refunded')), '1180274102', 'RETURNED'],
      ['salla', 'order.updated', () => salla(fixture('salla', 'order.updated')), '1180274103', 'SHIPPED'],
      ['salla', 'shipment.created', () => salla(fixture('salla', 'shipment.created')), '1180273962', 'DELIVERED'],
      ['salla', 'customer.created', () => salla(fixture('salla', 'customer.created')), null, '+966502223344'],
      ['zid', 'order.payment_status.update', () => zid(fixture('zid', 'order.payment_status.update'), 'order.payment_status.update'), '29385720', 'PAID'],
      ['zid', 'customer.create', () => zid(fixture('zid', 'customer.create'), 'customer.create'), null, '+966502223355'],
      ['shopify', 'orders/paid', async () => (await shopifyPost('orders/paid', fixture('shopify', 'orders-paid'))).response, '5821738201400', 'PAID'],
      ['shopify', 'orders/fulfilled', async () => (await shopifyPost('orders/fulfilled', fixture('shopify', 'orders-fulfilled'))).response, '5821738201400', 'SHIPPED'],
      ['shopify', 'fulfillments/update', async () => (await shopifyPost('fulfillments/update', fixture('shopify', 'fulfillments-update'))).response, '5821738201400', 'DELIVERED'],
      ['shopify', 'orders/updated', async () => (await shopifyPost('orders/updated', fixture('shopify', 'orders-updated'))).response, '5821738201400', 'RETURNED'],
      ['shopify', 'orders/cancelled', async () => (await shopifyPost('orders/cancelled', fixture('shopify', 'orders-cancelled'))).response, '5821738201401', 'CANCELLED'],
      ['shopify', 'customers/create', async () => (await shopifyPost('customers/create', fixture('shopify', 'customers-create'))).response, null, '+966502223366'],
    ];
    for (const [platform, event, send, orderId, expected] of steps) {
      const response = await send();
      expect([platform, event, response.status, response.body.outcome]).toEqual([platform, event, 200, 'RECORDED']);
      if (orderId) expect([event, await orderStatus(orderId)]).toEqual([event, expected]);
      else expect([event, (await customerByPhone(expected))?.identities]).toEqual([event, expect.arrayContaining([{ kind: 'PHONE', value: expected }])]);
    }
  });

  it('answers any verified body with a coded status, never a 5xx', async () => {
    const shapes = fc.oneof(
      fc.jsonValue(),
      fc.record({
        event: fc.constantFrom('order.created', 'order.status.updated', 'shipment.updated', 'customer.updated', 'x'),
        merchant: fc.constant(1305146709),
        created_at: fc.string(),
        data: fc.jsonValue(),
      }),
      fc.record({ id: fc.oneof(fc.integer(), fc.string()), order_status: fc.record({ code: fc.string() }), customer: fc.jsonValue(), created_at: fc.string(), order_total: fc.jsonValue() }),
    );
    await fc.assert(
      fc.asyncProperty(shapes, fc.constantFrom('orders/create', 'fulfillment_events/create', 'customers/update', 'x/y'), async (body, topic) => {
        const statuses = [(await salla(body)).status, (await zid(body)).status, (await shopifyPost(topic, body)).response.status];
        expect(statuses.filter((s) => s >= 500)).toEqual([]);
      }),
      { numRuns: 40, seed: 20261205 },
    );
    const raw = 'not json';
    const notJson = await t.http
      .post(connections.SALLA.path)
      .set('content-type', 'application/json')
      .set('x-salla-security-strategy', 'Signature')
      .set('x-salla-signature', createHmac('sha256', SALLA_SECRET).update(raw).digest('hex'))
      .send(raw);
    expect(notJson.status).toBe(400);
  });

  it('keeps every store to its own connections', async () => {
    const other = await t.createTenant('متجر آخر');
    expect((await t.gql(other.key, DELIVERIES, { id: connections.SALLA.id })).errors?.[0].extensions.code).toBe('NOT_FOUND');
    expect((await t.gql(other.key, SYNC, { id: connections.SALLA.id, days: 1 })).errors?.[0].extensions.code).toBe('NOT_FOUND');
    expect((await t.gqlOk(other.key, `{ storePlatformConnections { id } }`)).storePlatformConnections).toEqual([]);
  });
});
