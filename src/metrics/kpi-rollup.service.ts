import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AppConfig } from '../common/config/app-config';
import { AllStores } from '../common/database/all-stores';
import { TenantTransactions } from '../common/database/tenant-transactions';
import { PeriodicTask } from '../common/periodic-task';
import { TicketEventStream } from '../tickets/ticket-event-stream';
import { captureTicketFacts, KPI_FACT_NAMES, kpiExpansionOf, kpiFactsOf, newTicketCaptureStatements } from './kpi-capture';
import { KPI_COUNT_KEYS } from './kpi-formulas';

const FOLD_BATCH = 20_000;
/** One fold of a store at a time (an advisory lock, on the coordinator under Citus). */
const foldLock = (tenantId: string) => `rida:kpi-fold:${tenantId}`;

/** The kpi_daily column of each additive count (frsMet → frs_met). */
export const KPI_COUNT_COLUMNS = KPI_COUNT_KEYS.map((key) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
/** What rollup rows add up: the counts, and the solved-on-this-day count the backlog needs. */
const COUNTERS = ['solved_on', ...KPI_COUNT_COLUMNS];
const SUMS = COUNTERS.map((c) => `sum(e.${c})`).join(', ');
const ADD = COUNTERS.map((c) => `${c} = k.${c} + excluded.${c}`).join(', ');

/**
 * Captures each ticket change's KPI contribution before its COMMIT (see kpi-capture.ts) and moves
 * the captured deltas into the daily rollups, one store at a time: one fold of a store runs at a
 * time across all instances (an advisory lock); each batch is one transaction of that store, so a
 * reader sees a delta either pending or folded, never both.
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
    private readonly stream: TicketEventStream,
  ) {
    this.logger.setContext(KpiRollupService.name);
  }

  onModuleInit() {
    this.stream.onTicketsChanged(captureTicketFacts, newTicketCaptureStatements);
    this.task.start(this.config.KPI_ROLLUP_INTERVAL_SECONDS);
  }

  onApplicationShutdown() {
    return this.task.stop();
  }

  /** Folds until no deltas are left (a store another instance is folding is left to it); returns how many were folded. */
  async foldAll(): Promise<number> {
    // Across stores: which stores have deltas waiting (a read, no locks); each is folded as that store.
    const stores: Array<{ tenant_id: string }> = await this.allStores.query(`SELECT DISTINCT tenant_id FROM kpi_deltas`);
    let total = 0;
    for (const { tenant_id: tenantId } of stores) {
      for (;;) {
        const folded = await this.foldBatch(tenantId);
        total += folded;
        if (folded < FOLD_BATCH) break;
      }
    }
    return total;
  }

  private foldBatch(tenantId: string): Promise<number> {
    return this.db.run(tenantId, async (manager) => {
      const [{ locked }] = await manager.query(`SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked`, [foldLock(tenantId)]);
      if (!locked) return 0;
      const [{ folded }] = await manager.query(
        `WITH batch AS (
           DELETE FROM kpi_deltas d USING (SELECT id FROM kpi_deltas WHERE tenant_id = $2 ORDER BY id LIMIT $1) b
            WHERE d.tenant_id = $2 AND d.id = b.id RETURNING d.*
         ), counters AS (
           INSERT INTO kpi_daily AS k (tenant_id, dim, day, value, ${COUNTERS.join(', ')})
           SELECT $2, e.dim, e.day, e.value, ${SUMS} FROM batch b, ${kpiExpansionOf('kpi_expand', 'b', 'b.sign')} e GROUP BY 2, 3, 4
           ON CONFLICT (tenant_id, dim, day, value) DO UPDATE SET ${ADD}
         ), histograms AS (
           INSERT INTO kpi_daily_histograms AS k (tenant_id, dim, day, value, metric, bucket, count)
           SELECT $2, h.dim, h.day, h.value, h.metric, h.bucket, sum(h.count) FROM batch b, ${kpiExpansionOf('kpi_histogram_rows', 'b', 'b.sign')} h GROUP BY 2, 3, 4, 5, 6
           ON CONFLICT (tenant_id, dim, day, value, metric, bucket) DO UPDATE SET count = k.count + excluded.count
         )
         SELECT count(*)::int AS folded FROM batch`,
        [FOLD_BATCH, tenantId],
      );
      return folded as number;
    });
  }

  rebuild(tenantId: string): Promise<void> {
    return rebuildKpiRollups(this.db, tenantId);
  }
}

/**
 * Recomputes one store's rollups and each ticket's counted contribution from its tickets (after a
 * bulk load, or if the store's time zone ever changes). Takes the store's fold lock so no batch
 * interleaves.
 */
export async function rebuildKpiRollups(db: TenantTransactions, tenantId: string): Promise<void> {
  await db.run(tenantId, async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [foldLock(tenantId)]);
    for (const table of ['kpi_deltas', 'kpi_daily', 'kpi_daily_histograms', 'kpi_ticket_facts']) await manager.query(`DELETE FROM ${table} WHERE tenant_id = $1`, [tenantId]);
    await manager.query(
      `INSERT INTO kpi_ticket_facts (tenant_id, ticket_id, ${KPI_FACT_NAMES.join(', ')})
       SELECT t.tenant_id, t.id, f.* FROM tenants n JOIN tickets t ON t.tenant_id = n.id, ${kpiFactsOf('t', 'n.timezone')} f WHERE n.id = $1 AND t.tenant_id = $1`,
      [tenantId],
    );
    await manager.query(
      `INSERT INTO kpi_daily (tenant_id, dim, day, value, ${COUNTERS.join(', ')})
       SELECT $1::uuid, e.dim, e.day, e.value, ${SUMS} FROM kpi_ticket_facts s, ${kpiExpansionOf('kpi_expand', 's', '1')} e WHERE s.tenant_id = $1 GROUP BY 2, 3, 4`,
      [tenantId],
    );
    await manager.query(
      `INSERT INTO kpi_daily_histograms (tenant_id, dim, day, value, metric, bucket, count)
       SELECT $1::uuid, h.dim, h.day, h.value, h.metric, h.bucket, sum(h.count) FROM kpi_ticket_facts s, ${kpiExpansionOf('kpi_histogram_rows', 's', '1')} h WHERE s.tenant_id = $1 GROUP BY 2, 3, 4, 5, 6`,
      [tenantId],
    );
  });
}
