import { CanActivate, ExecutionContext, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import { ThrottlerStorageService } from '@nestjs/throttler';
import type { GraphQLResolveInfo } from 'graphql';
import { AppConfig } from '../common/config/app-config';
import { DomainError, forbidden, unauthenticated } from '../common/errors/domain-error';
import type { ActorType, RequestContext } from '../common/request-context';
import { requestFrom } from '../common/request-context';
import { ACTOR_KEY, PERMISSION_KEY, PUBLIC_KEY } from './auth.decorators';
import { AccessRule, accessRefusal, CredentialsService, isRefusal } from './credentials.service';
import { LiveConnectionsService } from './live-connections.service';
import { Permission } from './permissions';

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
    private readonly credentials: CredentialsService,
    private readonly live: LiveConnectionsService,
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

    const rule: AccessRule = {
      actor: this.reflector.getAllAndOverride<ActorType | undefined>(ACTOR_KEY, targets),
      permissions: this.reflector.getAllAndOverride<Permission[] | undefined>(PERMISSION_KEY, targets),
    };
    const refusal = accessRefusal(ctx, rule);
    if (refusal) throw forbidden(refusal);
    // A subscription outlives this check: its socket is re-checked until it closes.
    if (request.liveSocket) this.live.track(request.liveSocket, firstHeader(request.headers.authorization), rule);
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
    const resolved = await this.credentials.resolve(header);
    if (isRefusal(resolved)) throw unauthenticated(resolved.message);
    return resolved;
  }
}

const firstHeader = (header: string | string[] | undefined) => (Array.isArray(header) ? header[0] : header);
