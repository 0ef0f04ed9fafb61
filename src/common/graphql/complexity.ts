import { getNamedType, getNullableType, GraphQLError, GraphQLSchema, isListType, DocumentNode } from 'graphql';
import { ComplexityEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE } from './connection';

/** What a list without `first` is assumed to hold (agents, teams, a ticket's messages …). */
export const DEFAULT_LIST_SIZE = 10;

/** A connection's `totalCount` is a COUNT over everything the filter matches: a query of its own, priced like a page of ten. */
export const TOTAL_COUNT_COST = 10;

const totalCountEstimator: ComplexityEstimator = ({ field, type }) => (field.name === 'totalCount' && type.name.endsWith('Connection') ? TOTAL_COUNT_COST : undefined);

/**
 * A list field costs its children once per item: `first` (or a connection's `last`) items when
 * asked for, a connection's default page when not, else DEFAULT_LIST_SIZE. A connection's `edges`
 * count once: their number is the connection's page size.
 */
const listEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const size = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : undefined;
  if (size !== undefined) return 1 + childComplexity * Math.max(size, 0);
  if (getNamedType(field.type).name.endsWith('Connection')) return 1 + childComplexity * DEFAULT_PAGE_SIZE;
  if (!isListType(getNullableType(field.type))) return undefined;
  if (getNamedType(type).name.endsWith('Connection')) return 1 + childComplexity;
  return 1 + childComplexity * DEFAULT_LIST_SIZE;
};

/** The estimated cost of an operation; throws when the variables do not fit it. */
export function estimateComplexity(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | undefined): number {
  return getComplexity({
    schema,
    query: document,
    operationName: operationName ?? undefined,
    variables,
    estimators: [totalCountEstimator, listEstimator, simpleEstimator({ defaultComplexity: 1 })],
  });
}

export function tooComplex(cost: number, maximum: number): GraphQLError {
  return new GraphQLError(`Query is too complex: estimated cost ${cost} exceeds the limit of ${maximum}; ask for fewer items or fields`, {
    extensions: { code: 'BAD_USER_INPUT', limit: maximum, cost, http: { status: 400 } },
  });
}
