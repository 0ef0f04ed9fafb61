import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase } from '../test-database';

/**
 * The rules a schema and an app must keep to be distributed by store on Citus (coordinator and
 * workers, every tenant table sharded by tenant_id and co-located with tickets, global tables as
 * reference tables). Citus is not installed here, so these checks read the migrated database's
 * catalogue and the source instead; each one names the Citus rule it stands for.
 */
describe('the schema and the app can be distributed by tenant_id (Citus rules, checked without Citus)', () => {
  let db: Client;

  beforeAll(async () => {
    db = new Client({ connectionString: await createTestDatabase() });
    await db.connect();
  });
  afterAll(() => db.end());

  /** Tables of the app's schema with a tenant_id column: they are distributed by it. */
  const TENANT_TABLES = `
    SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
     WHERE c.relkind IN ('r', 'p') AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)`;

  it('every unique index and constraint of a tenant table includes tenant_id (unique constraints must include the distribution column)', async () => {
    const { rows } = await db.query(`
      WITH t AS (${TENANT_TABLES})
      SELECT t.relname, i.indexrelid::regclass::text AS index_name
        FROM t JOIN pg_index i ON i.indrelid = t.oid
       WHERE i.indisunique
         AND NOT (SELECT a.attnum FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attname = 'tenant_id') = ANY (i.indkey::int2[])
       ORDER BY 1, 2`);
    expect(rows).toEqual([]);
  });

  it('no foreign key through tenant_id sets columns to NULL or DEFAULT on delete (refused when the distribution column is in the key)', async () => {
    const { rows } = await db.query(`
      WITH t AS (${TENANT_TABLES})
      SELECT t.relname, f.conname, f.confdeltype, f.confupdtype
        FROM t JOIN pg_constraint f ON f.conrelid = t.oid AND f.contype = 'f'
       WHERE (f.confdeltype IN ('n', 'd') OR f.confupdtype IN ('n', 'd'))
       ORDER BY 1, 2`);
    expect(rows).toEqual([]);
  });

  it('foreign keys between tenant tables go through tenant_id on both sides, and no global table refers to a tenant table', async () => {
    const { rows } = await db.query(`
      WITH t AS (${TENANT_TABLES})
      SELECT f.conrelid::regclass::text AS from_table, f.conname, f.confrelid::regclass::text AS to_table
        FROM pg_constraint f
        JOIN pg_namespace n ON n.oid = f.connamespace AND n.nspname = 'public'
       WHERE f.contype = 'f'
         AND (
           -- a reference (or local) table may not refer to a distributed one
           (f.confrelid IN (SELECT oid FROM t) AND f.conrelid NOT IN (SELECT oid FROM t))
           -- co-located tables join on the distribution column: it pairs with itself in the key
           OR (f.confrelid IN (SELECT oid FROM t) AND f.conrelid IN (SELECT oid FROM t) AND NOT EXISTS (
                SELECT 1 FROM unnest(f.conkey, f.confkey) k(c, r)
                 WHERE (SELECT attname FROM pg_attribute WHERE attrelid = f.conrelid AND attnum = k.c) = 'tenant_id'
                   AND (SELECT attname FROM pg_attribute WHERE attrelid = f.confrelid AND attnum = k.r) = 'tenant_id'))
         )
       ORDER BY 1, 2`);
    expect(rows).toEqual([]);
  });

  it('no database function takes a table row (each shard has a row type of its own)', async () => {
    const { rows } = await db.query(`
      SELECT p.oid::regprocedure::text AS function_name
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace AND n.nspname = 'public'
       WHERE EXISTS (
         SELECT 1 FROM unnest(p.proargtypes::oid[]) a(type) JOIN pg_type ty ON ty.oid = a.type JOIN pg_class c ON c.oid = ty.typrelid
          WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f'))
       ORDER BY 1`);
    expect(rows).toEqual([]);
  });

  it('no trigger on a tenant table (refused on distributed tables; a trigger writing another table runs inside a shard)', async () => {
    const { rows } = await db.query(`
      WITH t AS (${TENANT_TABLES})
      SELECT t.relname, g.tgname FROM t JOIN pg_trigger g ON g.tgrelid = t.oid AND NOT g.tgisinternal ORDER BY 1, 2`);
    expect(rows).toEqual([]);
  });

  it('every tenant table leads its primary key with tenant_id', async () => {
    const { rows } = await db.query(`
      WITH t AS (${TENANT_TABLES})
      SELECT t.relname FROM t
       WHERE NOT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]
                          WHERE i.indrelid = t.oid AND i.indisprimary AND a.attname = 'tenant_id')
       ORDER BY 1`);
    expect(rows).toEqual([]);
  });

  it('the rida_app role can log in (Citus connects to the workers as the current role)', async () => {
    const { rows } = await db.query(`SELECT rolcanlogin, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'rida_app'`);
    expect(rows).toEqual([{ rolcanlogin: true, rolsuper: false, rolbypassrls: false }]);
  });

  describe('the source', () => {
    const root = join(__dirname, '../..');
    const files = sourceFiles(join(root, 'src')).map((path) => ({ path: relative(root, path), text: readFileSync(path, 'utf8') }));

    it('sets the store and the role with SET LOCAL, never set_config (workers see SET LOCAL, propagated by Citus; they never see set_config)', () => {
      const found = files.filter((f) => /set_config\s*\(/i.test(withoutComments(f.text))).map((f) => f.path);
      expect(found).toEqual([]);
    });

    it('takes row locks only in queries filtered by one store (row locks work in single-shard queries only)', () => {
      const found: string[] = [];
      for (const f of files) {
        const text = withoutComments(f.text);
        for (const lock of text.matchAll(/FOR UPDATE|FOR SHARE|FOR NO KEY UPDATE|SKIP LOCKED|setLock\(|lock:\s*\{/g)) {
          const statement = statementAround(text, lock.index);
          if (!/tenant_id\s*=|tenantId/.test(statement)) found.push(`${f.path}: ${statement.replace(/\s+/g, ' ').slice(0, 160)}`);
        }
      }
      expect(found).toEqual([]);
    });

    it('calls no non-immutable function straight inside CASE or COALESCE (Citus refuses it in a write; a subquery, (SELECT now()), is evaluated first)', () => {
      const found: string[] = [];
      for (const f of files) {
        for (const hit of withoutComments(f.text).matchAll(
          /coalesce\([^()]*\b(now|clock_timestamp|statement_timestamp|transaction_timestamp)\(\)|\b(THEN|ELSE)\s+(now|clock_timestamp|statement_timestamp|transaction_timestamp)\(\)/gi,
        )) {
          found.push(`${f.path}: ${hit[0]}`);
        }
      }
      expect(found).toEqual([]);
    });

    it('offers no transaction across stores (its row locks would span shards): work that spans stores finds stores, then works per store', () => {
      const door = files.find((f) => f.path.endsWith('common/database/all-stores.ts'))!;
      expect(door.text).not.toMatch(/^\s+transaction\s*</m);
      expect(files.filter((f) => /allStores\.transaction\(/.test(f.text)).map((f) => f.path)).toEqual([]);
    });
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** The statement (SQL text or query-builder chain) a lock sits in: back to the call that starts it, on to its end. */
function statementAround(text: string, at: number): string {
  const before = text.slice(Math.max(0, at - 700), at);
  const start = Math.max(before.lastIndexOf('.query('), before.lastIndexOf('createQueryBuilder('), before.lastIndexOf('findOne('), before.lastIndexOf('findOneBy('), 0);
  const after = text.slice(at, at + 200);
  return before.slice(start) + after.slice(0, after.includes(';') ? after.indexOf(';') : after.length);
}
