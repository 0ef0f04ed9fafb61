// The typed client of this package: typed documents, bearer auth, coded errors, graphql-ws.
import WebSocket from 'ws';
import { createRidaClient } from '../src';

export function createConsoleClient(options: { url: string; getToken: () => string | undefined }) {
  // In a browser leave webSocketImpl out: it has its own WebSocket (so does Node 22+).
  return createRidaClient({ url: options.url, getToken: options.getToken, webSocketImpl: WebSocket });
}
