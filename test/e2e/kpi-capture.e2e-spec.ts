import { DataSource } from 'typeorm';
import { TenantTransactions } from '../../src/common/database/tenant-transactions';
import { captureStoreTicketFacts, KPI_FACT_NAMES, kpiFactsOf } from '../../src/metrics/kpi-capture';
import { arabicTicket, CREATE_TICKET, TestApp, TestTenant } from './helpers/test-app';

/**
 * A ticket's KPI contribution is written in the transaction that writes the ticket. A new ticket's
 * is computed from its values and sent before its INSERT (so the store's number counter is not held
 * while it runs); it must be exactly what the capture from the stored row gives, whatever the create.
 */
describe('KPI capture of new tickets', () => {
  let t: TestApp;
  let store: TestTenant;
  let ds: DataSource;

  beforeAll(async () => {
    t = await TestApp.start({ KPI_ROLLUP_INTERVAL_SECONDS: '0' }); // nothing folded away while we count
    store = await t.createTenant();
    ds = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  const pendingDeltas = async () =>
    (await ds.query(`SELECT count(*)::int AS rows, coalesce(sum(sign), 0)::int AS contributions FROM kpi_deltas WHERE tenant_id = $1`, [store.id]))[0] as { rows: number; contributions: number };

  it('captures each created ticket once, as the stored ticket says', async () => {
    const create = async (n: number, overrides: Record<string, unknown> = {}) => (await t.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(n, overrides) })).createTicket.id as string;
    const plain = await create(1);
    const given = await create(2, { category: 'PAYMENT', priority: 'URGENT', tags: ['عاجل', 'vip'], channel: 'EMAIL', customer: { email: 'sara@example.sa', name: 'سارة', tier: 'VIP' } });
    const firstOfOrder = await create(3, { orderRef: 'ORD-7731' });
    const secondOfOrder = await create(4, { orderRef: 'ORD-7731' });
    const rest = await t.http
      .post('/api/v1/tickets')
      .set('authorization', `Bearer ${store.key}`)
      .send(arabicTicket(5, { productRef: 'SKU-12' }));
    expect(rest.status).toBe(201);
    const ids = [plain, given, firstOfOrder, secondOfOrder, rest.body.id as string];

    // One contribution per ticket, and the one kept for each is what its stored row gives now.
    expect(await pendingDeltas()).toMatchObject({ contributions: ids.length });
    const names = KPI_FACT_NAMES.map((c) => `n.${c}`).join(', ');
    const differing = await ds.query(
      `SELECT t.id FROM tickets t JOIN tenants s ON s.id = t.tenant_id CROSS JOIN LATERAL ${kpiFactsOf('t', 's.timezone')} n
         LEFT JOIN kpi_ticket_facts o ON o.tenant_id = t.tenant_id AND o.ticket_id = t.id
        WHERE t.tenant_id = $1 AND (o.ticket_id IS NULL OR (${names}) IS DISTINCT FROM (${KPI_FACT_NAMES.map((c) => `o.${c}`).join(', ')}))`,
      [store.id],
    );
    expect(differing).toEqual([]);
    const opens = await ds.query(`SELECT id, opens_order FROM tickets WHERE tenant_id = $1`, [store.id]);
    expect(Object.fromEntries(opens.map((r: { id: string; opens_order: boolean }) => [r.id, r.opens_order]))).toEqual({
      [plain]: false,
      [given]: false,
      [firstOfOrder]: true,
      [secondOfOrder]: false,
      [ids[4]]: false,
    });

    // The capture from the stored rows finds nothing left to write.
    const before = await pendingDeltas();
    await captureStoreTicketFacts(t.app.get(TenantTransactions), store.id);
    expect(await pendingDeltas()).toEqual(before);
  });

  it('captures a ticket changed after its create again, replacing its first contribution', async () => {
    const { id } = (await t.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(6) })).createTicket;
    const before = await pendingDeltas();
    await t.gqlOk(store.key, `mutation($id: ID!) { updateTicket(id: $id, input: { status: SOLVED }) { id } }`, { id });
    // Retracted (-1) and appended (+1): still one contribution for the ticket, now a solved one.
    expect(await pendingDeltas()).toEqual({ rows: before.rows + 2, contributions: before.contributions });
    const [kept] = await ds.query(`SELECT solved FROM kpi_ticket_facts WHERE tenant_id = $1 AND ticket_id = $2`, [store.id, id]);
    expect(kept.solved).toBe(1);
  });
});
