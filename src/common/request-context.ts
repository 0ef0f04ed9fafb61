import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { UnitOfWork } from './database/unit-of-work';
import { unauthenticated } from './errors/domain-error';

export type ActorType = 'API_KEY' | 'AGENT' | 'CUSTOMER' | 'SYSTEM';
export type Role = 'admin' | 'supervisor' | 'agent' | 'integration' | 'reporting' | 'customer';

/**
 * Who is calling and for which store. Every service method takes it first, so no query can forget
 * the tenant and every audit event knows its actor.
 */
export interface RequestContext {
  tenantId: string;
  tenantTimezone: string;
  tenantCountry: string;
  role: Role;
  /** What this caller may do: a key's scopes, or the grants of a person's role. */
  scopes: readonly string[];
  actor: { type: ActorType; id: string | null };
  /** Set for customer tokens: the only customer whose tickets this caller sees. */
  customerId?: string;
  /** The GraphQL request's transaction, which every read and write of the request joins (see UnitOfWork). */
  unitOfWork?: UnitOfWork;
}

/** The WebSocket a graphql-ws operation arrived on: what is closed when its credential lapses. */
export interface LiveSocket {
  close(code: number, reason: string): void;
  once(event: 'close', listener: () => void): unknown;
}

/** The Fastify request as the auth guard leaves it. */
export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The client address (X-Forwarded-For only when TRUST_PROXY is on). */
  ip: string;
  ctx?: RequestContext;
  /** Set by the GraphQL unit-of-work plugin before any resolver runs. */
  unitOfWork?: UnitOfWork;
  /** Set for operations over graphql-ws. */
  liveSocket?: LiveSocket;
}

export function requestFrom(context: ExecutionContext): AuthenticatedRequest {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req: AuthenticatedRequest }>().req;
  }
  return context.switchToHttp().getRequest<AuthenticatedRequest>();
}

/** Injects the caller's RequestContext into a resolver or controller method. */
export const Ctx = createParamDecorator((_data: unknown, context: ExecutionContext): RequestContext => {
  const ctx = requestFrom(context).ctx;
  if (!ctx) throw unauthenticated();
  return ctx;
});

/**
 * A JSON object stored in a jsonb column. `any` values because TypeORM's insert typing rejects
 * `unknown` inside jsonb; GraphQL's JSON scalar and class-validator bound what arrives.
 */
export type JsonObject = Record<string, any>;

/** For work no caller asked for (sweeps, queues, survey answers): one store, acting as SYSTEM. */
export function systemContext(tenantId: string, tenantTimezone = 'UTC', tenantCountry = 'SA'): RequestContext {
  return { tenantId, tenantTimezone, tenantCountry, role: 'admin', scopes: [], actor: { type: 'SYSTEM', id: null } };
}

/**
 * SYSTEM acting inside a caller's request (a chat left as a message, a note the caller's action
 * adds): the same store, and the request's unit of work, so it sees what the request wrote.
 */
export function systemWithin(ctx: RequestContext): RequestContext {
  return { ...systemContext(ctx.tenantId, ctx.tenantTimezone, ctx.tenantCountry), unitOfWork: ctx.unitOfWork };
}

/** SYSTEM acting for a store, in the store's own time zone and country; null when there is no such store. */
export async function storeSystemContext(query: (sql: string, parameters: unknown[]) => Promise<unknown>, tenantId: string): Promise<RequestContext | null> {
  const [tenant] = (await query(`SELECT timezone, default_country FROM tenants WHERE id = $1`, [tenantId])) as Array<{ timezone: string; default_country: string }>;
  return tenant ? systemContext(tenantId, tenant.timezone, tenant.default_country) : null;
}
