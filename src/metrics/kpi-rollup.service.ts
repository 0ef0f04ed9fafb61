import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AppConfig } from '../common/config/app-config';
import { AllStores } from '../common/database/all-stores';
import { TenantTransactions } from '../common/database/tenant-transactions';
import { PeriodicTask } from '../common/periodic-task';
import { KPI_COUNT_KEYS } from './kpi-formulas';

const FOLD_BATCH = 20_000;
const FOLD_LOCK = 'rida:kpi-fold';

/** The kpi_daily column of each additive count (frsMet → frs_met). */
export const KPI_COUNT_COLUMNS = KPI_COUNT_KEYS.map((key) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
/** What rollup rows add up: the counts, and the solved-on-this-day count the backlog needs. */
const COUNTERS = ['solved_on', ...KPI_COUNT_COLUMNS];
const SUMS = COUNTERS.map((c) => `sum(e.${c})`).join(', ');
const ADD = COUNTERS.map((c) => `${c} = k.${c} + excluded.${c}`).join(', ');

/**
 * Moves captured KPI deltas (see the KpiRollups migration) into the daily rollups. One fold runs
 * at a time across all instances (an advisory lock); each batch is one transaction, so a reader
 * sees a delta either pending or folded, never both.
 */
@Injectable()
export class KpiRollupService implements OnModuleInit, OnApplicationShutdown {
  private readonly task = new PeriodicTask(
    () => this.foldAll(),
    (error) => this.logger.error({ err: error }, 'KPI rollup fold failed'),
  );

  constructor(
    private readonly allStores: AllStores,
    private readonly db: TenantTransactions,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(KpiRollupService.name);
  }

  onModuleInit() {
    this.task.start(this.config.KPI_ROLLUP_INTERVAL_SECONDS);
  }

  onApplicationShutdown() {
    return this.task.stop();
  }

  /** Folds until no deltas are left (or another instance holds the fold); returns how many were folded. */
  async foldAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const folded = await this.foldBatch();
      total += folded;
      if (folded < FOLD_BATCH) return total;
    }
  }

  private foldBatch(): Promise<number> {
    // Across stores: the deltas of every store wait in one queue, folded in batches by one instance at a time.
    return this.allStores.transaction(async (manager) => {
      const [{ locked }] = await manager.query(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`, [FOLD_LOCK]);
      if (!locked) return 0;
      const [{ folded }] = await manager.query(
        `WITH batch AS (
           DELETE FROM kpi_deltas d USING (SELECT tenant_id, id FROM kpi_deltas ORDER BY id LIMIT $1) b
            WHERE d.tenant_id = b.tenant_id AND d.id = b.id RETURNING d.*
         ), counters AS (
           INSERT INTO kpi_daily AS k (tenant_id, dim, day, value, ${COUNTERS.join(', ')})
           SELECT b.tenant_id, e.dim, e.day, e.value, ${SUMS} FROM batch b, kpi_expand(b::kpi_deltas) e GROUP BY 1, 2, 3, 4
           ON CONFLICT (tenant_id, dim, day, value) DO UPDATE SET ${ADD}
         ), histograms AS (
           INSERT INTO kpi_daily_histograms AS k (tenant_id, dim, day, value, metric, bucket, count)
           SELECT b.tenant_id, h.dim, h.day, h.value, h.metric, h.bucket, sum(h.count) FROM batch b, kpi_histogram_rows(b::kpi_deltas) h GROUP BY 1, 2, 3, 4, 5, 6
           ON CONFLICT (tenant_id, dim, day, value, metric, bucket) DO UPDATE SET count = k.count + excluded.count
         )
         SELECT count(*)::int AS folded FROM batch`,
        [FOLD_BATCH],
      );
      return folded as number;
    });
  }

  rebuild(tenantId: string): Promise<void> {
    return rebuildKpiRollups(this.db, tenantId);
  }
}

/**
 * Recomputes one store's rollups from its tickets (after a bulk load with capture off, or if the
 * store's time zone ever changes). Takes the fold lock so no batch interleaves.
 */
export async function rebuildKpiRollups(db: TenantTransactions, tenantId: string): Promise<void> {
  await db.run(tenantId, async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [FOLD_LOCK]);
    for (const table of ['kpi_deltas', 'kpi_daily', 'kpi_daily_histograms']) await manager.query(`DELETE FROM ${table} WHERE tenant_id = $1`, [tenantId]);
    const facts = `SELECT ROW(t.tenant_id, 0::bigint, 1::smallint, f.*)::kpi_deltas AS d
                     FROM tenants n JOIN tickets t ON t.tenant_id = n.id, kpi_facts(t, n.timezone) f WHERE n.id = $1 OFFSET 0`;
    await manager.query(
      `INSERT INTO kpi_daily (tenant_id, dim, day, value, ${COUNTERS.join(', ')})
       SELECT $1::uuid, e.dim, e.day, e.value, ${SUMS} FROM (${facts}) s, kpi_expand(s.d) e GROUP BY 2, 3, 4`,
      [tenantId],
    );
    await manager.query(
      `INSERT INTO kpi_daily_histograms (tenant_id, dim, day, value, metric, bucket, count)
       SELECT $1::uuid, h.dim, h.day, h.value, h.metric, h.bucket, sum(h.count) FROM (${facts}) s, kpi_histogram_rows(s.d) h GROUP BY 2, 3, 4, 5, 6`,
      [tenantId],
    );
  });
}
