import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { TenantTransactions } from '../common/database/tenant-transactions';
import { badInput } from '../common/errors/domain-error';
import { Connection, decodeCursor, encodeCursor, toConnection } from '../common/graphql/connection';
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
/** Fewer matches than this in the whole store: read them all at once. */
const RARE = 3_000;
/** Day ranges a common word is read by, newest first (days back from today, UTC); null: everything older. */
const DAY_RANGES: ReadonlyArray<number | null> = [1, 7, 35, null];

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

  /** A new message extends its ticket's document without re-reading the conversation. */
  async appendMessage(manager: EntityManager, tenantId: string, ticketId: string, body: string): Promise<void> {
    await manager.query(
      `UPDATE ticket_search SET document = document || setweight(to_tsvector('simple', $3), 'B') WHERE tenant_id = $1 AND ticket_id = $2`,
      [tenantId, ticketId, searchDocument(body)],
    );
  }

  /**
   * Tickets matching every word of `query` (the last as a prefix) in number, subject, tags,
   * order, product, customer name/email/phone and messages, ranked (head above conversation,
   * an exact ticket number first), with a highlighted snippet. A phone number in any format is
   * searched in E.164.
   */
  async search(ctx: RequestContext, query: string, filter: TicketsFilterInput = {}, first = 20, after?: string): Promise<Connection<TicketSearchResult>> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      throw badInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, { first: [`between 1 and ${MAX_PAGE_SIZE}`] });
    }
    if (query.length > 200) throw badInput('The query is longer than 200 characters', { query: ['at most 200 characters'] });
    const plan = searchPlan(query, ctx.tenantCountry);
    if (!plan) throw badInput('The query has no words or numbers to search for', { query: ['give at least one word or number'] });
    const offset = after ? Number(decodeCursor(after, 1)[0]) : 0;
    if (!Number.isInteger(offset) || offset < 0) throw badInput('Invalid cursor: pass a cursor returned by this search', { after: ['invalid cursor'] });

    const rows = await this.db.read(ctx.tenantId, async (manager) => {
      const candidates = await this.newestMatches(manager, ctx.tenantId, filter, plan.tsQuery);
      // An exact ticket number leads, then relevance, then the newest.
      const ranked: Array<{ id: string; score: number; exact: boolean }> = candidates.length
        ? await manager.query(
            `SELECT c.id, ts_rank_cd(s.document, to_tsquery('simple', $2))::float8 AS score, c.number = $3 AS exact
               FROM unnest($4::uuid[], $5::timestamptz[], $6::int[]) AS c(id, created_at, number)
               JOIN ticket_search s ON s.tenant_id = $1 AND s.ticket_id = c.id
              ORDER BY exact DESC, score DESC, c.created_at DESC, c.id DESC
             OFFSET $7 LIMIT $8`,
            [
              ctx.tenantId,
              plan.tsQuery,
              plan.number ?? -1,
              candidates.map((c) => c.id),
              candidates.map((c) => c.created_at),
              candidates.map((c) => c.number),
              offset,
              first + 1,
            ],
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
        ? await manager
            .createQueryBuilder(Message, 'm')
            .where('m.tenant_id = :tenantId AND m.ticket_id IN (:...ids)', { tenantId: ctx.tenantId, ids })
            .orderBy('m.created_at', 'ASC')
            .getMany()
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
      this.db.read(ctx.tenantId, async (manager) => {
        const [sql, params] = ticketsMatching(manager, ctx.tenantId, filter).select('count(*)::int', 'count').innerJoin('matched', 'm', 'm.ticket_id = t.id').getQueryAndParameters();
        const { cte, params: cteParams } = matched(params.length, plan.tsQuery);
        const [{ count }] = await manager.query(`${cte} ${sql}`, [...params, ...cteParams]);
        return count as number;
      });
    return toConnection(rows, first, (r) => encodeCursor([r.position]), offset > 0, count);
  }

  /**
   * The newest SEARCH_WINDOW tickets matching the filter and the query, exactly. A word with few
   * matches (under RARE) is read whole from the index. A common one is read by day ranges, newest
   * first (DAY_RANGES), until the window is full: a word in a quarter of the tickets costs a day
   * of matches, not a quarter of the store.
   */
  private async newestMatches(manager: EntityManager, tenantId: string, filter: TicketsFilterInput, tsQuery: string): Promise<Array<{ id: string; created_at: Date; number: number }>> {
    const newest = async (days: { since?: Date | null; before?: Date | null; max?: number }, limit: number) => {
      const [sql, params] = ticketsMatching(manager, tenantId, filter)
        .select(['t.id AS id', 't.created_at AS created_at', 't.number AS number'])
        .innerJoin('matched', 'm', 'm.ticket_id = t.id')
        .orderBy('t.created_at', 'DESC')
        .limit(limit)
        .getQueryAndParameters();
      const { cte, params: cteParams } = matched(params.length, tsQuery, days);
      return manager.query(`${cte} ${sql}`, [...params, ...cteParams]) as Promise<Array<{ id: string; created_at: Date; number: number }>>;
    };
    const [{ common }]: Array<{ common: boolean }> = await manager.query(
      `SELECT count(*) >= ${RARE} AS common FROM ticket_search_matches($1::tsquery, NULL, NULL, ${RARE})`,
      [tsQuery],
    );
    if (!common) return newest({}, SEARCH_WINDOW);
    const found: Array<{ id: string; created_at: Date; number: number }> = [];
    const today = new Date();
    let before: Date | null = null;
    for (const days of DAY_RANGES) {
      const since = days === null ? null : new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - days));
      found.push(...(await newest({ since, before }, SEARCH_WINDOW - found.length)));
      if (found.length >= SEARCH_WINDOW || since === null) break;
      before = since;
    }
    return found;
  }
}

/**
 * The caller's store's tickets whose document matches, created on or after `since` and before
 * `before` (UTC days; null: no bound), through ticket_search_matches() — the way the GIN index is
 * used under row-level security (see migration SearchByDay1764049000000). MATERIALIZED, so the
 * planner cannot turn it into a walk over every ticket. Parameters n+1 to n+3.
 */
function matched(n: number, tsQuery: string, days: { since?: Date | null; before?: Date | null } = {}): { cte: string; params: unknown[] } {
  return {
    cte: `WITH matched AS MATERIALIZED (SELECT ticket_id FROM ticket_search_matches($${n + 1}::tsquery, $${n + 2}::date, $${n + 3}::date, NULL))`,
    params: [tsQuery, days.since ?? null, days.before ?? null],
  };
}

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
