import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager, EntitySubscriberInterface, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';

const AFTER_COMMIT = 'rida.afterCommit';

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

  afterTransactionCommit({ queryRunner }: TransactionCommitEvent): void {
    if (queryRunner.isTransactionActive) return; // a savepoint was released; the outer transaction decides
    const data = queryRunner.data as Record<string, unknown>;
    const hooks = (data[AFTER_COMMIT] ?? []) as Hook[];
    delete data[AFTER_COMMIT];
    for (const hook of hooks) void Promise.resolve().then(hook).catch((error: Error) => this.logger.error(`After-commit work failed: ${error.message}`));
  }

  afterTransactionRollback({ queryRunner }: TransactionRollbackEvent): void {
    if (!queryRunner.isTransactionActive) delete (queryRunner.data as Record<string, unknown>)[AFTER_COMMIT];
  }
}
