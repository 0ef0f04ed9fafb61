import type { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { RequestContext, systemContext } from '../common/request-context';

/** What a customer's message arriving on a channel is written as: the customer acting, in the store's zone and country. */
export async function inboundContext(dataSource: DataSource, tenantId: string): Promise<RequestContext> {
  const [tenant]: Array<{ timezone: string; default_country: string }> = await dataSource.query(`SELECT timezone, default_country FROM tenants WHERE id = $1`, [tenantId]);
  if (!tenant) throw new DomainError('NOT_FOUND', 'Store not found');
  return { ...systemContext(tenantId, tenant.timezone, tenant.default_country), actor: { type: 'CUSTOMER', id: null } };
}
