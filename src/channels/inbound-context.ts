import { Injectable } from '@nestjs/common';
import { SettingsRegion, StoreSettingsCache } from '../common/cache/store-settings-cache';
import type { TenantScope, TenantTransactions } from '../common/database/tenant-transactions';
import { tenantOf } from '../common/database/tenant-transactions';
import { DomainError } from '../common/errors/domain-error';
import { RequestContext, storeSystemContext } from '../common/request-context';

/**
 * What a customer's message arriving on a channel is written as: the customer acting, in the
 * store's zone and country. A store's zone and country never change after it is created, so each
 * instance reads them once.
 */
@Injectable()
export class InboundContexts {
  private readonly stores: SettingsRegion<RequestContext | null>;

  constructor(cache: StoreSettingsCache) {
    this.stores = cache.region('store-zone');
  }

  async of(db: TenantTransactions, scope: TenantScope): Promise<RequestContext> {
    const tenantId = tenantOf(scope);
    const store = await this.stores.get(tenantId, () => storeSystemContext((sql, parameters) => db.read(scope, (m) => m.query(sql, parameters)), tenantId));
    if (!store) throw new DomainError('NOT_FOUND', 'Store not found');
    return { ...store, actor: { type: 'CUSTOMER', id: null } };
  }
}
