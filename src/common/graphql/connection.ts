import { Type } from '@nestjs/common';
import { Field, Int, ObjectType, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { badInput } from '../errors/domain-error';

@ObjectType({ description: 'Where a page of a connection is in the whole list (Relay cursor connections).' })
export class PageInfo {
  @Field({ description: 'Whether more nodes follow this page.' })
  hasNextPage: boolean;

  @Field({ description: 'Whether nodes come before this page (true when after was given).' })
  hasPreviousPage: boolean;

  @Field(() => String, { description: 'Cursor of the first edge of the page; null on an empty page.', nullable: true })
  startCursor: string | null;

  @Field(() => String, { description: 'Cursor of the last edge of the page; pass it as after for the next page. Null on an empty page.', nullable: true })
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** Counting is a separate query, run only when a client selects `totalCount` (see ConnectionCountResolver). */
  count: () => Promise<number>;
}

/** Builds the GraphQL types `XxxConnection` and `XxxEdge` for a node type. */
export function ConnectionType<T>(node: Type<T>, name = node.name) {
  @ObjectType(`${name}Edge`, { description: `One ${name} of a page, with the cursor that marks its place in the list.` })
  class EdgeType {
    @Field({ description: `Opaque cursor of this ${name}: pass it as \`after\` to get the ${name}s that follow it. Stable while the list's sort keys of the row do not change.` })
    cursor: string;

    @Field(() => node, { description: `The ${name}.` })
    node: T;
  }

  @ObjectType(`${name}Connection`, {
    isAbstract: true,
    description: `A page of ${name}s (Relay cursor connection): ask for \`first\` (1–100) and pass \`pageInfo.endCursor\` as \`after\` for the next page. A cursor that does not belong to the list is BAD_USER_INPUT.`,
  })
  abstract class ConnectionClass {
    @Field(() => [EdgeType], { description: `The ${name}s of this page, in the list's order.` })
    edges: Edge<T>[];

    @Field(() => PageInfo, { description: 'Whether there are more pages, and the cursors to ask for them.' })
    pageInfo: PageInfo;

    @Field(() => Int, { description: TOTAL_COUNT_DESCRIPTION })
    totalCount: number;
  }
  return ConnectionClass;
}

const TOTAL_COUNT_DESCRIPTION = 'Number of nodes matching the filter, ignoring pagination.';

/** Resolves `totalCount` of a connection type by running its count only when selected. */
export function ConnectionCountResolver(connection: Type<unknown>) {
  @Resolver(() => connection)
  class CountResolver {
    @ResolveField(() => Int, { description: TOTAL_COUNT_DESCRIPTION })
    totalCount(@Parent() page: Connection<unknown>) {
      return page.count();
    }
  }
  return CountResolver;
}

/** Cursors are opaque to clients: base64url JSON of the sort key values of a row. */
export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/** What each value of a cursor must be: a row's timestamp (as encoded, ISO 8601), a UUID, or a whole number ≥ 0. */
export type CursorValue = 'timestamp' | 'uuid' | 'count';

const CURSOR_VALUE: Record<CursorValue, (value: unknown) => boolean> = {
  timestamp: (value) => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) && Number.isFinite(Date.parse(value)),
  uuid: (value) => typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value),
  count: (value) => Number.isSafeInteger(value) && (value as number) >= 0,
};

/**
 * The values of a cursor of the given shape. A cursor is opaque but comes from the client: one that
 * does not decode to values of that shape (a forged or edited one) is BAD_USER_INPUT, never a
 * query with a text where a timestamp belongs.
 */
export function decodeCursor(cursor: string, shape: CursorValue[], argument: 'after' | 'before' = 'after'): unknown[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === shape.length && shape.every((kind, i) => CURSOR_VALUE[kind](values[i]))) return values;
  } catch {
    // fall through to the client error below
  }
  throw badInput('Invalid cursor: pass a cursor returned by this list', { [argument]: ['invalid cursor'] });
}

/** Turns `first + 1` fetched rows into a page. */
export function toConnection<T>(rows: T[], first: number, cursorOf: (row: T) => string, hasPrevious: boolean, count: () => Promise<number>): Connection<T> {
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ node, cursor: cursorOf(node) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: hasPrevious,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    count,
  };
}

/** The arguments of a connection field: `first`/`after` pages forward, `last`/`before` backward. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** A page to read: how many rows, which way from the cursor (backward reads towards the start of the list). */
export interface PageRequest {
  size: number;
  backward: boolean;
  cursor?: string;
  /** The argument the cursor came in, for error messages. */
  cursorArgument: 'after' | 'before';
}

/** Page size when a connection is asked for neither `first` nor `last`. */
export const DEFAULT_PAGE_SIZE = 20;

/** Checks a connection's arguments: one direction at a time, a size from 1 to `max`. */
export function pageRequest(args: PageArgs, max: number): PageRequest {
  const { first, after, last, before } = args;
  const backward = last != null || before != null;
  if (backward && (first != null || after != null)) {
    throw badInput('Page forward with first/after or backward with last/before, not both', { [first != null ? 'first' : 'after']: ['not with last or before'] });
  }
  const size = (backward ? last : first) ?? DEFAULT_PAGE_SIZE;
  const name = backward ? 'last' : 'first';
  if (!Number.isInteger(size) || size < 1 || size > max) throw badInput(`${name} must be between 1 and ${max}`, { [name]: [`between 1 and ${max}`] });
  return { size, backward, cursor: (backward ? before : after) ?? undefined, cursorArgument: backward ? 'before' : 'after' };
}

/**
 * A log listed newest first by its time-ordered ids (UUIDv7), paged both ways. The arguments are
 * checked at once (a bad cursor is the caller's first error); the returned function reads the page
 * from the filtered list `query` (a fresh builder) — a backward page reads towards the newest.
 */
export function newestFirstPage(args: PageArgs, max: number) {
  const request = pageRequest(args, max);
  const [cursorId] = request.cursor ? (decodeCursor(request.cursor, ['uuid'], request.cursorArgument) as [string]) : [];
  const descending = !request.backward;
  return async <T extends ObjectLiteral & { id: string }>(query: SelectQueryBuilder<T>, count: () => Promise<number>): Promise<Connection<T>> => {
    const id = `${query.alias}.id`;
    query.orderBy(id, descending ? 'DESC' : 'ASC').take(request.size + 1);
    if (cursorId) query.andWhere(descending ? `${id} < :cursorId` : `${id} > :cursorId`, { cursorId });
    return pageOf(await query.getMany(), request, (row) => encodeCursor([row.id]), count);
  };
}

/**
 * Turns the rows read for a page (`size + 1` at most, in reading order: list order forward, the
 * reverse of it backward) into the page, in list order.
 */
export function pageOf<T>(rows: T[], request: PageRequest, cursorOf: (row: T) => string, count: () => Promise<number>): Connection<T> {
  if (!request.backward) return toConnection(rows, request.size, cursorOf, Boolean(request.cursor), count);
  const edges = rows
    .slice(0, request.size)
    .reverse()
    .map((node) => ({ node, cursor: cursorOf(node) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: Boolean(request.cursor),
      hasPreviousPage: rows.length > request.size,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    count,
  };
}

/**
 * The Relay paging arguments of every connection field, as named arguments (an ArgsType would be
 * validated together with the field's other arguments): forward with `first`/`after`, backward
 * with `last`/`before`.
 */
export const PAGE_ARGS = {
  first: {
    type: () => Int,
    nullable: true,
    description: `How many nodes from the start of the list (or after \`after\`), 1–100; ${DEFAULT_PAGE_SIZE} when neither first nor last is given.`,
  },
  after: { type: () => String, nullable: true, description: 'The endCursor of the previous page: the page starts after it.' },
  last: { type: () => Int, nullable: true, description: 'How many nodes from the end of the list (or before `before`), 1–100; not with first or after.' },
  before: { type: () => String, nullable: true, description: 'The startCursor of the next page: the page ends before it.' },
} as const;
