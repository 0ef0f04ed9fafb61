import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { TestApp } from './test-app';

/** Starts the app's HTTP server on a free port and returns its graphql-ws URL. */
export async function listenForSockets(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  return `ws://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}/graphql`;
}

export interface LiveSubscription<T> {
  received: T[];
  errors: unknown[];
  client: Client;
  /** Resolves once the server has acknowledged the connection and the operation is running. */
  ready: Promise<void>;
  /** How the server closed the socket, once it has. */
  closed?: { code: number; reason: string };
}

/** A real graphql-ws client subscribed to `query`; collects the first field of each result. */
export function subscribe<T = any>(url: string, credential: string | undefined, query: string, variables?: Record<string, unknown>): LiveSubscription<T> {
  let acknowledged!: () => void;
  const ready = new Promise<void>((resolve) => (acknowledged = resolve));
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: credential ? { authorization: `Bearer ${credential}` } : {},
    retryAttempts: 0,
    on: {
      connected: () => setTimeout(acknowledged, 150), // the subscribe frame follows the ack
      closed: (event) => (live.closed = event as { code: number; reason: string }),
    },
  });
  const live: LiveSubscription<T> = { received: [], errors: [], client, ready };
  client.subscribe<Record<string, T>>(
    { query, variables },
    {
      next: (m) => (m.errors ? live.errors.push(...m.errors) : live.received.push(Object.values(m.data ?? {})[0] as T)),
      error: (e) => live.errors.push(e),
      complete: () => undefined,
    },
  );
  return live;
}

export async function until(check: () => boolean, ms = 5000): Promise<void> {
  for (const end = Date.now() + ms; !check() && Date.now() < end;) await new Promise((r) => setTimeout(r, 20));
}
