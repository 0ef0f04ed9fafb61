import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../common/config/app-config';
import type { LiveSocket } from '../common/request-context';
import { AccessRule, accessRefusal, CredentialsService, isRefusal } from './credentials.service';

/** graphql-ws close codes: the credential no longer authenticates (revoked, expired, unknown) … */
export const CLOSE_UNAUTHORIZED = 4401;
/** … or it does, but its principal may no longer (agent deactivated, customer removed, permission gone). */
export const CLOSE_FORBIDDEN = 4403;

/** setTimeout's longest delay; a later expiry is caught by the periodic re-check instead. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface LiveConnection {
  socket: LiveSocket;
  authorization: string | undefined;
  /** What each operation let through on this socket was guarded by. */
  rules: AccessRule[];
  expiry?: NodeJS.Timeout;
}

/**
 * A WebSocket (graphql-ws) is authenticated once, at subscribe, but lives for hours. Each socket
 * whose operations the guard let through is re-checked every API_KEY_CACHE_SECONDS (the delay a
 * revocation already takes to reach every instance's cache, at least 1 s), and a token's expiry
 * closes its socket at that moment, so a revoked key, a deactivated agent or an expired token stops
 * receiving events: closed with 4401 when the credential no longer authenticates, 4403 when its
 * principal no longer may (deactivated, or the permission the operation needed is gone).
 */
@Injectable()
export class LiveConnectionsService implements OnModuleInit, OnModuleDestroy {
  private readonly connections = new Map<LiveSocket, LiveConnection>();
  private readonly logger = new Logger(LiveConnectionsService.name);
  private timer?: NodeJS.Timeout;
  private checking?: Promise<void>;

  constructor(
    private readonly credentials: CredentialsService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit() {
    this.timer = setInterval(() => void this.recheckAll(), Math.max(1, this.config.API_KEY_CACHE_SECONDS) * 1000).unref();
  }

  onModuleDestroy() {
    clearInterval(this.timer);
    for (const connection of this.connections.values()) clearTimeout(connection.expiry);
    this.connections.clear();
  }

  /** Called by the guard for each operation it lets through on a socket. */
  track(socket: LiveSocket, authorization: string | undefined, rule: AccessRule): void {
    const known = this.connections.get(socket);
    if (known) return void known.rules.push(rule);
    const connection: LiveConnection = { socket, authorization, rules: [rule] };
    this.connections.set(socket, connection);
    socket.once('close', () => this.forget(socket));
    const expiresAt = this.credentials.expiryOf(authorization);
    if (expiresAt) {
      const delay = Math.max(0, expiresAt.getTime() - Date.now());
      if (delay <= MAX_TIMER_MS) connection.expiry = setTimeout(() => this.close(connection, CLOSE_UNAUTHORIZED, 'The token expired'), delay).unref();
    }
  }

  /** Every open socket's credential and rules again; one resolution per credential. One round at a time. */
  recheckAll(): Promise<void> {
    // Cleared in a callback, not in the round's own `finally`: a round with nothing to check ends
    // synchronously, before the assignment, and would leave a settled round here for good.
    this.checking ??= this.recheckRound().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async recheckRound(): Promise<void> {
    try {
      const byCredential = new Map<string | undefined, LiveConnection[]>();
      for (const connection of this.connections.values()) byCredential.set(connection.authorization, [...(byCredential.get(connection.authorization) ?? []), connection]);
      for (const [authorization, connections] of byCredential) {
        const resolved = await this.credentials.resolve(authorization);
        for (const connection of connections) {
          if (isRefusal(resolved)) {
            this.close(connection, resolved.refused === 'unknown' ? CLOSE_UNAUTHORIZED : CLOSE_FORBIDDEN, resolved.message);
            continue;
          }
          const refusal = connection.rules.map((rule) => accessRefusal(resolved, rule)).find((reason) => reason !== undefined);
          if (refusal) this.close(connection, CLOSE_FORBIDDEN, refusal);
        }
      }
    } catch (error) {
      this.logger.warn(`Could not re-check live connections: ${(error as Error).message}`); // next round tries again
    }
  }

  private close(connection: LiveConnection, code: number, reason: string) {
    this.forget(connection.socket);
    connection.socket.close(code, reason.slice(0, 120)); // a close frame's reason is at most 123 bytes (these are ASCII)
  }

  private forget(socket: LiveSocket) {
    const connection = this.connections.get(socket);
    if (!connection) return;
    clearTimeout(connection.expiry);
    this.connections.delete(socket);
  }
}
