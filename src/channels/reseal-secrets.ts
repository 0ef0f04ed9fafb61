import { SecretBox, SecretUnreadable } from '../common/crypto/secret-box';
import type { AllStores } from '../common/database/all-stores';
import type { TenantTransactions } from '../common/database/tenant-transactions';
import { chatChannelSecretLabel } from './chat/chat-channels.service';
import { mailboxSecretLabel } from './email/mailboxes.service';
import { channelSecretLabel } from './messaging/messaging-channels.service';
import { secretLabel as webhookSecretLabel } from './webhooks/webhooks.service';
import { storePlatformSecretLabel } from './store-platforms/store-platforms.service';

/** Every column holding a sealed secret, with what its value is bound to. A new sealed column belongs here. */
const SEALED_COLUMNS: ReadonlyArray<{ table: string; column: string; boundTo: (id: string) => string }> = [
  { table: 'mailboxes', column: 'imap_password', boundTo: (id) => mailboxSecretLabel(id, 'imap') },
  { table: 'mailboxes', column: 'imap_access_token', boundTo: (id) => mailboxSecretLabel(id, 'imap-token') },
  { table: 'mailboxes', column: 'smtp_password', boundTo: (id) => mailboxSecretLabel(id, 'smtp') },
  { table: 'mailboxes', column: 'smtp_access_token', boundTo: (id) => mailboxSecretLabel(id, 'smtp-token') },
  { table: 'messaging_channels', column: 'secrets', boundTo: channelSecretLabel },
  { table: 'webhook_endpoints', column: 'secret', boundTo: webhookSecretLabel },
  { table: 'chat_channels', column: 'identity_secret', boundTo: chatChannelSecretLabel },
  { table: 'store_platform_connections', column: 'secrets', boundTo: storePlatformSecretLabel },
];

export interface ResealReport {
  /** Rows whose secrets were sealed again under the current key. */
  resealed: number;
  /** Rows already sealed under the current key (a second run finds only these). */
  current: number;
  /** Secrets no configured key opens: their owners must enter them again. */
  unreadable: Array<{ table: string; column: string; tenantId: string; id: string }>;
}

/**
 * Moves every stored secret to SECRETS_KEY after a rotation, so the keys in SECRETS_KEY_PREVIOUS
 * can be dropped. One transaction per row, the row locked while it is re-sealed, so a running
 * server may keep updating secrets meanwhile; a row already under the current key is left alone.
 * Cross-store by nature (an operator's command): the rows are listed over all stores, then each is
 * changed as the app role inside its own store.
 */
export async function resealSecrets({ allStores, tenants }: { allStores: AllStores; tenants: TenantTransactions }, box: SecretBox): Promise<ResealReport> {
  const report: ResealReport = { resealed: 0, current: 0, unreadable: [] };
  for (const table of [...new Set(SEALED_COLUMNS.map((c) => c.table))]) {
    const columns = SEALED_COLUMNS.filter((c) => c.table === table);
    // Across stores: an operator's command lists every store's rows, then changes each as its store.
    const rows: Array<{ tenant_id: string; id: string }> = await allStores.query(`SELECT tenant_id, id FROM ${table} ORDER BY tenant_id, id`);
    for (const { tenant_id: tenantId, id } of rows) {
      await tenants.run(tenantId, async (m) => {
        const [row] = await m.query(`SELECT ${columns.map((c) => c.column).join(', ')} FROM ${table} WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [tenantId, id]);
        if (!row) return; // removed meanwhile
        const changed: Array<[string, Buffer]> = [];
        let unreadable = false;
        for (const { column, boundTo } of columns) {
          const sealed = row[column] as Buffer | null;
          if (!sealed) continue;
          try {
            const resealed = box.resealed(sealed, boundTo(id));
            if (resealed) changed.push([column, resealed]);
          } catch (error) {
            if (!(error instanceof SecretUnreadable)) throw error;
            report.unreadable.push({ table, column, tenantId, id });
            unreadable = true;
          }
        }
        if (changed.length === 0) {
          if (!unreadable) report.current++;
          return;
        }
        await m.query(`UPDATE ${table} SET ${changed.map(([column], i) => `${column} = $${i + 3}`).join(', ')} WHERE tenant_id = $1 AND id = $2`, [tenantId, id, ...changed.map(([, value]) => value)]);
        report.resealed++;
      });
    }
  }
  return report;
}
