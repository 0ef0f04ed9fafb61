// graphql-request 7 (ES modules only): POST with content-type application/json; the headers are
// a function so each request carries the current token. It has no subscriptions: use graphql-ws
// (or createRidaClient) for those.
import { GraphQLClient } from 'graphql-request';

export function createGraphQLRequestClient(options: { url: string; getToken: () => string | undefined }) {
  return new GraphQLClient(options.url, {
    headers: (): Record<string, string> => {
      const token = options.getToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
  });
}
