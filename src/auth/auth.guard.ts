import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { forbidden, unauthenticated } from '../common/errors/domain-error';
import { requestFrom } from '../common/request-context';
import { PERMISSION_KEY, PUBLIC_KEY } from './auth.decorators';
import { AuthService } from './auth.service';
import { Permission, roleHas } from './permissions';

/**
 * Global guard: resolves `Authorization: Bearer <key>` into the request context and checks the
 * handler's permission. Handlers without @Public or @RequirePermission are closed (deny by default).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = requestFrom(context);
    if (!request.ctx) {
      const header = request.headers.authorization;
      const value = Array.isArray(header) ? header[0] : header;
      const match = value ? /^Bearer\s+(\S+)$/i.exec(value) : null;
      if (!match) throw unauthenticated();
      const ctx = await this.auth.authenticate(match[1]);
      if (!ctx) throw unauthenticated('The API key is unknown or revoked');
      request.ctx = ctx;
    }

    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION_KEY, targets);
    if (!permission || !roleHas(request.ctx.role, permission)) {
      throw forbidden(`The ${request.ctx.role} role may not do this${permission ? ` (needs ${permission})` : ''}`);
    }
    return true;
  }
}
