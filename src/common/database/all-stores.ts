import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { isCitus } from './citus';
import type { StoreKeyKind } from './store-keys';

/** How many store_keys answers an instance keeps (a few hundred KB). */
const STORE_KEYS_KEPT = 10_000;

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
 * the cross-store part only finds stores or rows and takes no row locks (on Citus a row lock holds
 * in a single-shard query only); the rest runs per store through TenantTransactions. There is no
 * transaction across stores.
 */
@Injectable()
export class AllStores {
  /** store_keys answers already read (see storeOf), oldest first. */
  private readonly storeKeys = new Map<string, string>();

  constructor(private readonly dataSource: DataSource) {}

  /** Whether the stores are spread over a Citus cluster (see isCitus): a few cross-store look-ups are written for it. */
  distributed(): Promise<boolean> {
    return isCitus(this.dataSource);
  }

  /** One statement across stores, on a pooled connection outside any transaction. */
  query<T = any>(sql: string, parameters?: unknown[]): Promise<T> {
    return this.dataSource.query(sql, parameters);
  }

  /** Statements across stores, outside a transaction (each on a pooled connection of its own). */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return work(this.dataSource.manager);
  }

  /**
   * The store a global value belongs to (an API key's prefix, a token's hash, a webhook's channel
   * id …), from store_keys: a small table kept on every node (a Citus reference table), so the
   * look-up needs no shard, and the rest of the work then goes to the one store's shard.
   */
  async storeOf(kind: StoreKeyKind, key: string): Promise<string | null> {
    const cacheKey = `${kind}:${key}`;
    const cached = this.storeKeys.get(cacheKey);
    if (cached) return cached;
    const [row]: Array<{ store_id: string }> = await this.dataSource.query(`SELECT store_id FROM store_keys WHERE kind = $1 AND key = $2`, [kind, key]);
    if (!row) return null; // not cached: the value may be created on another instance a moment later
    // A value belongs to one store for as long as it exists (ids and hashes are never reused), so
    // the answer can be kept; once the row is deleted, the store's own look-up finds nothing. Tokens
    // are looked up about once each: not worth keeping.
    if (kind !== 'REFRESH_TOKEN' && kind !== 'PASSWORD_RESET') {
      if (this.storeKeys.size >= STORE_KEYS_KEPT) this.storeKeys.delete(this.storeKeys.keys().next().value!);
      this.storeKeys.set(cacheKey, row.store_id);
    }
    return row.store_id;
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
