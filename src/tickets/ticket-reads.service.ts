import { Injectable } from '@nestjs/common';
import { entityReader, selectEntities } from '../common/database/entity-rows';
import { TenantScope, TenantTransactions, tenantOf } from '../common/database/tenant-transactions';
import { notFound } from '../common/errors/domain-error';
import { Connection, decodeCursor, encodeCursor, PageArgs, pageOf, pageRequest } from '../common/graphql/connection';
import { RequestContext } from '../common/request-context';
import { SortDirection, TicketSortField, TicketSortInput, TicketsFilterInput } from './dto/tickets-filter.input';
import { Message } from './entities/message.entity';
import { TicketEvent } from './entities/ticket-event.entity';
import { Customer } from './entities/customer.entity';
import { Ticket } from './entities/ticket.entity';
import { PRIORITY_RANK } from './ticket-enums';
import { MAX_PAGE_SIZE, ticketsMatching } from './tickets-query';

/**
 * What can be read of tickets: one ticket, a page of a filtered list, and the messages, events and
 * tickets that per-request DataLoaders ask for in batches. The commands that change tickets are in
 * TicketsService.
 */
@Injectable()
export class TicketReadsService {
  constructor(private readonly db: TenantTransactions) {}

  // One ticket by its key through the driver's row reader, as lists are: TypeORM's query building and
  // aliasing were a tenth of the server's time on `ticket(id)` in the profile.
  async get(ctx: RequestContext, id: string): Promise<Ticket> {
    const [ticket] = await this.db.read(ctx, (m) => selectEntities(m, Ticket, 'WHERE tenant_id = $1 AND id = $2', [ctx.tenantId, id]));
    if (!ticket) throw notFound('Ticket', id);
    return ticket;
  }

  /** get() as the caller may see it: staff any of the store's tickets, a customer only their own (another's is as absent as none). */
  async getForCaller(ctx: RequestContext, id: string): Promise<Ticket> {
    const ticket = await this.get(ctx, id);
    if (ctx.customerId !== undefined && ticket.customerId !== ctx.customerId) throw notFound('Ticket', id);
    return ticket;
  }

  async getByNumber(ctx: RequestContext, number: number): Promise<Ticket> {
    const [ticket] = await this.db.read(ctx, (m) => selectEntities(m, Ticket, 'WHERE tenant_id = $1 AND number = $2', [ctx.tenantId, number]));
    if (!ticket) throw notFound('Ticket', `#${number}`);
    return ticket;
  }

  async byIds(scope: TenantScope, ids: readonly string[]): Promise<Ticket[]> {
    const tenantId = tenantOf(scope);
    return this.db.read(scope, (m) => selectEntities(m, Ticket, 'WHERE tenant_id = $1 AND id = ANY($2)', [tenantId, ids]));
  }

  /** Messages of several tickets in one query, oldest first; internal notes only when asked for. */
  async messagesOf(scope: TenantScope, ticketIds: readonly string[], includeInternal: boolean): Promise<Message[]> {
    const tenantId = tenantOf(scope);
    return this.db.read(scope, (m) =>
      selectEntities(m, Message, `WHERE tenant_id = $1 AND ticket_id = ANY($2)${includeInternal ? '' : ' AND NOT internal'} ORDER BY created_at, id`, [tenantId, ticketIds]),
    );
  }

  async messagesByIds(scope: TenantScope, ids: readonly string[]): Promise<Message[]> {
    const tenantId = tenantOf(scope);
    return this.db.read(scope, (m) => selectEntities(m, Message, 'WHERE tenant_id = $1 AND id = ANY($2)', [tenantId, ids]));
  }

  /** A message as the caller may see it: staff any of the store's, a customer only a public message of their own tickets. */
  async messageForCaller(ctx: RequestContext, id: string): Promise<Message | null> {
    if (ctx.customerId === undefined) return (await this.messagesByIds(ctx, [id]))[0] ?? null;
    const [message] = await this.db.read(ctx, (m) =>
      selectEntities(m, Message, 'WHERE tenant_id = $1 AND id = $2 AND NOT internal AND ticket_id IN (SELECT id FROM tickets WHERE tenant_id = $1 AND customer_id = $3)', [
        ctx.tenantId,
        id,
        ctx.customerId,
      ]),
    );
    return message ?? null;
  }

  async eventsOf(scope: TenantScope, ticketIds: readonly string[]): Promise<TicketEvent[]> {
    const tenantId = tenantOf(scope);
    return this.db.read(scope, (m) => selectEntities(m, TicketEvent, 'WHERE tenant_id = $1 AND ticket_id = ANY($2) ORDER BY created_at, id', [tenantId, ticketIds]));
  }

  /**
   * Keyset pagination: the cursor holds the sort key of a row, so page 1000 costs what page 1
   * costs, and rows inserted meanwhile neither repeat nor vanish. Backward pages (`last`/`before`)
   * read the same index the other way and are returned in list order.
   *
   * `withCustomers`: the page's customers are read in the same round trip as the page (a list that
   * shows who wrote each ticket), and handed to it.
   */
  async list(ctx: RequestContext, filter: TicketsFilterInput = {}, sort?: TicketSortInput, page: PageArgs = {}, withCustomers?: (customers: Customer[]) => void): Promise<Connection<Ticket>> {
    const request = pageRequest(page, MAX_PAGE_SIZE);
    const field = sort?.field ?? TicketSortField.CREATED_AT;
    const direction = sort?.direction ?? SortDirection.DESC;
    // Reading backward walks the list's order in reverse from the cursor.
    const descending = (direction === SortDirection.DESC) !== request.backward;
    const keys = this.sortKeys(field);
    const cursorOf = (t: Ticket) =>
      encodeCursor(keys.map((k) => (k === 't.priority' ? PRIORITY_RANK[t.priority] : k === 't.id' ? t.id : (k === 't.created_at' ? t.createdAt : t.updatedAt).toISOString())));

    const rows = await this.db.read(ctx, async (manager) => {
      const query = ticketsMatching(manager, ctx.tenantId, filter);
      if (request.cursor) {
        const values = decodeCursor(
          request.cursor,
          keys.map((k) => (k === 't.priority' ? 'count' : k === 't.id' ? 'uuid' : 'timestamp')),
          request.cursorArgument,
        );
        const params = Object.fromEntries(values.map((v, i) => [`c${i}`, v]));
        query.andWhere(`(${keys.join(', ')}) ${descending ? '<' : '>'} (${keys.map((_, i) => `:c${i}`).join(', ')})`, params);
      }
      keys.forEach((key, i) => (i === 0 ? query.orderBy(key, descending ? 'DESC' : 'ASC') : query.addOrderBy(key, descending ? 'DESC' : 'ASC')));
      const [sql, parameters] = query
        .select('t.*')
        .limit(request.size + 1)
        .getQueryAndParameters();
      const ticketOf = entityReader(manager, Ticket);
      // Asked for in the same turn, the two reads travel as one round trip (see StatementQueue).
      const [tickets, customers] = (await Promise.all([
        manager.query(sql, parameters),
        withCustomers && manager.query(`SELECT * FROM customers WHERE tenant_id = $${parameters.length + 1} AND id IN (SELECT p.customer_id FROM (${sql}) p)`, [...parameters, ctx.tenantId]),
      ])) as Array<Array<Record<string, unknown>> | undefined>;
      if (customers) withCustomers!(customers.map(entityReader(manager, Customer)));
      return tickets!.map(ticketOf);
    });
    const count = () => this.db.read(ctx, (manager) => ticketsMatching(manager, ctx.tenantId, filter).getCount());
    return pageOf(rows, request, cursorOf, count);
  }

  private sortKeys(field: TicketSortField): string[] {
    switch (field) {
      case TicketSortField.UPDATED_AT:
        return ['t.updated_at', 't.id'];
      case TicketSortField.PRIORITY:
        return ['t.priority', 't.created_at', 't.id'];
      default:
        return ['t.created_at', 't.id'];
    }
  }
}
