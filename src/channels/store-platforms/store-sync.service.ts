import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AppConfig } from '../../common/config/app-config';
import { TenantTransactions } from '../../common/database/tenant-transactions';
import { badInput, DomainError } from '../../common/errors/domain-error';
import type { RequestContext } from '../../common/request-context';
import { StorePlatform, StorePlatformConnection } from './entities/store-platform-connection.entity';
import { PlatformDelivery, readSallaWebhook, readShopifyOrderSnapshot, readZidWebhook } from './platform-readers';
import { StorePlatformSecrets, StorePlatformsService } from './store-platforms.service';

export interface SyncProgress {
  pages: number;
  orders: number;
  recorded: number;
  /** The platform's count of orders to read, when it says. */
  total: number | null;
}

interface Page {
  orders: unknown[];
  next: string | null;
  total: number | null;
}

const PAGE_SIZE = 50;
const SHOPIFY_API_VERSION = '2025-01';

/**
 * Backfills: the last N days of orders through the platform's REST API (Salla's and Zid's page
 * numbers, Shopify's Link header), each order mapped as a webhook would be and ingested under a
 * key made of its id and state, so running it again records nothing new. Late deliveries set
 * nothing in motion (the automations' grace rule), and no promise is awaited for old orders.
 */
@Injectable()
export class StoreSyncService {
  constructor(
    private readonly platforms: StorePlatformsService,
    private readonly db: TenantTransactions,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(StoreSyncService.name);
  }

  /** An admin's backfill of their store's connection. */
  async sync(ctx: RequestContext, connectionId: string, days: number, onProgress?: (progress: SyncProgress) => void): Promise<SyncProgress> {
    const connection = await this.platforms.get(ctx, connectionId);
    return this.run({ connection, ctx }, days, onProgress);
  }

  /** The operator's backfill (`store:sync`): the connection found by id across stores, then the work as its store. */
  async syncById(connectionId: string, days: number, onProgress?: (progress: SyncProgress) => void): Promise<SyncProgress> {
    const target = await this.platforms.forWebhook(connectionId);
    return this.run(target, days, onProgress);
  }

  private async run(target: { connection: StorePlatformConnection; ctx: RequestContext }, days: number, onProgress?: (progress: SyncProgress) => void): Promise<SyncProgress> {
    const { connection, ctx } = target;
    const secrets = this.platforms.secretsOf(connection);
    if (!secrets.apiToken) throw badInput('This connection has no API token: connect it again with apiToken to pull past orders', { apiToken: ['required for a backfill'] });
    const since = new Date(Date.now() - days * 86_400_000);
    const progress: SyncProgress = { pages: 0, orders: 0, recorded: 0, total: null };
    let url: string | null = this.firstPage(connection, since);
    try {
      while (url) {
        const page = await this.readPage(connection, secrets, url, progress.pages + 1);
        progress.pages++;
        progress.total = page.total ?? progress.total;
        for (const order of page.orders) {
          const delivery = this.mapOrder(connection, order, ctx.tenantTimezone);
          if (!delivery) continue;
          const result = await this.platforms.ingest(target, delivery, { backfill: true });
          progress.orders++;
          if (!result.duplicate) progress.recorded++;
        }
        onProgress?.({ ...progress });
        url = page.next;
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.db.run(ctx, (m) => m.query(`UPDATE store_platform_connections SET last_error = $3 WHERE tenant_id = $1 AND id = $2`, [ctx.tenantId, connection.id, message.slice(0, 1000)]));
      throw error;
    }
    await this.db.run(ctx, (m) => m.query(`UPDATE store_platform_connections SET last_sync_at = now(), last_error = NULL WHERE tenant_id = $1 AND id = $2`, [ctx.tenantId, connection.id]));
    this.logger.info({ tenantId: ctx.tenantId, connectionId: connection.id, ...progress }, 'Store platform backfill done');
    return progress;
  }

  private firstPage(connection: StorePlatformConnection, since: Date): string {
    const day = since.toISOString().slice(0, 10);
    switch (connection.platform) {
      case StorePlatform.SALLA:
        return `${this.config.SALLA_API_BASE_URL.replace(/\/+$/, '')}/orders?from_date=${day}&per_page=${PAGE_SIZE}&page=1`;
      case StorePlatform.ZID:
        return `${this.config.ZID_API_BASE_URL.replace(/\/+$/, '')}/managers/store/orders?date_from=${day}&per_page=${PAGE_SIZE}&page=1`;
      case StorePlatform.SHOPIFY: {
        const base = (this.config.SHOPIFY_API_BASE_URL ?? `https://${connection.accountId}`).replace(/\/+$/, '');
        return `${base}/admin/api/${SHOPIFY_API_VERSION}/orders.json?status=any&limit=${PAGE_SIZE}&created_at_min=${encodeURIComponent(since.toISOString())}`;
      }
    }
  }

  private async readPage(connection: StorePlatformConnection, secrets: StorePlatformSecrets, url: string, pageNumber: number): Promise<Page> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (connection.platform === StorePlatform.SHOPIFY) headers['x-shopify-access-token'] = secrets.apiToken!;
    else if (connection.platform === StorePlatform.ZID) {
      headers['x-manager-token'] = secrets.apiToken!;
      if (secrets.apiAuthorization) headers.authorization = `Bearer ${secrets.apiAuthorization}`;
    } else headers.authorization = `Bearer ${secrets.apiToken}`;
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      throw new DomainError('CHANNEL_ERROR', `${connection.platform} API unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!response.ok) throw new DomainError('CHANNEL_ERROR', `${connection.platform} API answered ${response.status} for the orders list (page ${pageNumber})`);
    const body = (await response.json().catch(() => null)) as Record<string, any> | null;
    if (!body) throw new DomainError('CHANNEL_ERROR', `${connection.platform} API answered with no JSON (page ${pageNumber})`);
    switch (connection.platform) {
      case StorePlatform.SALLA: {
        // { data: [...], pagination: { total, currentPage, totalPages } }
        const orders = Array.isArray(body.data) ? body.data : [];
        const { currentPage, totalPages, total } = body.pagination ?? {};
        const next = typeof currentPage === 'number' && typeof totalPages === 'number' && currentPage < totalPages ? url.replace(/([?&]page=)\d+/, `$1${currentPage + 1}`) : null;
        return { orders, next, total: typeof total === 'number' ? total : null };
      }
      case StorePlatform.ZID: {
        // { orders: [...], total_order_count } — page numbers until the count is read.
        const orders = Array.isArray(body.orders) ? body.orders : [];
        const total = typeof body.total_order_count === 'number' ? body.total_order_count : null;
        const more = orders.length === PAGE_SIZE && (total === null || pageNumber * PAGE_SIZE < total);
        return { orders, next: more ? url.replace(/([?&]page=)\d+/, `$1${pageNumber + 1}`) : null, total };
      }
      case StorePlatform.SHOPIFY: {
        // { orders: [...] } and Link: <…page_info=…>; rel="next"
        const orders = Array.isArray(body.orders) ? body.orders : [];
        const link = response.headers.get('link') ?? '';
        const next = /<([^>]+)>;\s*rel="next"/.exec(link)?.[1] ?? null;
        return { orders, next, total: null };
      }
    }
  }

  /** An order of the list as a delivery; one the reader cannot read is skipped (and logged), the rest go on. */
  private mapOrder(connection: StorePlatformConnection, order: unknown, zone: string): PlatformDelivery | null {
    try {
      const delivery =
        connection.platform === StorePlatform.SALLA
          ? readSallaWebhook({ event: 'order.updated', data: order })
          : connection.platform === StorePlatform.ZID
            ? readZidWebhook(order, 'order', zone)
            : readShopifyOrderSnapshot(order);
      if (delivery.kind !== 'ORDER') return null;
      return { ...delivery, topic: 'sync', key: `sync:${delivery.key}` };
    } catch (error) {
      this.logger.warn({ connectionId: connection.id, error: error instanceof Error ? error.message : String(error) }, 'An order of the backfill could not be read; skipped');
      return null;
    }
  }
}
