import { CanActivate, ExecutionContext, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import { ThrottlerStorageService } from '@nestjs/throttler';
import type { GraphQLResolveInfo } from 'graphql';
import { AppConfig } from '../common/config/app-config';
import { DomainError, forbidden, unauthenticated } from '../common/errors/domain-error';
import type { ActorType, RequestContext } from '../common/request-context';
import { requestFrom } from '../common/request-context';
import { parseApiKey } from './api-key-format';
import { ACTOR_KEY, PERMISSION_KEY, PUBLIC_KEY } from './auth.decorators';
import { AuthService } from './auth.service';
import { Permission } from './permissions';
import { PrincipalsService } from './principals.service';
import { TokensService } from './tokens.service';

const MINUTE_MS = 60_000;

function isMutationField(context: ExecutionContext): boolean {
  return context.getType<GqlContextType>() === 'graphql' && GqlExecutionContext.create(context).getInfo<GraphQLResolveInfo>().parentType.name === 'Mutation';
}

/**
 * Global guard. Resolves `Authorization: Bearer <credential>` — an API key (`rida_…`), an agent's
 * access token or a customer token — into the request context, applies the per-credential rate
 * limit, then checks the handler's declared permission or actor. Handlers declaring neither are
 * closed to everyone (deny by default).
 */
@Injectable()
export class AuthGuard implements CanActivate, OnModuleDestroy {
  /** @nestjs/throttler's in-memory counters: the limit holds per app instance. */
  private readonly rateCounters = new ThrottlerStorageService();

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly tokens: TokensService,
    private readonly principals: PrincipalsService,
    private readonly config: AppConfig,
  ) {}

  onModuleDestroy() {
    this.rateCounters.onApplicationShutdown();
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = requestFrom(context);
    if (!request.ctx) {
      // Contexts are cached per credential; the request's own unit of work goes on a copy.
      const ctx = await this.authenticate(request.headers.authorization);
      await this.applyRateLimit(ctx);
      request.ctx = request.unitOfWork ? { ...ctx, unitOfWork: request.unitOfWork } : ctx;
    } else if (isMutationField(context)) {
      // Each further mutation of one document (aliases included) is a write of its own.
      await this.applyRateLimit(request.ctx);
    }
    const ctx = request.ctx;

    const actor = this.reflector.getAllAndOverride<ActorType | undefined>(ACTOR_KEY, targets);
    if (actor) {
      if (ctx.actor.type !== actor) throw forbidden(`Only a signed-in ${actor.toLowerCase()} can do this`);
      return true;
    }
    const permissions = this.reflector.getAllAndOverride<Permission[] | undefined>(PERMISSION_KEY, targets);
    if (!permissions || !permissions.some((p) => ctx.scopes.includes(p))) {
      throw forbidden(`This ${ctx.role} credential may not do this${permissions ? ` (needs ${permissions.join(' or ')})` : ''}`);
    }
    return true;
  }

  /** Counted once per HTTP request, and once more per further mutation field of a GraphQL document. */
  private async applyRateLimit(ctx: RequestContext) {
    const limit = this.config.RATE_LIMIT_PER_MINUTE;
    if (limit === 0) return;
    const key = `${ctx.tenantId}:${ctx.actor.type}:${ctx.actor.id}`;
    const record = await this.rateCounters.increment(key, MINUTE_MS, limit, MINUTE_MS, 'credential');
    if (record.isBlocked) {
      throw new DomainError('RATE_LIMITED', `Rate limit of ${limit} requests per minute reached; retry in ${Math.ceil(record.timeToBlockExpire)} s`);
    }
  }

  private async authenticate(header: string | string[] | undefined): Promise<RequestContext> {
    const value = Array.isArray(header) ? header[0] : header;
    const match = value ? /^Bearer\s+(\S+)$/i.exec(value) : null;
    if (!match) throw unauthenticated('Credentials are required: Authorization: Bearer <API key or access token>');
    const credential = match[1];
    if (parseApiKey(credential)) {
      const ctx = await this.auth.authenticate(credential);
      if (!ctx) throw unauthenticated('The API key is unknown or revoked');
      return ctx;
    }
    const claims = this.tokens.verify(credential);
    const ctx = claims && (await this.principals.resolve(claims));
    if (!ctx) throw unauthenticated('The token is invalid or expired, or its account is no longer active');
    return ctx;
  }
}
