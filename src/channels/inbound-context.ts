import type { TenantTransactions } from '../common/database/tenant-transactions';
import { DomainError } from '../common/errors/domain-error';
import { RequestContext, storeSystemContext } from '../common/request-context';

/** What a customer's message arriving on a channel is written as: the customer acting, in the store's zone and country. */
export async function inboundContext(db: TenantTransactions, tenantId: string): Promise<RequestContext> {
  const store = await storeSystemContext((sql, parameters) => db.read(tenantId, (m) => m.query(sql, parameters)), tenantId);
  if (!store) throw new DomainError('NOT_FOUND', 'Store not found');
  return { ...store, actor: { type: 'CUSTOMER', id: null } };
}
