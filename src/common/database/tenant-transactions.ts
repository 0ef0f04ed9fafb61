import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { isCitus } from './citus';
import { TRANSACTION_START } from './batch';
import { DeferringClient, Opening, PgClient, StatementQueue } from './statement-queue';
import { UnitOfWork } from './unit-of-work';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whose data a unit of work touches: a request's context (which may carry its unit of work), or a bare store id for work no request asked for. */
export type TenantScope = string | { tenantId: string; unitOfWork?: UnitOfWork };

interface RunnerInternals {
  isTransactionActive: boolean;
  transactionDepth: number;
  broadcaster: { broadcast(event: string): Promise<void> };
}

function openingStatements(tenantId: string, options: { readOnly?: boolean; snapshot?: boolean }, citus: boolean): Opening {
  if (!UUID.test(tenantId)) throw new Error(`Not a tenant id: ${tenantId}`);
  // SET LOCAL, not set_config(): Citus passes SET LOCAL on to the workers a transaction touches
  // (citus.propagate_set_commands = 'local'), and never a value set by a function. Each SET is one
  // result of the simple query, which the StatementQueue slices off (`results`).
  const settings = ['SET LOCAL role rida_app', `SET LOCAL app.tenant_id = '${tenantId}'`];
  // Plain reads: the settings (read only among them) in front of every round trip, no BEGIN (see StatementQueue).
  if (options.readOnly && !options.snapshot && !citus) {
    const text = [...settings, 'SET LOCAL transaction_read_only = on'];
    return { text: text.join('; '), results: text.length, everyTrip: true };
  }
  const text = [
    `BEGIN${options.snapshot ? ' ISOLATION LEVEL REPEATABLE READ' : ''}${options.readOnly ? ' READ ONLY' : ''}`,
    ...settings,
    // lock_timeout: work that waits on a row its own request holds (a transaction of its own opened
    // inside a unit of work) fails after 30 s instead of hanging its request for ever.
    "SET LOCAL lock_timeout = '30s'",
    // A write's now(), which every default of its rows takes: rows written without RETURNING are
    // known as stored (see transactionStart).
    ...(options.readOnly ? [] : [TRANSACTION_START]),
  ];
  return { text: text.join('; '), results: text.length, everyTrip: false, alone: citus, answersStart: !options.readOnly };
}

/**
 * Opens a transaction for one store on `runner` with no round trip of its own: BEGIN, the
 * `rida_app` role and `app.tenant_id` (a checked UUID, so it can be inlined) ride in front of the
 * transaction's first statement, as one simple query whose parameters are written as the literals
 * pg would send (see batch). TypeORM's own startTransaction would spend two round trips (BEGIN,
 * then the settings) before any work. Its bookkeeping (depth, the commit and rollback events the
 * ticket event stream listens to) is kept exactly as startTransaction leaves it, so
 * commitTransaction, rollbackTransaction and savepoints work unchanged.
 *
 * End it with endTransaction, which knows whether anything reached the server (when nothing did,
 * there is nothing to commit or roll back, and the connection must go back to the pool as pg made
 * it, not still carrying our opening statements for its next user).
 */
export async function beginTenantTransaction(runner: QueryRunner, tenantId: string, options: { readOnly?: boolean; snapshot?: boolean } = {}): Promise<OpenTransaction> {
  const opening = openingStatements(tenantId, options, await isCitus(runner.connection));
  const internals = runner as unknown as RunnerInternals;
  if (runner.isTransactionActive) throw new Error('A tenant transaction is already open on this connection');
  const client = (await runner.connect()) as PgClient;
  const send = client.query;
  const queue = new StatementQueue(client, send, opening, Boolean(options.readOnly));
  client.query = ((text: string, values?: unknown[]) => queue.enqueue(text, values)) as PgClient['query'];
  (client as DeferringClient).runStatements = (statements) => queue.enqueueStatements(statements);
  if (!options.readOnly) {
    (client as DeferringClient).transactionStart = () => queue.transactionStart();
    (client as DeferringClient).defer = (statement, options) => queue.defer(statement, options);
    (client as DeferringClient).deferForRows = (statements, stored) => queue.deferForRows(statements, stored);
  }
  internals.isTransactionActive = true;
  try {
    await internals.broadcaster.broadcast('BeforeTransactionStart');
  } catch (error) {
    forgetQueue(client, send);
    internals.isTransactionActive = false;
    throw error;
  }
  internals.transactionDepth = 1;
  await internals.broadcaster.broadcast('AfterTransactionStart');
  return { runner, reachedServer: () => queue.reachedServer, forget: () => forgetQueue(client, send) };
}

function forgetQueue(client: PgClient, send: PgClient['query']) {
  client.query = send;
  delete (client as DeferringClient).defer;
  delete (client as DeferringClient).deferForRows;
  delete (client as DeferringClient).runStatements;
  delete (client as DeferringClient).transactionStart;
}

/** A transaction begun by beginTenantTransaction. */
export interface OpenTransaction {
  runner: QueryRunner;
  reachedServer(): boolean;
  /** Gives the connection back its own query method (the opening statements and the ordering off it). */
  forget(): void;
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

  /** A GraphQL request's unit of work (see UnitOfWork); `writable` for mutations, `allOrNothing` for a webhook's batch. */
  unitOfWork(writable: boolean, options: { allOrNothing?: boolean } = {}): UnitOfWork {
    return new UnitOfWork(this.dataSource, writable, options.allOrNothing);
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
      const transaction = await beginTenantTransaction(runner, tenantId, options);
      try {
        const result = await work(runner.manager);
        await endTransaction(transaction, 'commit');
        return result;
      } catch (error) {
        await endTransaction(transaction, 'rollback');
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

/** Commits or rolls back; a transaction that never reached the server only has its bookkeeping closed. */
export async function endTransaction({ runner, reachedServer, forget }: OpenTransaction, outcome: 'commit' | 'rollback'): Promise<void> {
  if (!reachedServer()) {
    forget();
    if (!runner.isTransactionActive) return;
    const internals = runner as unknown as RunnerInternals;
    internals.isTransactionActive = false;
    internals.transactionDepth = 0;
    return;
  }
  try {
    if (!runner.isTransactionActive) return;
    if (outcome === 'commit') await runner.commitTransaction();
    else await runner.rollbackTransaction();
  } finally {
    forget(); // the connection goes back to the pool as pg made it
  }
}
