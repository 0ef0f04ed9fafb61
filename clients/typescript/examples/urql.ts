// urql: its default sends queries as GET, which Apollo Server's CSRF prevention refuses (a GET needs
// an `apollo-require-preflight` header). preferGetMethod: false sends every operation as a POST
// with content-type application/json: answers depend on the caller's credential, so GET's
// cacheability buys nothing, and POST keeps variables (phone numbers, emails) out of URLs and logs.
import { cacheExchange, Client, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient } from 'graphql-ws';

export function createUrqlClient(options: { url: string; getToken: () => string | undefined; webSocketImpl?: unknown }) {
  const authorization = (): Record<string, string> => {
    const token = options.getToken();
    return token ? { authorization: `Bearer ${token}` } : {};
  };
  const socket = createClient({
    url: options.url.replace(/^http/, 'ws'),
    // In Node 20 pass `WebSocket` from the ws package; browsers have their own.
    webSocketImpl: options.webSocketImpl,
    // Read on every (re)connection: a refreshed token is used from then on.
    connectionParams: authorization,
  });
  return new Client({
    url: options.url,
    preferGetMethod: false,
    fetchOptions: () => ({ headers: authorization() }),
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const operation = { ...request, query: request.query ?? '' };
          return { subscribe: (sink) => ({ unsubscribe: socket.subscribe(operation, sink) }) };
        },
      }),
    ],
  });
}
