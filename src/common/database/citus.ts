import type { DataSource } from 'typeorm';

const CITUS = new WeakMap<DataSource, Promise<boolean>>();

/**
 * Whether the database is a Citus coordinator (the schema distributed by store), asked once per
 * DataSource. Two things differ there: Citus hands a SET LOCAL on to the workers as the text of the
 * whole simple query it came in (every statement of it, run again on the worker), so a tenant
 * transaction's opening travels alone and plain reads open a transaction (see tenant-transactions);
 * and a recursive CTE must filter by tenant_id, so cross-store look-ups use plain DISTINCT there.
 */
export function isCitus(dataSource: DataSource): Promise<boolean> {
  let known = CITUS.get(dataSource);
  if (!known) {
    known = dataSource.query(`SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') AS citus`).then(([row]: Array<{ citus: boolean }>) => row.citus === true);
    known.catch(() => CITUS.delete(dataSource));
    CITUS.set(dataSource, known);
  }
  return known;
}
