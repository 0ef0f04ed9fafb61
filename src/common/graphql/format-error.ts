import { GraphQLFormattedError } from 'graphql';

/** Apollo's own codes for a client's malformed or invalid operation. */
const CLIENT_MISTAKES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE']);

/** graphql-js stops coercing variables after 50 errors with this error, which Apollo leaves as an internal one. */
const TOO_MANY_VARIABLE_ERRORS = /^Too many errors processing variables/;

/** graphql-js's hints at schema names, e.g. in a variable's coercion error: 'Did you mean the enum value "ACCOUNT"?' */
const SUGGESTION = / Did you mean [^?]*\?$/;

/**
 * The last step before an error leaves: one vocabulary (client mistakes are BAD_USER_INPUT, as
 * in design.md) and nothing internal (no stack traces, no exception details). With `hideSuggestions`
 * (introspection off), no "Did you mean …": Apollo drops them from validation errors only, and
 * variable coercion would still name enum values.
 */
export function graphQLErrorFormatter({ hideSuggestions }: { hideSuggestions: boolean }) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    const result = formatGraphQLError(formatted);
    return hideSuggestions && SUGGESTION.test(result.message) ? { ...result, message: result.message.replace(SUGGESTION, '') } : result;
  };
}

export function formatGraphQLError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const { stacktrace: _stacktrace, exception: _exception, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
  const clientMistake =
    (typeof extensions.code === 'string' && CLIENT_MISTAKES.has(extensions.code)) ||
    ((extensions.code ?? 'INTERNAL_SERVER_ERROR') === 'INTERNAL_SERVER_ERROR' && TOO_MANY_VARIABLE_ERRORS.test(formatted.message));
  const code = clientMistake ? 'BAD_USER_INPUT' : (extensions.code ?? 'INTERNAL_SERVER_ERROR');
  if (code === 'INTERNAL_SERVER_ERROR') return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code } };
  return { ...formatted, extensions: { ...extensions, code } };
}
