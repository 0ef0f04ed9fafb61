import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { EntityManager, IsNull } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AppConfig } from '../common/config/app-config';
import { AllStores } from '../common/database/all-stores';
import { TenantTransactions } from '../common/database/tenant-transactions';
import { deferWrite } from '../common/database/batch';
import { storeKeyOfHash, storeKeyStatement } from '../common/database/store-keys';
import { DomainError, notFound, unauthenticated } from '../common/errors/domain-error';
import type { RequestContext } from '../common/request-context';
import { hashKey } from './api-key-format';
import { Agent } from './entities/agent.entity';
import { PasswordReset } from './entities/password-reset.entity';
import { RefreshToken } from './entities/refresh-token.entity';
import { Tenant } from './entities/tenant.entity';
import { hashPassword, verifyPassword } from './passwords';
import { PrincipalsService } from './principals.service';
import { TokensService } from './tokens.service';

export const LOGIN_FAILURES_PER_MINUTE = 5;
const RESET_TOKEN_TTL_MS = 30 * 60_000;

export interface Session {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  agent: Agent;
}

const opaqueToken = () => randomBytes(32).toString('base64url');

@Injectable()
export class SessionsService {
  constructor(
    private readonly allStores: AllStores,
    private readonly db: TenantTransactions,
    private readonly tokens: TokensService,
    private readonly principals: PrincipalsService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Email + password for one store. The same answer for an unknown account and a wrong password;
   * five failures a minute per account or per client address answer RATE_LIMITED, across instances.
   */
  async login(tenantSlug: string, email: string, password: string, clientIp: string): Promise<Session> {
    const normalisedEmail = email.trim().toLowerCase();
    const subjects = [`account:${tenantSlug}:${normalisedEmail}`, `ip:${clientIp}`];
    // Across stores: failures are counted by store slug and client address, before any store is known.
    const [{ failures }]: Array<{ failures: number }> = await this.allStores.query(
      `SELECT coalesce(max(n), 0)::int AS failures FROM (
         SELECT count(*) AS n FROM login_failures WHERE subject = ANY($1) AND at > now() - interval '1 minute' GROUP BY subject) per_subject`,
      [subjects],
    );
    if (failures >= LOGIN_FAILURES_PER_MINUTE) {
      throw new DomainError('RATE_LIMITED', 'Too many failed sign-ins; wait a minute and try again');
    }

    // Across stores: signing in names the store by its slug.
    const tenant = await this.allStores.read((m) => m.findOneBy(Tenant, { slug: tenantSlug }));
    const agent = tenant ? await this.db.read(tenant.id, (m) => m.findOneBy(Agent, { tenantId: tenant.id, email: normalisedEmail, active: true })) : null;
    if (!(await verifyPassword(agent?.passwordHash ?? null, password)) || !agent) {
      // Across stores: see the count above.
      await this.allStores.query(`INSERT INTO login_failures (subject) SELECT unnest($1::text[])`, [subjects]);
      throw unauthenticated('Wrong store, email or password');
    }
    return this.db.run(agent.tenantId, (manager) => this.issue(manager, agent, uuidv7()));
  }

  /** Rotates a refresh token. Presenting one that was already used revokes its whole family. */
  async refresh(refreshToken: string): Promise<Session> {
    const tenantId = await this.storeOfRefreshToken(refreshToken);
    if (!tenantId) throw unauthenticated('The refresh token is invalid or expired');
    const outcome = await this.db.run(tenantId, async (manager) => {
      const stored = await manager.findOne(RefreshToken, { where: { tenantId, tokenHash: hashKey(refreshToken) }, lock: { mode: 'pessimistic_write' } });
      if (!stored || stored.revokedAt || stored.expiresAt <= new Date()) return { error: 'The refresh token is invalid or expired' };
      if (stored.usedAt) {
        // Committed, not rolled back with an error: a replayed token means it leaked.
        await this.revokeFamily(manager, stored.tenantId, stored.familyId);
        return { error: 'The refresh token was already used; all sessions of this login are signed out' };
      }
      const agent = await manager.findOneBy(Agent, { tenantId: stored.tenantId, id: stored.agentId, active: true });
      if (!agent) return { error: 'The account is no longer active' };
      await manager.update(RefreshToken, { tenantId: stored.tenantId, id: stored.id }, { usedAt: new Date() });
      return { session: await this.issue(manager, agent, stored.familyId) };
    });
    if (!outcome.session) throw unauthenticated(outcome.error);
    return outcome.session;
  }

  /** Ends the session the refresh token belongs to. Unknown tokens are ignored (nothing to end). */
  async logout(refreshToken: string): Promise<void> {
    const tenantId = await this.storeOfRefreshToken(refreshToken);
    if (!tenantId) return;
    await this.db.run(tenantId, async (manager) => {
      const stored = await manager.findOneBy(RefreshToken, { tenantId, tokenHash: hashKey(refreshToken) });
      if (stored) await this.revokeFamily(manager, tenantId, stored.familyId);
    });
  }

  async changePassword(ctx: RequestContext, currentPassword: string, newPassword: string): Promise<void> {
    const agent = await this.db.read(ctx, (m) => m.findOneByOrFail(Agent, { tenantId: ctx.tenantId, id: ctx.actor.id! }));
    if (!(await verifyPassword(agent.passwordHash, currentPassword))) {
      throw new DomainError('BAD_USER_INPUT', 'The current password is wrong', { currentPassword: ['wrong password'] });
    }
    await this.db.run(ctx, (manager) => this.setPassword(agent, newPassword, manager));
  }

  /** An admin issues a single-use reset token and gives it to the agent (email delivery comes with the email channel). */
  async createPasswordReset(ctx: RequestContext, agentId: string): Promise<{ token: string; expiresAt: Date }> {
    const token = opaqueToken();
    const expiresAt = new Date(Date.now() + RESET_TOKEN_TTL_MS);
    await this.db.run(ctx, async (m) => {
      if (!(await m.existsBy(Agent, { tenantId: ctx.tenantId, id: agentId }))) throw notFound('Agent', agentId);
      await m.insert(PasswordReset, { tenantId: ctx.tenantId, id: uuidv7(), agentId, tokenHash: hashKey(token), expiresAt });
      await deferWrite(m, storeKeyStatement('PASSWORD_RESET', storeKeyOfHash(hashKey(token)), ctx.tenantId));
    });
    return { token, expiresAt };
  }

  async resetPassword(token: string, newPassword: string): Promise<void> {
    // Across stores: a reset token names its store only through its hash (store_keys).
    const tenantId = await this.allStores.storeOf('PASSWORD_RESET', storeKeyOfHash(hashKey(token)));
    if (!tenantId) throw unauthenticated('The reset token is invalid, used or expired');
    await this.db.run(tenantId, async (manager) => {
      const reset = await manager.findOne(PasswordReset, { where: { tenantId, tokenHash: hashKey(token), usedAt: IsNull() }, lock: { mode: 'pessimistic_write' } });
      if (!reset || reset.expiresAt <= new Date()) throw unauthenticated('The reset token is invalid, used or expired');
      await manager.update(PasswordReset, { tenantId: reset.tenantId, id: reset.id }, { usedAt: new Date() });
      const agent = await manager.findOneByOrFail(Agent, { tenantId: reset.tenantId, id: reset.agentId });
      await this.setPassword(agent, newPassword, manager);
    });
  }

  /** Sets a password and signs the agent out everywhere else. */
  async setPassword(agent: Agent, password: string, manager: EntityManager): Promise<void> {
    await manager.update(Agent, { tenantId: agent.tenantId, id: agent.id }, { passwordHash: await hashPassword(password) });
    await manager.update(RefreshToken, { tenantId: agent.tenantId, agentId: agent.id, revokedAt: IsNull() }, { revokedAt: new Date() });
    this.principals.forgetAgent(agent.tenantId, agent.id);
  }

  private async issue(manager: EntityManager, agent: Agent, familyId: string): Promise<Session> {
    const refreshToken = opaqueToken();
    await manager.insert(RefreshToken, {
      tenantId: agent.tenantId,
      id: uuidv7(),
      agentId: agent.id,
      familyId,
      tokenHash: hashKey(refreshToken),
      expiresAt: new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000),
    });
    await deferWrite(manager, storeKeyStatement('REFRESH_TOKEN', storeKeyOfHash(hashKey(refreshToken)), agent.tenantId));
    const access = this.tokens.signAgentAccess(agent.tenantId, agent.id, agent.role);
    return { accessToken: access.token, expiresIn: access.expiresIn, refreshToken, agent };
  }

  /** Across stores: a refresh token names its store only through its hash (store_keys). */
  private async storeOfRefreshToken(refreshToken: string): Promise<string | undefined> {
    return (await this.allStores.storeOf('REFRESH_TOKEN', storeKeyOfHash(hashKey(refreshToken)))) ?? undefined;
  }

  private async revokeFamily(manager: EntityManager, tenantId: string, familyId: string) {
    await manager.update(RefreshToken, { tenantId, familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }
}
