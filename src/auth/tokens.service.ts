import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../common/config/app-config';
import type { Role } from '../common/request-context';

const ISSUER = 'rida';
const AUDIENCE = 'rida-api';

export type TokenClaims = { typ: 'agent'; tid: string; sub: string; role: Role } | { typ: 'customer'; tid: string; sub: string };

/** Signs and verifies the JWTs of agents (short-lived access tokens) and customers (portal tokens). */
@Injectable()
export class TokensService {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  signAgentAccess(tenantId: string, agentId: string, role: Role): { token: string; expiresIn: number } {
    const expiresIn = this.config.ACCESS_TOKEN_TTL_SECONDS;
    const token = this.jwt.sign({ typ: 'agent', tid: tenantId, role }, { subject: agentId, expiresIn, issuer: ISSUER, audience: AUDIENCE });
    return { token, expiresIn };
  }

  signCustomer(tenantId: string, customerId: string, ttlSeconds: number): { token: string; expiresAt: Date } {
    const token = this.jwt.sign({ typ: 'customer', tid: tenantId }, { subject: customerId, expiresIn: ttlSeconds, issuer: ISSUER, audience: AUDIENCE });
    return { token, expiresAt: new Date(Date.now() + ttlSeconds * 1000) };
  }

  /** When a token this service signed expires (read without verifying: only for scheduling). */
  expiryOf(token: string): Date | undefined {
    const decoded = this.jwt.decode<{ exp?: unknown } | null>(token);
    return typeof decoded?.exp === 'number' ? new Date(decoded.exp * 1000) : undefined;
  }

  /** The claims of a valid token, or undefined for anything expired, forged or malformed. */
  verify(token: string): TokenClaims | undefined {
    try {
      const claims = this.jwt.verify<TokenClaims & { iss: string }>(token, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
      if ((claims.typ === 'agent' || claims.typ === 'customer') && typeof claims.tid === 'string' && typeof claims.sub === 'string') return claims;
      return undefined;
    } catch {
      return undefined;
    }
  }
}
