import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Statement } from '../common/database/batch';
import { TenantTransactions } from '../common/database/tenant-transactions';
import { badInput } from '../common/errors/domain-error';
import { Connection, decodeCursor, encodeCursor, PageArgs, pageRequest, toConnection } from '../common/graphql/connection';
import { RequestContext } from '../common/request-context';
import { toAsciiDigits } from '../common/text/arabic-text';
import { highlight, searchDocument, searchTerms, toTsQuery } from '../common/text/search-text';
import { normalisePhone } from './customer-identity';
import { TicketsFilterInput } from './dto/tickets-filter.input';
import { TicketSearchResult } from './dto/ticket-search.types';
import { Message } from './entities/message.entity';
import { Ticket } from './entities/ticket.entity';
import { writeTicketDocuments } from './ticket-search-document';
import { MAX_PAGE_SIZE, ticketsMatching } from './tickets-query';

/**
 * Ranking looks at the newest matches only: a word in a third of all tickets ("شحن") must not
 * make every search rank a third of the store. Exact matches (a ticket number, an order id, a
 * phone) are rare and always inside this window.
 */
export const SEARCH_WINDOW = 1_000;

/**
 * Ticket search: one weighted full-text document per ticket, kept current as tickets and
 * messages are written (in the same transaction), queried with the caller's ticket filters.
 */
@Injectable()
export class TicketSearchService {
  constructor(private readonly db: TenantTransactions) {}

  /** (Re)builds the documents of tickets from what is stored: head fields, customer and every message. */
  index(manager: EntityManager, tenantId: string, ticketIds: readonly string[]): Promise<void> {
    return writeTicketDocuments((sql, parameters) => manager.query(sql, parameters), tenantId, ticketIds);
  }

  /** A new message extends its ticket's document without re-reading the conversation (a statement to send with others). */
  appendMessageStatement(tenantId: string, ticketId: string, body: string): Statement {
    return {
      sql: `UPDATE ticket_search SET document = document || setweight(to_tsvector('simple', $3), 'B') WHERE tenant_id = $1 AND ticket_id = $2`,
      parameters: [tenantId, ticketId, searchDocument(body)],
    };
  }

  /**
   * Tickets matching every word of `query` (the last as a prefix) in number, subject, tags,
   * order, product, customer name/email/phone and messages, ranked (head above conversation,
   * an exact ticket number first), with a highlighted snippet. A phone number in any format is
   * searched in E.164.
   */
  async search(ctx: RequestContext, query: string, filter: TicketsFilterInput = {}, paging: PageArgs | number = {}): Promise<Connection<TicketSearchResult>> {
    const request = pageRequest(typeof paging === 'number' ? { first: paging } : paging, MAX_PAGE_SIZE);
    if (query.length > 200) throw badInput('The query is longer than 200 characters', { query: ['at most 200 characters'] });
    const plan = searchPlan(query, ctx.tenantCountry);
    if (!plan) throw badInput('The query has no words or numbers to search for', { query: ['give at least one word or number'] });
    // A cursor is a result's position (from 1). Forward pages start after it; a backward page ends
    // before it (or at the end of the ranked window when there is no cursor).
    const position = request.cursor ? Number(decodeCursor(request.cursor, ['count'], request.cursorArgument)[0]) : undefined;
    if (position !== undefined && (!Number.isInteger(position) || position < 0))
      throw badInput('Invalid cursor: pass a cursor returned by this search', { [request.cursorArgument]: ['invalid cursor'] });
    if (request.backward && position === undefined) throw badInput('Search results page backward from a cursor: give before with last', { before: ['required with last'] });
    const offset = request.backward ? Math.max(0, position! - 1 - request.size) : (position ?? 0);
    const first = request.backward ? position! - 1 - offset : request.size;

    const rows = await this.db.read(ctx, async (manager) => {
      const candidates = await this.newestMatches(manager, ctx.tenantId, filter, plan.tsQuery);
      // An exact ticket number leads, then relevance, then the newest.
      const ranked: Array<{ id: string; score: number; exact: boolean }> = candidates.length
        ? await manager.query(
            `SELECT c.id, ts_rank_cd(s.document, to_tsquery('simple', $2))::float8 AS score, c.number = $3 AS exact
               FROM unnest($4::uuid[], $5::timestamptz[], $6::int[]) AS c(id, created_at, number)
               JOIN ticket_search s ON s.tenant_id = $1 AND s.ticket_id = c.id
              ORDER BY exact DESC, score DESC, c.created_at DESC, c.id DESC
             OFFSET $7 LIMIT $8`,
            [ctx.tenantId, plan.tsQuery, plan.number ?? -1, candidates.map((c) => c.id), candidates.map((c) => c.created_at), candidates.map((c) => c.number), offset, first + 1],
          )
        : [];
      // The exact ticket number leads the first page even when its document is outside the window.
      if (plan.number !== undefined && offset === 0 && !ranked.some((r) => r.exact)) {
        const exact = await ticketsMatching(manager, ctx.tenantId, filter).andWhere('t.number = :number', { number: plan.number }).getOne();
        if (exact) ranked.unshift({ id: exact.id, score: 0, exact: true });
      }
      const page = ranked.slice(0, first + 1);
      const ids = page.map((r) => r.id);
      // Never findBy with an empty list: TypeORM reads no condition as "every ticket".
      const tickets = ids.length ? await manager.findBy(Ticket, { tenantId: ctx.tenantId, id: In(ids) }) : [];
      const messages = ids.length
        ? await manager.createQueryBuilder(Message, 'm').where('m.tenant_id = :tenantId AND m.ticket_id IN (:...ids)', { tenantId: ctx.tenantId, ids }).orderBy('m.created_at', 'ASC').getMany()
        : [];
      const byId = new Map(tickets.map((t) => [t.id, t]));
      return page.flatMap((r, i) => {
        const ticket = byId.get(r.id);
        if (!ticket) return [];
        const texts = [ticket.subject, ...messages.filter((m) => m.ticketId === r.id).map((m) => m.body)];
        const snippet = texts.map((text) => highlight(text, plan.terms)).find((h) => h !== null) ?? null;
        return [{ ticket, score: r.exact ? r.score + 1 : r.score, highlight: snippet, position: offset + i + 1 }];
      });
    });
    const count = () =>
      this.db.read(ctx, async (manager) => {
        const [sql, params] = ticketsMatching(manager, ctx.tenantId, filter).select('count(*)::int', 'count').innerJoin('matched', 'm', 'm.ticket_id = t.id').getQueryAndParameters();
        // MATERIALIZED: the planner cannot turn the matches into a walk over every ticket.
        const cte = `WITH matched AS MATERIALIZED (SELECT ticket_id FROM ticket_search_matches($${params.length + 1}::tsquery, NULL, NULL, NULL))`;
        const [{ count }] = await manager.query(`${cte} ${sql}`, [...params, plan.tsQuery]);
        return count as number;
      });
    if (!request.backward) return toConnection(rows, first, (r) => encodeCursor([r.position]), offset > 0, count);
    const edges = rows.slice(0, first).map((node) => ({ node, cursor: encodeCursor([node.position]) }));
    return {
      edges,
      pageInfo: { hasPreviousPage: offset > 0, hasNextPage: true, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
      count,
    };
  }

  /**
   * The newest SEARCH_WINDOW tickets matching the filter and the query, exactly. The index gives
   * the newest matches week by week (ticket_search_matches); the ticket filters apply to those,
   * and when they leave too few, more are asked for — as many as the filter's pass rate so far
   * says are needed. A word in a quarter of the tickets costs its newest thousand matches, not a
   * quarter of the store.
   */
  private async newestMatches(manager: EntityManager, tenantId: string, filter: TicketsFilterInput, tsQuery: string): Promise<Array<{ id: string; created_at: Date; number: number }>> {
    const found: Array<{ id: string; created_at: Date; number: number }> = [];
    // Exact to the microsecond, as text: a JavaScript Date would cut the cursor to milliseconds.
    let before: { created_at: string; ticket_id: string } | undefined;
    let ask = SEARCH_WINDOW;
    for (;;) {
      const matches: Array<{ ticket_id: string; created_at: string }> = await manager.query(
        `SELECT ticket_id, created_at::text AS created_at FROM ticket_search_matches($1::tsquery, $2::timestamptz, $3, $4)`,
        [tsQuery, before?.created_at ?? null, before?.ticket_id ?? null, ask],
      );
      if (matches.length === 0) return found;
      const passed: typeof found = await ticketsMatching(manager, tenantId, filter)
        .select(['t.id AS id', 't.created_at AS created_at', 't.number AS number'])
        .andWhere('t.id = ANY(:matchIds)', { matchIds: matches.map((m) => m.ticket_id) })
        .orderBy('t.created_at', 'DESC')
        .limit(SEARCH_WINDOW - found.length)
        .getRawMany();
      found.push(...passed);
      if (found.length >= SEARCH_WINDOW || matches.length < ask) return found;
      // The filter's pass rate so far → how many more matches to read, with a margin (at most MAX_ASK at a time).
      const rate = Math.max(passed.length / matches.length, 0.01);
      ask = Math.min(MAX_ASK, Math.ceil(((SEARCH_WINDOW - found.length) / rate) * 1.25));
      before = matches[matches.length - 1];
    }
  }
}

/** The most matches read from the index in one step when the ticket filters pass few. */
const MAX_ASK = 20_000;

export interface SearchPlan {
  terms: string[];
  tsQuery: string;
  number?: number;
}

/** How a typed query is searched: its terms, the tsquery, and a ticket number when it is one ("#1042", "١٠٤٢"). */
export function searchPlan(query: string, country: string): SearchPlan | null {
  const trimmed = toAsciiDigits(query).trim();
  const numberMatch = /^#?\s*(\d{1,9})$/.exec(trimmed);
  const number = numberMatch ? Number(numberMatch[1]) : undefined;
  const phoneLike = /^\+?[\d\s\-().]{8,}$/.test(trimmed) && !numberMatch?.[0].startsWith('#') ? normalisePhone(trimmed, country) : undefined;
  const terms = phoneLike ? [phoneLike.slice(1)] : searchTerms(query);
  const tsQuery = toTsQuery(terms);
  return tsQuery ? { terms, tsQuery, number } : null;
}
