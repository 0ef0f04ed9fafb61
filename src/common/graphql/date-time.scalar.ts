import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/** Instants PostgreSQL and every client can hold: four-digit years. */
const EARLIEST = Date.UTC(1000, 0, 1);
const LATEST = Date.UTC(10_000, 0, 1) - 1;

function toInstant(value: unknown): Date {
  const date = typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new GraphQLError(`DateTime expects an ISO 8601 date-time such as 2026-11-25T09:15:00+03:00, got ${JSON.stringify(value)?.slice(0, 60)}`);
  if (date.getTime() < EARLIEST || date.getTime() > LATEST) throw new GraphQLError('DateTime must lie between the years 1000 and 9999');
  return date;
}

/**
 * The DateTime scalar of the schema (same name and description as Nest's), refusing what Nest's
 * accepts as an Invalid Date or an instant PostgreSQL cannot store, as BAD_USER_INPUT.
 */
export const StrictDateTime = new GraphQLScalarType({
  name: 'DateTime',
  description: 'A date-time string at UTC, such as 2019-12-03T09:54:33Z, compliant with the date-time format.',
  parseValue: toInstant,
  serialize: (value) => (value instanceof Date ? value.toISOString() : null),
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING && ast.kind !== Kind.INT) throw new GraphQLError('DateTime expects a string');
    return toInstant(ast.kind === Kind.INT ? Number(ast.value) : ast.value);
  },
});
