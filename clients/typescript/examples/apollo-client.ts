// Apollo Client 4: queries and mutations over HTTP (POST with content-type application/json, which
// Apollo Server's CSRF prevention accepts), subscriptions over graphql-ws, one credential for both.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';

export function createApolloClient(options: { url: string; getToken: () => string | undefined; webSocketImpl?: unknown }) {
  const authorization = (): Record<string, string> => {
    const token = options.getToken();
    return token ? { authorization: `Bearer ${token}` } : {};
  };
  const http = new SetContextLink((context) => ({ headers: { ...context.headers, ...authorization() } })).concat(new HttpLink({ uri: options.url }));
  const ws = new GraphQLWsLink(
    createClient({
      url: options.url.replace(/^http/, 'ws'),
      // In Node 20 pass `WebSocket` from the ws package; browsers have their own.
      webSocketImpl: options.webSocketImpl,
      // Read on every (re)connection: a refreshed token is used from then on.
      connectionParams: authorization,
    }),
  );
  return new ApolloClient({
    link: ApolloLink.split((operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION, ws, http),
    cache: new InMemoryCache(),
  });
}
