import { MigrationInterface, QueryRunner } from 'typeorm';

/** Runs one statement and returns its rows. */
export type RunSql = (sql: string, parameters?: unknown[]) => Promise<Array<Record<string, unknown>>>;

/** The table every tenant table is co-located with: a store's rows of every table live on the same node. */
export const COLOCATION_TABLE = 'tickets';

/**
 * Global tables kept whole on every node (Citus reference tables): small, read before the store
 * is known (a store by slug, the store of an API key or token) and joined with every shard
 * (tenants). schema_migrations, login_failures and pg-boss's tables stay on the coordinator.
 */
export const REFERENCE_TABLES = ['tenants', 'store_keys'];

/** Whether this database runs on a Citus coordinator. */
export async function hasCitus(run: RunSql): Promise<boolean> {
  const [row] = await run(`SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') AS citus`);
  return row.citus === true;
}

/**
 * Distributes the schema by store on a Citus coordinator, in an order Citus accepts whatever the
 * foreign keys: every foreign key between the tables concerned is dropped (and remembered), the
 * global tables become reference tables, tickets is distributed by tenant_id and every other
 * table with a tenant_id co-located with it, then the foreign keys are added back as they were
 * (composite through tenant_id, so each stays within one shard group; to tenants, a reference
 * table). The app's SQL functions are propagated to the workers, and SET LOCAL of the store and
 * role travel with each transaction to the workers it touches. Tables already distributed are
 * left as they are, so it can run again after a later migration adds a table.
 *
 * Run in one transaction (a migration's own, or the CLI's `distribute`).
 */
export async function distributeByStore(run: RunSql): Promise<void> {
  // Creating shards and foreign keys to reference tables in one transaction: one connection per node.
  await run(`SET LOCAL citus.multi_shard_modify_mode TO 'sequential'`);
  const [{ db }] = await run(`SELECT current_database() AS db`);
  await run(`ALTER DATABASE "${String(db).replace(/"/g, '""')}" SET citus.propagate_set_commands TO 'local'`);
  await run(`SET LOCAL citus.propagate_set_commands TO 'local'`);

  const done = new Set((await run(`SELECT logicalrelid::regclass::text AS name FROM pg_dist_partition`)).map((r) => String(r.name)));
  const tenantTables = (
    await run(`
      SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
       WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
         AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
       ORDER BY c.relname`)
  )
    .map((r) => String(r.name))
    .filter((name) => !done.has(name));
  const referenceTables = REFERENCE_TABLES.filter((name) => !done.has(name));
  const changing = [...referenceTables, ...tenantTables];
  if (changing.length === 0) return;

  const keys = await run(
    `SELECT f.conrelid::regclass::text AS table_name, f.conname AS name, pg_get_constraintdef(f.oid) AS definition
       FROM pg_constraint f
      WHERE f.contype = 'f' AND (f.conrelid::regclass::text = ANY($1) OR f.confrelid::regclass::text = ANY($1))
      ORDER BY 1, 2`,
    [changing],
  );
  for (const key of keys) await run(`ALTER TABLE ${key.table_name} DROP CONSTRAINT "${key.name}"`);

  for (const table of referenceTables) await run(`SELECT create_reference_table($1)`, [table]);
  if (tenantTables.includes(COLOCATION_TABLE)) await run(`SELECT create_distributed_table($1, 'tenant_id', colocate_with => 'none')`, [COLOCATION_TABLE]);
  for (const table of tenantTables.filter((t) => t !== COLOCATION_TABLE)) {
    await run(`SELECT create_distributed_table($1, 'tenant_id', colocate_with => $2)`, [table, COLOCATION_TABLE]);
  }

  for (const key of keys) await run(`ALTER TABLE ${key.table_name} ADD CONSTRAINT "${key.name}" ${key.definition}`);

  // The app's SQL functions (KPI facts and expansions, search keys …) on every node, for queries pushed down to shards.
  const functions = await run(`
    SELECT p.oid::regprocedure::text AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace AND n.nspname = 'public'
     WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
       AND NOT EXISTS (SELECT 1 FROM pg_dist_object o WHERE o.classid = 'pg_proc'::regclass AND o.objid = p.oid)`);
  for (const { signature } of functions) await run(`SELECT create_distributed_function($1)`, [signature]);
}

/**
 * On a Citus coordinator (the `citus` extension present), distributes every tenant table by
 * tenant_id, co-located with tickets, and makes the global tables reference tables (see
 * distributeByStore). On plain PostgreSQL it does nothing. A later migration that creates a
 * table calls distributeByStore too (when hasCitus), which handles only what is new.
 */
export class DistributeByStore1764062000000 implements MigrationInterface {
  name = 'DistributeByStore1764062000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const run: RunSql = (sql, parameters) => queryRunner.query(sql, parameters);
    if (!(await hasCitus(run))) return;
    await distributeByStore(run);
  }

  public async down(): Promise<void> {
    // Undistributing (undistribute_table) is an operator's decision, not a migration's.
  }
}
