import type { GraphQLSchema } from 'graphql';

/**
 * Code first has no decorator for the root operation types, so their descriptions are set on the
 * built schema (also written to schema.gql: `transformAutoSchemaFile`).
 */
export function describeRootTypes(schema: GraphQLSchema): GraphQLSchema {
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  const subscription = schema.getSubscriptionType();
  if (query)
    query.description =
      "Reads, at POST /graphql with `Authorization: Bearer <API key, agent access token or customer token>`. Every field names the scope it needs; everything is limited to the caller's store. Times are ISO 8601 instants; periods and buckets use the store's time zone.";
  if (mutation)
    mutation.description =
      "Changes, at POST /graphql with `Authorization: Bearer <credential>`. Each mutation commits before its answer is sent (CONFLICT or SERVICE_UNAVAILABLE when the commit fails); every change is attributed to its actor in the ticket's audit timeline.";
  if (subscription)
    subscription.description =
      'Real-time events over graphql-ws at /graphql; the credential goes in connection_init\'s payload as `{ "Authorization": "Bearer <credential>" }`. Events are limited to the caller\'s store and what the caller may read.';
  return schema;
}
