import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ComplexityEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';

/** A list field costs its children once per requested item (`first`). */
const pageSizeEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const first = typeof args.first === 'number' ? args.first : undefined;
  return first === undefined ? undefined : 1 + childComplexity * first;
};

/**
 * Refuses operations whose estimated cost exceeds `maximum`, before they run. A plugin rather
 * than a validation rule because the cost depends on variables (`first: $n`).
 */
export function complexityLimitPlugin(maximum: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          let cost: number;
          try {
            cost = getComplexity({
              schema,
              query: document,
              operationName: request.operationName,
              variables: request.variables,
              estimators: [pageSizeEstimator, simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch {
            // Variables that do not fit the operation: execution reports them as BAD_USER_INPUT.
            return;
          }
          if (cost > maximum) {
            throw new GraphQLError(`Query is too complex: estimated cost ${cost} exceeds the limit of ${maximum}; ask for fewer items or fields`, {
              extensions: { code: 'BAD_USER_INPUT', limit: maximum, cost, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
