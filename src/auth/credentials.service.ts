import { Injectable } from '@nestjs/common';
import type { ActorType, RequestContext } from '../common/request-context';
import { parseApiKey } from './api-key-format';
import { AuthService } from './auth.service';
import { Permission } from './permissions';
import { PrincipalsService } from './principals.service';
import { TokensService } from './tokens.service';

/**
 * Why a credential no longer gets in: `unknown` for a missing, malformed, revoked, expired or
 * forged one; `inactive` when the token is genuine but its agent was deactivated or its
 * customer removed.
 */
export type CredentialRefusal = { refused: 'unknown' | 'inactive'; message: string };

/** What a handler declares: the actor it is for, or the permissions any one of which lets a caller in. */
export interface AccessRule {
  actor?: ActorType;
  permissions?: Permission[];
}

/** Why `ctx` may not do what `rule` guards, or undefined when it may (deny by default). */
export function accessRefusal(ctx: RequestContext, rule: AccessRule): string | undefined {
  if (rule.actor) return ctx.actor.type === rule.actor ? undefined : `Only a signed-in ${rule.actor.toLowerCase()} can do this`;
  if (rule.permissions?.some((p) => ctx.scopes.includes(p))) return undefined;
  return `This ${ctx.role} credential may not do this${rule.permissions ? ` (needs ${rule.permissions.join(' or ')})` : ''}`;
}

/**
 * Turns `Authorization: Bearer <credential>` — an API key (`rida_…`), an agent's access token or a
 * customer token — into the caller's context. Keys and principals are cached for
 * API_KEY_CACHE_SECONDS, so a revocation or deactivation on another instance shows within that.
 */
@Injectable()
export class CredentialsService {
  constructor(
    private readonly auth: AuthService,
    private readonly tokens: TokensService,
    private readonly principals: PrincipalsService,
  ) {}

  async resolve(header: string | string[] | undefined): Promise<RequestContext | CredentialRefusal> {
    const credential = bearerOf(header);
    if (!credential) return { refused: 'unknown', message: 'Credentials are required: Authorization: Bearer <API key or access token>' };
    if (parseApiKey(credential)) {
      return (await this.auth.authenticate(credential)) ?? { refused: 'unknown', message: 'The API key is unknown or revoked' };
    }
    const claims = this.tokens.verify(credential);
    // One message for both: a caller is not told whether an account exists.
    const message = 'The token is invalid or expired, or its account is no longer active';
    if (!claims) return { refused: 'unknown', message };
    return (await this.principals.resolve(claims)) ?? { refused: 'inactive', message };
  }

  /** When a token credential stops being valid; undefined for API keys (they live until revoked). */
  expiryOf(header: string | string[] | undefined): Date | undefined {
    const credential = bearerOf(header);
    return credential && !parseApiKey(credential) ? this.tokens.expiryOf(credential) : undefined;
  }
}

export const isRefusal = (resolved: RequestContext | CredentialRefusal): resolved is CredentialRefusal => 'refused' in resolved;

function bearerOf(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return (value ? /^Bearer\s+(\S+)$/i.exec(value) : null)?.[1];
}
