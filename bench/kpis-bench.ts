/**
 * `npm run bench:kpis`: dashboard KPI queries against a seeded store, rollups against a naive scan.
 *
 *   DATABASE_URL=… npm run seed -- --tickets 1000000      # once (about 10 minutes on 2 cores)
 *   DATABASE_URL=… npm run bench:kpis [-- --tenant <slug>] # defaults to the store with most tickets
 *
 * Without DATABASE_URL both use the embedded PostgreSQL of `npm start` (.data/postgres).
 * The "dashboard" is what a support lead's home screen loads for the last 30 whole days in the
 * store's zone: totals, per day, per channel and per category.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { APP_SCHEMA } from '../src/app-schema';
import { loadConfig } from '../src/common/config/app-config';
import { AllStores } from '../src/common/database/all-stores';
import { resolveDatabase } from '../src/common/database/database-bootstrap';
import { TenantTransactions } from '../src/common/database/tenant-transactions';
import { typeormOptions } from '../src/common/database/typeorm-options';
import { systemContext } from '../src/common/request-context';
import { KpiGroupBy } from '../src/metrics/dto/kpi.types';
import { KpiRollupService } from '../src/metrics/kpi-rollup.service';
import { KpisService } from '../src/metrics/kpis.service';
import { latencies } from './latency';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);

/** The pre-rollup query: exact percentiles over every ticket of the period and its latest survey. */
const NAIVE = `
  SELECT date_trunc('day', t.created_at AT TIME ZONE $4)::text AS key, count(*) AS created, count(t.solved_at) AS solved,
    avg(extract(epoch FROM t.first_response_at - t.created_at)) AS frt_avg,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.first_response_at - t.created_at)) AS frt_median,
    percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM t.first_response_at - t.created_at)) AS frt_p90,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.solved_at - t.created_at)) AS res_median,
    count(*) FILTER (WHERE t.solved_at IS NOT NULL AND t.public_agent_reply_count = 1 AND t.reopen_count = 0) AS fcr,
    count(*) FILTER (WHERE t.sla -> 'targets' -> 'FIRST_RESPONSE' ->> 'status' = 'MET') AS frs_met,
    count(cs.rating) AS csat_responses, count(*) FILTER (WHERE cs.rating >= 4) AS csat_satisfied
  FROM tickets t
  LEFT JOIN LATERAL (SELECT s.rating FROM csat_surveys s WHERE s.tenant_id = t.tenant_id AND s.ticket_id = t.id ORDER BY s.created_at DESC LIMIT 1) cs ON true
  WHERE t.tenant_id = $1 AND t.created_at >= $2 AND t.created_at < $3
  GROUP BY 1`;

const time = (work: () => Promise<unknown>) => latencies(work, RUNS, [50, 90]);

async function main() {
  const { values } = parseArgs({ options: { tenant: { type: 'string' } } });
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
  const database = await resolveDatabase(config, () => undefined);
  const dataSource = await new DataSource(typeormOptions(database.url, APP_SCHEMA, 4)).initialize();
  try {
    const [tenant]: Array<{ id: string; slug: string; timezone: string; tickets: number }> = await dataSource.query(
      values.tenant
        ? `SELECT n.id, n.slug, n.timezone, (SELECT count(*) FROM tickets t WHERE t.tenant_id = n.id)::int AS tickets FROM tenants n WHERE n.slug = $1`
        : `SELECT n.id, n.slug, n.timezone, c.tickets FROM (SELECT tenant_id, count(*)::int AS tickets FROM tickets GROUP BY 1 ORDER BY 2 DESC LIMIT 1) c JOIN tenants n ON n.id = c.tenant_id`,
      values.tenant ? [values.tenant] : [],
    );
    if (!tenant) throw new Error('No seeded store found: run `npm run seed -- --tickets 1000000` first');
    const kpis = new KpisService(new TenantTransactions(dataSource));
    const ctx = { ...systemContext(tenant.id), tenantTimezone: tenant.timezone };
    const [{ to }] = await dataSource.query(`SELECT (date_trunc('day', now() AT TIME ZONE $1) AT TIME ZONE $1) AS to`, [tenant.timezone]);
    const filter = { from: new Date(to.getTime() - 30 * 86_400_000), to };
    const [{ inPeriod }] = await dataSource.query(`SELECT count(*)::int AS "inPeriod" FROM tickets WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3`, [tenant.id, filter.from, filter.to]);
    const fold = new KpiRollupService(new AllStores(dataSource), new TenantTransactions(dataSource), config, { setContext() {}, error() {} } as never, { onTicketsChanged() {} } as never);
    await fold.foldAll();
    // As autovacuum leaves them in steady state: histogram reads are index-only scans over all-visible pages.
    await dataSource.query(`VACUUM ANALYZE tickets, kpi_daily, kpi_daily_histograms`);
    console.log(
      `Store ${tenant.slug}: ${tenant.tickets.toLocaleString('en')} tickets, ${inPeriod.toLocaleString('en')} in the last 30 days (${filter.from.toISOString()} – ${filter.to.toISOString()}); ${RUNS} runs each.\n`,
    );

    const dashboard = (forceScan: boolean) => () => Promise.all([KpiGroupBy.NONE, KpiGroupBy.DAY, KpiGroupBy.CHANNEL, KpiGroupBy.CATEGORY].map((g) => kpis.kpis(ctx, filter, g, { forceScan })));
    const rows: Array<Record<string, string | number>> = [];
    const add = async (scenario: string, work: () => Promise<unknown>) => {
      const { p50, p90 } = await time(work);
      rows.push({ scenario, 'p50 ms': Math.round(p50 * 10) / 10, 'p90 ms': Math.round(p90 * 10) / 10 });
    };
    await add('kpis, 30 days, totals (rollups)', () => kpis.kpis(ctx, filter, KpiGroupBy.NONE));
    await add('kpis, 30 days, by day (rollups)', () => kpis.kpis(ctx, filter, KpiGroupBy.DAY));
    await add('kpis, 30 days, by agent (rollups)', () => kpis.kpis(ctx, filter, KpiGroupBy.AGENT));
    await add('dashboard: totals+day+channel+category (rollups)', dashboard(false));
    await add('friction: top keywords with growth (rollups)', () => kpis.friction(ctx, filter, 'KEYWORD' as never, 10));
    await add('kpis, 30 days, by day (scan of tickets)', () => kpis.kpis(ctx, filter, KpiGroupBy.DAY, { forceScan: true }));
    await add('naive: exact percentiles over tickets + surveys, by day', () => dataSource.query(NAIVE, [tenant.id, filter.from, filter.to, tenant.timezone]));
    console.table(rows);

    // Fold throughput: touch 20 000 tickets (two deltas each) and fold them.
    await dataSource.query(`UPDATE tickets SET message_count = message_count + 1 WHERE tenant_id = $1 AND id IN (SELECT id FROM tickets WHERE tenant_id = $1 LIMIT 20000)`, [tenant.id]);
    const started = Date.now();
    const folded = await fold.foldAll();
    const seconds = (Date.now() - started) / 1000;
    console.log(`\nFold: ${folded} deltas in ${seconds.toFixed(2)} s (${Math.round(folded / seconds)} deltas/s).`);
    await dataSource.query(`UPDATE tickets SET message_count = message_count - 1 WHERE tenant_id = $1 AND id IN (SELECT id FROM tickets WHERE tenant_id = $1 LIMIT 20000)`, [tenant.id]);
    await fold.foldAll();
  } finally {
    await dataSource.destroy();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
