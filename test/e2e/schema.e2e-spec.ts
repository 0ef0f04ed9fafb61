import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { TestApp } from './helpers/test-app';

describe('schemas stay in step with the code', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('schema.gql in the repository is the schema the code generates (run `npm run schema:print` after API changes)', () => {
    const { schema } = t.app.get(GraphQLSchemaHost);
    const generated = printSchema(lexicographicSortSchema(schema)).trim();
    const committed = readFileSync(join(__dirname, '../../schema.gql'), 'utf8')
      .split('\n')
      .filter((line) => !line.startsWith('#'))
      .join('\n')
      .trim();
    expect(committed).toBe(generated);
  });

  it('migrations/ produce exactly the schema the entities describe', async () => {
    const ds = t.app.get(DataSource);
    const pending = await ds.driver.createSchemaBuilder().log();
    // Foreign keys are tenant-scoped composites kept in migrations only (entities declare no
    // relations), so the builder would drop them; everything else must match exactly.
    const drift = pending.upQueries.map((q) => q.query).filter((q) => !/DROP CONSTRAINT "\w+_fkey"/.test(q));
    expect(drift).toEqual([]);
    // …and the builder did see every one of those keys.
    expect(pending.upQueries.length - drift.length).toBe(54);
  });

  it('every tenant table leads its primary key with tenant_id', async () => {
    const rows: Array<{ table_name: string; first_column: string }> = await t.app.get(DataSource).query(`
      SELECT c.relname AS table_name, a.attname AS first_column
        FROM pg_index i
        JOIN pg_class c ON c.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]
       WHERE i.indisprimary AND c.relname NOT IN ('tenants', 'schema_migrations', 'login_failures', 'store_keys')`);
    expect(rows.length).toBeGreaterThanOrEqual(8);
    for (const row of rows) expect(`${row.table_name}.${row.first_column}`).toBe(`${row.table_name}.tenant_id`);
  });
});
