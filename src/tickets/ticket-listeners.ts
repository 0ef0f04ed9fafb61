import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { JsonObject, RequestContext } from '../common/request-context';
import { Ticket } from './entities/ticket.entity';
import { AuthorType, Channel, TicketStatus } from './ticket-enums';

/** What happened to a ticket, in the words of the tickets module. */
export interface TicketChange {
  /** The ticket after the change. */
  ticket: Ticket;
  /** A message was added (applied after any status change it caused). */
  message?: { id: string; channel: Channel; authorType: AuthorType; internal: boolean; at: Date };
  statusChange?: { from: TicketStatus; to: TicketStatus; at: Date };
  /** Channel, category, priority or tags changed: whatever depends on them must be re-decided. */
  reclassified?: boolean;
  /** The assignee was removed: that agent's capacity is free again. */
  unassigned?: boolean;
}

/** What is known about a ticket about to be inserted, beyond its fields. */
export interface NewTicketDetails {
  customerTier?: string;
  /** The first message's text. */
  body: string;
  /** The caller chose these; otherwise they are provisional and may be decided by a listener. */
  categoryGiven: boolean;
  priorityGiven: boolean;
}

/**
 * Other modules (routing, SLA; webhooks later) react to ticket changes inside the same transaction
 * through this registry, so the tickets module never imports them. Listeners run by `order`
 * (routing decides category and priority before SLA picks a policy from them).
 */
export interface TicketListener {
  /** Fields for a ticket about to be inserted (applied before the next listener runs), and data for its CREATED event. */
  fieldsForNewTicket?(manager: EntityManager, ctx: RequestContext, ticket: Ticket, details: NewTicketDetails): Promise<{ fields?: Partial<Ticket>; eventData?: JsonObject }>;
  /**
   * For a customer's new message: the category it would get, and how long an open ticket of that
   * category stays joinable (omnichannel continuity). Answered by routing.
   */
  categorise?(manager: EntityManager, ctx: RequestContext, message: { subject: string; body: string; channel: string; tier: string }): Promise<{ category: string; continuityWindowHours: number }>;
  /** After a change; returns the fields it wrote, so the caller's copy stays current. */
  afterChange?(manager: EntityManager, ctx: RequestContext, change: TicketChange): Promise<Partial<Ticket>>;
}

@Injectable()
export class TicketListeners {
  private readonly listeners: Array<{ listener: TicketListener; order: number }> = [];

  register(listener: TicketListener, order: number): void {
    this.listeners.push({ listener, order });
    this.listeners.sort((a, b) => a.order - b.order);
  }

  /** Fills the ticket in place; returns the data the listeners add to its CREATED event. */
  async prepareNewTicket(manager: EntityManager, ctx: RequestContext, ticket: Ticket, details: NewTicketDetails): Promise<JsonObject> {
    const eventData: JsonObject = {};
    for (const { listener } of this.listeners) {
      const result = await listener.fieldsForNewTicket?.(manager, ctx, ticket, details);
      Object.assign(ticket, result?.fields);
      Object.assign(eventData, result?.eventData);
    }
    return eventData;
  }

  async categorise(manager: EntityManager, ctx: RequestContext, message: { subject: string; body: string; channel: string; tier: string }) {
    for (const { listener } of this.listeners) {
      const answer = await listener.categorise?.(manager, ctx, message);
      if (answer) return answer;
    }
    return undefined;
  }

  async afterChange(manager: EntityManager, ctx: RequestContext, change: TicketChange): Promise<Ticket> {
    for (const { listener } of this.listeners) Object.assign(change.ticket, await listener.afterChange?.(manager, ctx, change));
    return change.ticket;
  }
}
