import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Inside an AllStores transaction: one store's part of the work, as that store (row-level security on). */
export type AsStore = <T>(tenantId: string, work: (manager: EntityManager) => Promise<T>) => Promise<T>;

/** A session advisory lock held on a connection of its own until released. */
export interface HeldLock {
  release(): Promise<void>;
}

/**
 * The door for the little work that truly spans stores, as the owner role, so row-level security
 * does not apply: sweeps that find due rows in every store, finding an API key by its prefix or a
 * store by its slug before the caller's store is known, the schema and the seeder, the job queue's
 * and event bus's connections, operational gauges. Everything else goes through
 * TenantTransactions. Each caller says at the call why its work cannot be done for one store;
 * when it can be split, the cross-store part only finds rows and the rest runs per store (`asStore`).
 */
@Injectable()
export class AllStores {
  constructor(private readonly dataSource: DataSource) {}

  /** One statement across stores, on a pooled connection outside any transaction. */
  query<T = any>(sql: string, parameters?: unknown[]): Promise<T> {
    return this.dataSource.query(sql, parameters);
  }

  /** Statements across stores, outside a transaction (each on a pooled connection of its own). */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return work(this.dataSource.manager);
  }

  /**
   * A transaction across stores. `asStore` runs a part of it as one store (the `rida_app` role and
   * `app.tenant_id` set, then reset), in the same transaction: row locks taken by the cross-store
   * part (a FOR UPDATE SKIP LOCKED claim) hold until its COMMIT.
   */
  transaction<T>(work: (manager: EntityManager, asStore: AsStore) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(manager, (tenantId, storeWork) => asStore(manager, tenantId, storeWork)));
  }

  /** Takes `key`'s session advisory lock if no one holds it (null when someone does). */
  tryLock(key: string): Promise<HeldLock | null> {
    return this.sessionLock(key, false);
  }

  /** Waits for `key`'s session advisory lock. */
  async lock(key: string): Promise<HeldLock> {
    return (await this.sessionLock(key, true))!;
  }

  /** The connection pool, for clients that speak to PostgreSQL themselves (pg-boss, LISTEN/NOTIFY). */
  pool(): Pool {
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }

  /** Hears every transaction's begin, commit and rollback (hooks that write or publish at COMMIT). */
  watchTransactions(subscriber: EntitySubscriberInterface): void {
    this.dataSource.subscribers.push(subscriber);
  }

  /** The same hash as `pg_advisory_lock(hashtext(key))` everywhere else, so instances agree. */
  private async sessionLock(key: string, wait: boolean): Promise<HeldLock | null> {
    const runner: QueryRunner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      const [{ locked }] = await runner.query(wait ? `SELECT true AS locked, pg_advisory_lock(hashtext($1))` : `SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [key]);
      if (!locked) {
        await runner.release();
        return null;
      }
    } catch (error) {
      await runner.release();
      throw error;
    }
    return {
      release: async () => {
        try {
          await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [key]);
        } finally {
          await runner.release();
        }
      },
    };
  }
}

async function asStore<T>(manager: EntityManager, tenantId: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (!UUID.test(tenantId)) throw new Error(`Not a tenant id: ${tenantId}`);
  await manager.query(`SELECT set_config('role', 'rida_app', true), set_config('app.tenant_id', $1, true)`, [tenantId]);
  let result: T;
  try {
    result = await work(manager);
  } catch (error) {
    // A failed statement has aborted the transaction (nothing more runs in it), or the work caught
    // its own failure and the transaction goes on: then it must go on as the owner again.
    await manager.query(`SELECT set_config('role', 'none', true), set_config('app.tenant_id', '', true)`).catch(() => undefined);
    throw error;
  }
  await manager.query(`SELECT set_config('role', 'none', true), set_config('app.tenant_id', '', true)`);
  return result;
}
