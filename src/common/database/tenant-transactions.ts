import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { UnitOfWork } from './unit-of-work';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whose data a unit of work touches: a request's context (which may carry its unit of work), or a bare store id for work no request asked for. */
export type TenantScope = string | { tenantId: string; unitOfWork?: UnitOfWork };

/**
 * Opens a transaction for one store on `runner` in ONE round trip: BEGIN, the `rida_app` role and
 * `app.tenant_id` travel as one multi-statement simple query (the store id is a checked UUID, so it
 * can be inlined). TypeORM's own startTransaction would spend two more round trips (BEGIN, then
 * the settings); its bookkeeping (depth, commit/rollback events that the ticket event stream
 * listens to) is kept exactly as startTransaction leaves it, so commitTransaction,
 * rollbackTransaction and savepoints work unchanged.
 */
export async function beginTenantTransaction(runner: QueryRunner, tenantId: string, options: { readOnly?: boolean; snapshot?: boolean } = {}): Promise<void> {
  if (!UUID.test(tenantId)) throw new Error(`Not a tenant id: ${tenantId}`);
  const internals = runner as unknown as { isTransactionActive: boolean; transactionDepth: number; broadcaster: { broadcast(event: string): Promise<void> } };
  if (runner.isTransactionActive) throw new Error('A tenant transaction is already open on this connection');
  internals.isTransactionActive = true;
  try {
    await internals.broadcaster.broadcast('BeforeTransactionStart');
    await runner.query(
      `BEGIN${options.snapshot ? ' ISOLATION LEVEL REPEATABLE READ' : ''}${options.readOnly ? ' READ ONLY' : ''}; ` +
        `SELECT set_config('role', 'rida_app', true), set_config('app.tenant_id', '${tenantId}', true)`,
    );
  } catch (error) {
    internals.isTransactionActive = false;
    throw error;
  }
  internals.transactionDepth = 1;
  await internals.broadcaster.broadcast('AfterTransactionStart');
}

/**
 * The only way services touch tenant data. Each unit of work runs in a transaction as the
 * `rida_app` role with `app.tenant_id` set for that transaction only, so PostgreSQL's row-level
 * security hides every other store even from a query that forgot its tenant filter, and nothing
 * lingers on the pooled connection afterwards.
 *
 * Inside a GraphQL request the context carries the request's unit of work: reads, DataLoader
 * batches and (in a mutation) writes all run in its one transaction. Elsewhere (REST, jobs, sweeps)
 * each call is a transaction of its own.
 */
@Injectable()
export class TenantTransactions {
  constructor(private readonly dataSource: DataSource) {}

  /** A GraphQL request's unit of work (see UnitOfWork); `writable` for mutations. */
  unitOfWork(writable: boolean): UnitOfWork {
    return new UnitOfWork(this.dataSource, writable);
  }

  /** A read-write transaction for the caller's store. */
  run<T>(scope: TenantScope, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const { tenantId, unitOfWork } = scopeOf(scope);
    if (unitOfWork?.writable) return unitOfWork.write(tenantId, work);
    return this.transaction(tenantId, {}, work);
  }

  /**
   * Reads for one store. `snapshot` makes all reads see one moment (REPEATABLE READ), for answers
   * assembled from several statements; it always runs in a transaction of its own.
   */
  read<T>(scope: TenantScope, work: (manager: EntityManager) => Promise<T>, options: { snapshot?: boolean } = {}): Promise<T> {
    const { tenantId, unitOfWork } = scopeOf(scope);
    if (unitOfWork && !options.snapshot) return unitOfWork.read(tenantId, work);
    return this.transaction(tenantId, { readOnly: true, snapshot: options.snapshot }, work);
  }

  private async transaction<T>(tenantId: string, options: { readOnly?: boolean; snapshot?: boolean }, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await beginTenantTransaction(runner, tenantId, options);
      try {
        const result = await work(runner.manager);
        await runner.commitTransaction();
        return result;
      } catch (error) {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        throw error;
      }
    } finally {
      await runner.release();
    }
  }
}

function scopeOf(scope: TenantScope): { tenantId: string; unitOfWork?: UnitOfWork } {
  return typeof scope === 'string' ? { tenantId: scope } : scope;
}

/** The store a scope is for. */
export function tenantOf(scope: TenantScope): string {
  return typeof scope === 'string' ? scope : scope.tenantId;
}
