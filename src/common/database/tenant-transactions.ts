import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { RequestContext } from '../request-context';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The only way services touch tenant data. Each unit of work runs in a transaction as the
 * `rida_app` role with `app.tenant_id` set for that transaction only, so PostgreSQL's row-level
 * security hides every other store even from a query that forgot its tenant filter, and nothing
 * lingers on the pooled connection afterwards.
 */
@Injectable()
export class TenantTransactions {
  constructor(private readonly dataSource: DataSource) {}

  /** A read-write transaction for the caller's store. */
  run<T>(ctx: RequestContext, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT set_config('role', 'rida_app', true), set_config('app.tenant_id', $1, true)`, [ctx.tenantId]);
      return work(manager);
    });
  }

  /**
   * Reads for one store. BEGIN and the settings travel in one round trip (the tenant id is a
   * checked UUID, so it can be inlined), then the reads, then COMMIT. `snapshot` makes all reads
   * see one moment (REPEATABLE READ), for answers assembled from several statements.
   */
  async read<T>(tenantId: string, work: (manager: EntityManager) => Promise<T>, options: { snapshot?: boolean } = {}): Promise<T> {
    if (!UUID.test(tenantId)) throw new Error(`Not a tenant id: ${tenantId}`);
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`BEGIN ${options.snapshot ? 'ISOLATION LEVEL REPEATABLE READ ' : ''}READ ONLY; SELECT set_config('role', 'rida_app', true), set_config('app.tenant_id', '${tenantId}', true)`);
      try {
        const result = await work(runner.manager);
        await runner.query('COMMIT');
        return result;
      } catch (error) {
        await runner.query('ROLLBACK');
        throw error;
      }
    } finally {
      await runner.release();
    }
  }
}
