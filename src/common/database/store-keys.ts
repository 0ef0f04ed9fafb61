import type { Statement } from './batch';

/** The global values a request may start from before its store is known. */
export type StoreKeyKind = 'API_KEY' | 'REFRESH_TOKEN' | 'PASSWORD_RESET' | 'MESSAGING_CHANNEL' | 'CHAT_CHANNEL' | 'STORE_PLATFORM_CONNECTION';

/**
 * Records which store a global value belongs to, in the transaction that creates it (store_keys:
 * one row per value, unique across stores; see AllStores.storeOf). Run as the store: row-level
 * security lets a store write only its own keys.
 */
export function storeKeyStatement(kind: StoreKeyKind, key: string, tenantId: string): Statement {
  return { sql: `INSERT INTO store_keys (kind, key, store_id) VALUES ($1, $2, $3)`, parameters: [kind, key, tenantId] };
}

/** Forgets a value whose row is gone, in the transaction that deletes the row. */
export function forgetStoreKeyStatement(kind: StoreKeyKind, key: string): Statement {
  return { sql: `DELETE FROM store_keys WHERE kind = $1 AND key = $2`, parameters: [kind, key] };
}

/** How a hashed secret is kept in store_keys. */
export function storeKeyOfHash(hash: Buffer): string {
  return hash.toString('hex');
}
