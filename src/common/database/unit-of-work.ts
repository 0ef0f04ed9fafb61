import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { beginTenantTransaction, endTransaction, OpenTransaction } from './tenant-transactions';

/**
 * One GraphQL request's transaction: opened with the request's first statement (BEGIN and the
 * store settings ride in front of it), shared by every resolver and DataLoader batch of the request, and
 * committed once before the response leaves (see unitOfWorkPlugin).
 *
 * A query's unit is READ ONLY; a write inside it (a lazily seeded settings row) runs in a
 * transaction of its own. A mutation's unit is read-write: its first write runs in the request's
 * transaction itself, later ones inside a savepoint each, so a failing mutation field undoes only
 * its own writes. When the first write fails the whole transaction rolls back (it held nothing
 * else worth keeping) and the next statement opens a fresh one.
 *
 * `allOrNothing` (a channel webhook's batch, answered only once all of it is stored): no
 * savepoints; a failing write rolls everything back and the unit refuses further work.
 */
export class UnitOfWork {
  private transaction?: OpenTransaction;
  private opening?: Promise<QueryRunner>;
  private tenantId?: string;
  /** A write has succeeded in the open transaction: the next one needs a savepoint. */
  private holdsWrites = false;
  private finished = false;
  /** Set when an all-or-nothing unit lost its transaction: nothing more may be done in it. */
  private failure?: unknown;

  constructor(
    private readonly dataSource: DataSource,
    readonly writable: boolean,
    private readonly allOrNothing = false,
  ) {}

  async read<T>(tenantId: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return work((await this.open(tenantId)).manager);
  }

  async write<T>(tenantId: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const runner = await this.open(tenantId);
    const savepoint = this.holdsWrites && !this.allOrNothing;
    if (savepoint) await runner.startTransaction();
    try {
      const result = await work(runner.manager);
      if (savepoint) await runner.commitTransaction();
      this.holdsWrites = true;
      return result;
    } catch (error) {
      if (savepoint) {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
      } else {
        await this.close(false);
        if (this.allOrNothing) this.failure = error;
      }
      throw error;
    }
  }

  /** Commits (or rolls back) what the request did and returns the connection; a commit's error is thrown to the caller. */
  async finish(commit: boolean): Promise<void> {
    this.finished = true;
    await this.close(commit);
  }

  private open(tenantId: string): Promise<QueryRunner> {
    if (this.finished) throw new Error('The request has already finished its unit of work');
    if (this.failure) throw this.failure;
    if (this.tenantId && this.tenantId !== tenantId) throw new Error('One request works for one store');
    this.tenantId = tenantId;
    const open = this.transaction?.runner;
    if (open?.isTransactionActive) return Promise.resolve(open);
    this.opening ??= (async () => {
      const runner = this.dataSource.createQueryRunner();
      try {
        this.transaction = await beginTenantTransaction(runner, tenantId, { readOnly: !this.writable });
      } catch (error) {
        await runner.release();
        throw error;
      }
      return runner;
    })().finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async close(commit: boolean): Promise<void> {
    const opening = this.opening;
    if (opening) await opening.catch(() => undefined);
    const transaction = this.transaction;
    this.transaction = undefined;
    this.holdsWrites = false;
    if (!transaction) return;
    try {
      await endTransaction(transaction, commit ? 'commit' : 'rollback');
    } finally {
      await transaction.runner.release();
    }
  }
}
