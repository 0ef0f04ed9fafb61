/**
 * Where a scenario's PostgreSQL time goes (BENCH_PG_STATEMENTS): pg_stat_statements in the bench's
 * own embedded cluster, reset before each scenario and read after it.
 */
import { withClient } from '../test/test-database';

/** The settings that load pg_stat_statements into the bench's cluster, planning time included. */
export const STATEMENT_STATS_SETTINGS = { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track_planning': 'on', 'pg_stat_statements.max': '10000' };

export async function enableStatementStats(databaseUrl: string) {
  await withClient(databaseUrl, (client) => client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements'));
}

export async function resetStatementStats(databaseUrl: string) {
  await withClient(databaseUrl, (client) => client.query('SELECT pg_stat_statements_reset()'));
}

/** The `top` statements by time (planning + execution) since the last reset, per request of the scenario. */
export async function printStatementStats(databaseUrl: string, label: string, requests: number, top: number) {
  const { rows } = await withClient(databaseUrl, (client) =>
    client.query<{ calls: string; plan_ms: number; exec_ms: number; rows: string; query: string }>(
      `SELECT calls, total_plan_time AS plan_ms, total_exec_time AS exec_ms, rows, regexp_replace(query, '\\s+', ' ', 'g') AS query
         FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'
        ORDER BY total_plan_time + total_exec_time DESC LIMIT $1`,
      [top],
    ),
  );
  const perRequest = (n: number) => (requests ? n / requests : 0);
  console.log(`\nPostgreSQL time per request of ${label} (${requests} requests; pg_stat_statements, plan + exec):`);
  console.table(
    rows.map((r) => ({
      'ms/req': perRequest(r.plan_ms + r.exec_ms).toFixed(3),
      'plan ms/req': perRequest(r.plan_ms).toFixed(3),
      'calls/req': perRequest(Number(r.calls)).toFixed(2),
      statement: r.query.slice(0, 110),
    })),
  );
}
