import type { LiveSocket } from '../request-context';
import { GraphQLRequestContext, LoaderRegistry } from './loaders';

interface WebSocketContext {
  connectionParams?: Record<string, unknown>;
  extra?: { socket?: LiveSocket; request?: { socket?: { remoteAddress?: string } } };
}

/**
 * The GraphQL context for HTTP requests and WebSocket subscriptions alike. A subscription's
 * credential arrives in `connection_init` (`{ authorization: "Bearer …" }`); it is presented to the
 * guard as the same request shape, so one guard authenticates both; the socket travels along so
 * the guard can have it closed when the credential lapses.
 */
export function graphQLContext(requestOrSocket: unknown): GraphQLRequestContext {
  const socket = requestOrSocket as WebSocketContext;
  if (socket && typeof socket === 'object' && 'connectionParams' in socket) {
    const params = socket.connectionParams ?? {};
    const authorization = typeof params.authorization === 'string' ? params.authorization : typeof params.Authorization === 'string' ? params.Authorization : undefined;
    return {
      req: { headers: { authorization }, ip: socket.extra?.request?.socket?.remoteAddress ?? 'unknown', liveSocket: socket.extra?.socket },
      loaders: new LoaderRegistry(),
    };
  }
  const req = requestOrSocket as GraphQLRequestContext['req'];
  return { req, loaders: new LoaderRegistry(req) };
}
