import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import PgBoss from 'pg-boss';
import type { PoolClient } from 'pg';
import type { EntityManager } from 'typeorm';
import { AllStores } from '../database/all-stores';

export type JobHandler<T> = (job: PgBoss.JobWithMetadata<T>) => Promise<void>;

/**
 * Durable jobs on PostgreSQL (pg-boss, schema "pgboss", installed by migration): retries with
 * back-off, delays, one worker per job across instances. Jobs are enqueued inside the caller's
 * transaction, so a job exists exactly when the change that asked for it was committed.
 */
@Injectable()
export class JobQueue implements BeforeApplicationShutdown {
  private readonly boss: PgBoss;
  private started?: Promise<unknown>;
  private readonly queues = new Set<string>();
  private creating: Promise<unknown> = Promise.resolve();
  private readonly logger = new Logger(JobQueue.name);

  constructor(allStores: AllStores) {
    // Across stores: one queue serves every store; jobs carry their store and their handlers work through the door.
    const pool = allStores.pool();
    this.boss = new PgBoss({ db: { executeSql: (text, values) => pool.query(text, values) }, schema: 'pgboss', migrate: false, schedule: false });
    this.boss.on('error', (error) => this.logger.error(error instanceof Error ? error.stack : String(error)));
  }

  private start(): Promise<unknown> {
    this.started ??= this.boss.start();
    return this.started;
  }

  /**
   * Creates the queue once. Creation is DDL (pg-boss partitions its job table per queue), so it is
   * serialised on this instance and retried when another instance's creation deadlocks with it.
   */
  queue(name: string, options: Omit<PgBoss.Queue, 'name'> = {}): Promise<void> {
    if (this.queues.has(name)) return Promise.resolve();
    const created = this.creating.then(async () => {
      await this.start();
      if (this.queues.has(name)) return;
      for (let attempt = 1; ; attempt++) {
        try {
          await this.boss.createQueue(name, { name, ...options });
          break;
        } catch (error) {
          if ((error as { code?: string }).code !== '40P01' || attempt === 5) throw error;
          await new Promise((r) => setTimeout(r, 50 * attempt));
        }
      }
      this.queues.add(name);
    });
    this.creating = created.catch(() => undefined);
    return created;
  }

  /** Enqueues in the transaction of `manager` (commits and rolls back with it). */
  async send<T extends object>(manager: EntityManager, name: string, data: T, options: PgBoss.SendOptions = {}): Promise<void> {
    await this.queue(name);
    await this.boss.send(name, data, { ...options, db: await inTransaction(manager) });
  }

  /** Enqueues several jobs of `name` in one statement, in the transaction of `manager`. */
  async sendMany<T extends object>(manager: EntityManager, name: string, jobs: Array<{ data: T; startAfter?: Date }>): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue(name);
    await this.boss.insert(
      jobs.map((job) => ({ name, data: job.data, startAfter: job.startAfter })),
      { db: await inTransaction(manager) },
    );
  }

  /** Runs `handler` for each job of `name` on this instance; a throw retries it per the queue's policy. */
  /** `concurrency` workers each fetch and run jobs one batch at a time (pg-boss 10 has one worker per work() call). */
  async work<T extends object>(name: string, handler: JobHandler<T>, options: { batchSize?: number; pollingIntervalSeconds?: number; concurrency?: number } = {}): Promise<void> {
    await this.queue(name);
    for (let i = 0; i < (options.concurrency ?? 1); i++) {
      await this.boss.work<T>(name, { includeMetadata: true, batchSize: options.batchSize ?? 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 }, async (jobs) => {
        for (const job of jobs) {
          try {
            await handler(job);
          } catch (error) {
            // pg-boss keeps the error on the job and retries it; say so where operators look.
            this.logger.error(`Job ${name} ${job.id} failed (attempt ${job.retryCount + 1}): ${error instanceof Error ? error.message : String(error)}`);
            throw error;
          }
        }
      });
    }
  }

  /**
   * Before any module's shutdown: the workers share TypeORM's pool, which closes in its own
   * shutdown hook, so running jobs must finish (or be released) while it is still open.
   */
  async beforeApplicationShutdown() {
    if (this.started) await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }
}

/** pg-boss statements on the connection of `manager`'s transaction. */
async function inTransaction(manager: EntityManager): Promise<PgBoss.Db> {
  const client = (await manager.queryRunner!.connect()) as PoolClient;
  return { executeSql: (text, values) => client.query(text, values) };
}
