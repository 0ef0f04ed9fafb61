import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { TenantTransactions } from '../common/database/tenant-transactions';
import { badInput, conflict, notFound } from '../common/errors/domain-error';
import { RequestContext } from '../common/request-context';
import { Customer } from './entities/customer.entity';
import { Message } from './entities/message.entity';
import { Ticket } from './entities/ticket.entity';
import { AuthorType, TIER_RANK, TicketEventType, TicketStatus } from './ticket-enums';
import { insertTicketEvents } from './ticket-events';
import { TicketListeners } from './ticket-listeners';
import { TicketSearchService } from './ticket-search.service';
import { normaliseTags } from './ticket-tags';

/** Tables whose rows belong to a ticket and follow it into a merge. */
const TICKET_CHILDREN = ['messages', 'ticket_events', 'calls', 'csat_surveys', 'compensations', 'scheduled_automations'];
/** Tables whose rows belong to a customer and follow them into a merge. */
const CUSTOMER_CHILDREN = ['customer_identities', 'orders', 'calls', 'csat_surveys'];

/**
 * Cleaning up duplicates: two tickets about one problem become one conversation, two customer
 * records of one person become one customer. Both are single transactions with the rows locked
 * in id order (two merges of the same pair cannot deadlock), audited on the tickets' timelines.
 */
@Injectable()
export class TicketMergeService {
  constructor(
    private readonly db: TenantTransactions,
    private readonly listeners: TicketListeners,
    private readonly search: TicketSearchService,
  ) {}

  /**
   * Moves the source's messages, events, calls, surveys and compensations to the target, closes
   * the source with a link to the target, and recomputes the target's facts (counts, first
   * response, last contacts, tags, order) from the merged conversation.
   */
  async mergeTickets(ctx: RequestContext, sourceId: string, targetId: string): Promise<Ticket> {
    if (sourceId === targetId) throw badInput('A ticket cannot be merged into itself', { targetId: ['must differ from sourceId'] });
    return this.db.run(ctx, async (m) => {
      const [source, target] = await this.lockPair(m, Ticket, ctx.tenantId, sourceId, targetId);
      if (!source) throw notFound('Ticket', sourceId);
      if (!target) throw notFound('Ticket', targetId);
      if (target.status === TicketStatus.CLOSED) throw conflict(`Ticket #${target.number} is closed; merge into an open ticket`);
      if (source.status === TicketStatus.CLOSED) throw conflict(`Ticket #${source.number} is closed and cannot be merged`);

      for (const table of TICKET_CHILDREN) {
        await m.query(`UPDATE ${table} SET ticket_id = $3 WHERE tenant_id = $1 AND ticket_id = $2`, [ctx.tenantId, source.id, target.id]);
      }
      // The note is written first, so the recount below includes it.
      await m.insert(Message, {
        tenantId: ctx.tenantId,
        id: uuidv7(),
        ticketId: target.id,
        authorType: AuthorType.SYSTEM,
        authorId: null,
        authorName: null,
        internal: true,
        body: `دُمجت التذكرة #${source.number} («${source.subject}») في هذه التذكرة — Ticket #${source.number} was merged into this one.`,
        channel: target.channel,
        externalId: null,
      });
      const now = new Date();
      await m.query(
        `UPDATE tickets t SET
           message_count = f.messages, public_agent_reply_count = f.public_replies,
           first_response_at = f.first_reply, last_agent_reply_at = f.last_reply, last_customer_message_at = f.last_customer,
           first_response_business_seconds = CASE WHEN f.first_reply IS NOT DISTINCT FROM t.first_response_at THEN t.first_response_business_seconds ELSE $3 END,
           tags = $4, order_ref = coalesce(t.order_ref, $5), product_ref = coalesce(t.product_ref, $6), updated_at = $7
         FROM (SELECT count(*)::int AS messages,
                      count(*) FILTER (WHERE author_type = 'AGENT' AND NOT internal)::int AS public_replies,
                      min(created_at) FILTER (WHERE author_type = 'AGENT' AND NOT internal) AS first_reply,
                      max(created_at) FILTER (WHERE author_type = 'AGENT' AND NOT internal) AS last_reply,
                      max(created_at) FILTER (WHERE author_type = 'CUSTOMER') AS last_customer
                 FROM messages WHERE tenant_id = $1 AND ticket_id = $2) f
        WHERE t.tenant_id = $1 AND t.id = $2`,
        [ctx.tenantId, target.id, source.firstResponseBusinessSeconds, normaliseTags([...target.tags, ...source.tags]), source.orderRef, source.productRef, now],
      );
      await m.update(
        Ticket,
        { tenantId: ctx.tenantId, id: source.id },
        {
          status: TicketStatus.CLOSED,
          closedAt: now,
          mergedIntoId: target.id,
          messageCount: 0,
          publicAgentReplyCount: 0,
        },
      );
      await insertTicketEvents(m, ctx.actor, [
        { tenantId: ctx.tenantId, ticketId: target.id, type: TicketEventType.MERGED, data: { sourceId: source.id, sourceNumber: source.number } },
        { tenantId: ctx.tenantId, ticketId: source.id, type: TicketEventType.MERGED_INTO, data: { targetId: target.id, targetNumber: target.number } },
        { tenantId: ctx.tenantId, ticketId: source.id, type: TicketEventType.STATUS_CHANGED, data: { from: source.status, to: TicketStatus.CLOSED, reason: 'merged' } },
      ]);
      // The conversation now lives on the target; the empty source is no longer searched.
      await this.search.index(m, ctx.tenantId, [target.id]);
      await m.query(`DELETE FROM ticket_search WHERE tenant_id = $1 AND ticket_id = $2`, [ctx.tenantId, source.id]);
      await this.listeners.afterChange(m, ctx, {
        ticket: await m.findOneByOrFail(Ticket, { tenantId: ctx.tenantId, id: source.id }),
        statusChange: { from: source.status, to: TicketStatus.CLOSED, at: now },
      });
      return this.listeners.afterChange(m, ctx, { ticket: await m.findOneByOrFail(Ticket, { tenantId: ctx.tenantId, id: target.id }), reclassified: true });
    });
  }

  /**
   * Moves the source customer's identities, tickets, orders, calls and surveys to the target and
   * adds up their order history; the source stays as a pointer (`mergedInto`) so ids held by
   * other systems still lead somewhere. Each moved ticket records CUSTOMER_CHANGED.
   */
  async mergeCustomers(ctx: RequestContext, sourceId: string, targetId: string): Promise<Customer> {
    if (sourceId === targetId) throw badInput('A customer cannot be merged into themselves', { targetId: ['must differ from sourceId'] });
    return this.db.run(ctx, async (m) => {
      const [source, target] = await this.lockPair(m, Customer, ctx.tenantId, sourceId, targetId);
      if (!source) throw notFound('Customer', sourceId);
      if (!target) throw notFound('Customer', targetId);
      if (target.mergedIntoId) throw conflict(`Customer ${target.id} was merged into ${target.mergedIntoId}; merge into that customer`);
      if (source.mergedIntoId) throw conflict(`Customer ${source.id} was already merged into ${source.mergedIntoId}`);

      for (const table of CUSTOMER_CHILDREN) {
        await m.query(`UPDATE ${table} SET customer_id = $3 WHERE tenant_id = $1 AND customer_id = $2`, [ctx.tenantId, source.id, target.id]);
      }
      const moved = (
        await m
          .createQueryBuilder()
          .update(Ticket)
          .set({ customerId: target.id })
          .where('tenant_id = :tenantId AND customer_id = :sourceId', { tenantId: ctx.tenantId, sourceId: source.id })
          .returning('id')
          .execute()
      ).raw as Array<{ id: string }>;
      await insertTicketEvents(
        m,
        ctx.actor,
        moved.map(({ id }) => ({ tenantId: ctx.tenantId, ticketId: id, type: TicketEventType.CUSTOMER_CHANGED, data: { from: source.id, to: target.id, reason: 'customers merged' } })),
      );
      const manual = target.tierSource === 'MANUAL' ? target : source.tierSource === 'MANUAL' ? source : undefined;
      await m.update(
        Customer,
        { tenantId: ctx.tenantId, id: target.id },
        {
          name: target.name ?? source.name,
          lifetimeValue: target.lifetimeValue + source.lifetimeValue,
          orderCount: target.orderCount + source.orderCount,
          // A tier the integrator set wins; otherwise the better of the two until the tier rules run again.
          tier: manual ? manual.tier : TIER_RANK[source.tier] > TIER_RANK[target.tier] ? source.tier : target.tier,
          tierSource: manual ? 'MANUAL' : target.tierSource,
        },
      );
      await m.update(Customer, { tenantId: ctx.tenantId, id: source.id }, { mergedIntoId: target.id, lifetimeValue: 0, orderCount: 0 });
      // Every ticket of the merged customer is found by the target's names and identities too.
      const affected = await m.find(Ticket, { select: { id: true }, where: { tenantId: ctx.tenantId, customerId: target.id } });
      for (let i = 0; i < affected.length; i += 500)
        await this.search.index(
          m,
          ctx.tenantId,
          affected.slice(i, i + 500).map((t) => t.id),
        );
      return m.findOneByOrFail(Customer, { tenantId: ctx.tenantId, id: target.id });
    });
  }

  /** Both rows locked FOR UPDATE in id order; either may be missing. */
  private async lockPair<T extends Ticket | Customer>(m: EntityManager, entity: new () => T, tenantId: string, sourceId: string, targetId: string): Promise<[T | undefined, T | undefined]> {
    const rows = (await m.find(entity as never, {
      where: { tenantId, id: In([sourceId, targetId]) } as never,
      order: { id: 'ASC' } as never,
      lock: { mode: 'pessimistic_write' },
    })) as T[];
    return [rows.find((r) => r.id === sourceId), rows.find((r) => r.id === targetId)];
  }
}
