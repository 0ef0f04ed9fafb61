import type { ApolloServerPlugin } from '@apollo/server';
import { DocumentNode, GraphQLError, Kind, visit } from 'graphql';
import { cleanText } from '../text/inbound-text';
import { estimateComplexity, tooComplex } from './complexity';
import { VARIABLE_LIMITS, variableLimitProblem } from './variable-limits';

const refused = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });

/**
 * Object and list nesting of the argument literals written in the document; string literals are
 * cleaned in place on the way (variables were cleaned with the request body).
 */
function literalDepthAndCleanStrings(document: DocumentNode): number {
  let depth = 0;
  let deepest = 0;
  const nest = { enter: () => void (deepest = Math.max(deepest, ++depth)), leave: () => void depth-- };
  visit(document, {
    [Kind.OBJECT]: nest,
    [Kind.LIST]: nest,
    [Kind.STRING]: (node) => {
      const clean = cleanText(node.value);
      if (clean !== node.value) (node as { value: string }).value = clean;
    },
  });
  return deepest;
}

/**
 * Refuses operations that would cost too much before they run: variables that are too large
 * (checked before they are coerced), literals nested too deep, and an estimated cost over
 * `maxComplexity`. A plugin rather than a validation rule because both depend on the variables.
 */
export function operationLimitsPlugin(maxComplexity: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          const problem = variableLimitProblem(request.variables ?? {});
          if (problem) throw refused(`${problem}; send less in one request`);
          if (literalDepthAndCleanStrings(document) > VARIABLE_LIMITS.maxDepth) {
            throw refused(`An argument is nested deeper than ${VARIABLE_LIMITS.maxDepth} levels`);
          }
          let cost: number;
          try {
            cost = estimateComplexity(schema, document, request.operationName, request.variables);
          } catch {
            // Variables that do not fit the operation: execution reports them as BAD_USER_INPUT.
            return;
          }
          if (cost > maxComplexity) throw tooComplex(cost, maxComplexity);
        },
      };
    },
  };
}
