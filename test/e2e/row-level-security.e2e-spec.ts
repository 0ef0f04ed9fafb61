import { DataSource } from 'typeorm';
import { TenantTransactions } from '../../src/common/database/tenant-transactions';
import type { RequestContext } from '../../src/common/request-context';
import { arabicTicket, CREATE_TICKET, TestApp, TestTenant } from './helpers/test-app';

/** The second layer: even a query with no tenant filter cannot see or touch another store. */
describe('row-level security', () => {
  let t: TestApp;
  let db: TenantTransactions;
  let a: TestTenant;
  let b: TestTenant;
  const contextOf = (tenant: TestTenant): RequestContext => ({
    tenantId: tenant.id,
    tenantTimezone: 'Asia/Riyadh',
    tenantCountry: 'SA',
    role: 'admin',
    scopes: [],
    actor: { type: 'SYSTEM', id: null },
  });

  beforeAll(async () => {
    t = await TestApp.start();
    db = t.app.get(TenantTransactions);
    a = await t.createTenant('متجر أ');
    b = await t.createTenant('متجر ب');
    for (let i = 0; i < 3; i++) await t.gqlOk(a.key, CREATE_TICKET, { input: arabicTicket(i) });
    for (let i = 0; i < 5; i++) await t.gqlOk(b.key, CREATE_TICKET, { input: arabicTicket(10 + i) });
  });
  afterAll(() => t.close());

  it('tenant work runs as a role without superuser or BYPASSRLS', async () => {
    const [role] = await db.read(a.id, (m) => m.query(`SELECT current_user AS name, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`));
    expect(role).toEqual({ name: 'rida_app', rolsuper: false, rolbypassrls: false });
  });

  it('a query without a tenant filter sees only the current store', async () => {
    const count = (tenant: TestTenant, table: string) => db.read(tenant.id, (m) => m.query(`SELECT count(*)::int AS n FROM ${table}`)).then(([r]) => r.n);
    const expected = { tickets: 3, messages: 3, customers: 3, customer_identities: 3, ticket_events: 3, api_keys: 1, tenants: 1 };
    const seen = Object.fromEntries(await Promise.all(Object.keys(expected).map(async (table) => [table, await count(a, table)])));
    expect(seen).toEqual(expected);
    expect(await count(b, 'tickets')).toBe(5);
    // The owner role (migrations, system work) still sees everything.
    const [{ n }] = await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM tickets`);
    expect(n).toBe(8);
  });

  it("writes for another store are refused, and another store's rows cannot be changed", async () => {
    const [bTicket] = await t.app.get(DataSource).query(`SELECT id, customer_id FROM tickets WHERE tenant_id = $1 LIMIT 1`, [b.id]);
    const updated = await db.run(contextOf(a), (m) => m.query(`UPDATE tickets SET subject = 'hijacked' WHERE id = $1`, [bTicket.id]));
    expect(updated[1]).toBe(0);
    await expect(db.run(contextOf(a), (m) => m.query(`INSERT INTO customers (tenant_id, id, name) VALUES ($1, gen_random_uuid(), 'x')`, [b.id]))).rejects.toThrow(/row-level security/);
    const deleted = await db.run(contextOf(a), (m) => m.query(`DELETE FROM messages WHERE ticket_id = $1`, [bTicket.id]));
    expect(deleted[1]).toBe(0);
  });

  it('without a tenant set, the app role sees nothing at all', async () => {
    const rows = await t.app.get(DataSource).transaction(async (m) => {
      await m.query(`SET LOCAL ROLE rida_app`);
      return m.query(`SELECT count(*)::int AS n FROM tickets`);
    });
    expect(rows[0].n).toBe(0);
  });

  it('the tenant setting does not outlive its transaction on a pooled connection', async () => {
    await db.read(a.id, (m) => m.query('SELECT 1'));
    const rows: Array<{ role: string; tenant: string | null }> = await t.app.get(DataSource).query(`SELECT current_user AS role, nullif(current_setting('app.tenant_id', true), '') AS tenant`);
    expect(rows[0].role).not.toBe('rida_app');
    expect(rows[0].tenant).toBeNull();
  });
});
