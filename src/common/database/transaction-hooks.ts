import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager, EntitySubscriberInterface, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';

const AFTER_COMMIT = 'rida.afterCommit';
const AFTER_END = 'rida.afterEnd';

type Hook = () => Promise<void> | void;

/**
 * Work that must wait until a transaction has committed (telling other instances about a change
 * through a transport that cannot travel inside the transaction). Dropped when the transaction
 * rolls back; a failing hook is logged, never its transaction's caller's error.
 */
@Injectable()
export class TransactionHooks implements EntitySubscriberInterface, OnModuleInit {
  private readonly logger = new Logger(TransactionHooks.name);

  constructor(private readonly dataSource: DataSource) {}

  onModuleInit() {
    this.dataSource.subscribers.push(this);
  }

  /** Runs `hook` once the transaction of `manager` has committed (at once when there is none). */
  async afterCommit(manager: EntityManager, hook: Hook): Promise<void> {
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) return void (await hook());
    (((runner.data as Record<string, unknown>)[AFTER_COMMIT] ??= []) as Hook[]).push(hook);
  }

  /** Runs `hook` once the transaction of `manager` has ended, committed or rolled back (at once when there is none). */
  async afterEnd(manager: EntityManager, hook: Hook): Promise<void> {
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) return void (await hook());
    (((runner.data as Record<string, unknown>)[AFTER_END] ??= []) as Hook[]).push(hook);
  }

  afterTransactionCommit({ queryRunner }: TransactionCommitEvent): void {
    if (queryRunner.isTransactionActive) return; // a savepoint was released; the outer transaction decides
    this.run(queryRunner.data as Record<string, unknown>, [AFTER_COMMIT, AFTER_END]);
  }

  afterTransactionRollback({ queryRunner }: TransactionRollbackEvent): void {
    if (queryRunner.isTransactionActive) return; // back to a savepoint; the outer transaction decides
    const data = queryRunner.data as Record<string, unknown>;
    delete data[AFTER_COMMIT];
    this.run(data, [AFTER_END]);
  }

  private run(data: Record<string, unknown>, keys: string[]): void {
    for (const key of keys) {
      const hooks = (data[key] ?? []) as Hook[];
      delete data[key];
      for (const hook of hooks)
        void Promise.resolve()
          .then(hook)
          .catch((error: Error) => this.logger.error(`After-transaction work failed: ${error.message}`));
    }
  }
}
