import { Injectable } from '@nestjs/common';
import { AppConfig } from '../common/config/app-config';
import { TenantTransactions } from '../common/database/tenant-transactions';
import type { RequestContext, Role } from '../common/request-context';
import { TtlCache } from '../common/ttl-cache';
import { grantsOf } from './permissions';
import { TokenClaims } from './tokens.service';

/**
 * Turns verified token claims into a request context. The agent is re-read (cached for a few
 * seconds) so a deactivated agent or a changed role takes effect without waiting for token expiry.
 */
@Injectable()
export class PrincipalsService {
  private readonly cache: TtlCache<string, RequestContext | null>;

  constructor(
    private readonly db: TenantTransactions,
    config: AppConfig,
  ) {
    this.cache = new TtlCache(config.API_KEY_CACHE_SECONDS * 1000);
  }

  async resolve(claims: TokenClaims): Promise<RequestContext | undefined> {
    const cacheKey = `${claims.typ}:${claims.tid}:${claims.sub}`;
    const cached = this.cache.get(cacheKey);
    if (cached !== undefined) return cached ?? undefined;
    const ctx = claims.typ === 'agent' ? await this.agentContext(claims.tid, claims.sub) : await this.customerContext(claims.tid, claims.sub);
    this.cache.set(cacheKey, ctx ?? null);
    return ctx;
  }

  /** Drops cached contexts of one agent (after deactivation, a role change or a password change). */
  forgetAgent(tenantId: string, agentId: string): void {
    this.cache.delete(`agent:${tenantId}:${agentId}`);
  }

  private async agentContext(tenantId: string, agentId: string): Promise<RequestContext | undefined> {
    const [row]: Array<{ role: Role; timezone: string; default_country: string }> = await this.db.read(tenantId, (m) =>
      m.query(
        `SELECT a.role, t.timezone, t.default_country FROM agents a JOIN tenants t ON t.id = a.tenant_id
          WHERE a.tenant_id = $1 AND a.id = $2 AND a.active`,
        [tenantId, agentId],
      ),
    );
    if (!row) return undefined;
    return {
      tenantId,
      tenantTimezone: row.timezone,
      tenantCountry: row.default_country,
      role: row.role,
      scopes: grantsOf(row.role),
      actor: { type: 'AGENT', id: agentId },
    };
  }

  private async customerContext(tenantId: string, customerId: string): Promise<RequestContext | undefined> {
    const [row]: Array<{ timezone: string; default_country: string }> = await this.db.read(tenantId, (m) =>
      m.query(`SELECT t.timezone, t.default_country FROM customers c JOIN tenants t ON t.id = c.tenant_id WHERE c.tenant_id = $1 AND c.id = $2`, [tenantId, customerId]),
    );
    if (!row) return undefined;
    return {
      tenantId,
      tenantTimezone: row.timezone,
      tenantCountry: row.default_country,
      role: 'customer',
      scopes: grantsOf('customer'),
      actor: { type: 'CUSTOMER', id: customerId },
      customerId,
    };
  }
}
