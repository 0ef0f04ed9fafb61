import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { RequestContext } from '../common/request-context';
import { Ticket } from './entities/ticket.entity';
import { AuthorType, TicketStatus } from './ticket-enums';

/** What happened to a ticket, in the words of the tickets module. */
export interface TicketChange {
  /** The ticket after the change. */
  ticket: Ticket;
  /** A message was added (applied after any status change it caused). */
  message?: { authorType: AuthorType; internal: boolean; at: Date };
  statusChange?: { from: TicketStatus; to: TicketStatus; at: Date };
  /** Channel, category, priority or tags changed: whatever depends on them must be re-decided. */
  reclassified?: boolean;
}

/**
 * Other modules (SLA today, routing and webhooks later) react to ticket changes inside the same
 * transaction through this registry, so the tickets module never imports them.
 */
export interface TicketListener {
  /** Extra fields for a ticket about to be inserted. */
  fieldsForNewTicket?(manager: EntityManager, ctx: RequestContext, ticket: Ticket, customerTier: string | undefined): Promise<Partial<Ticket>>;
  /** After a change; returns the fields it wrote, so the caller's copy stays current. */
  afterChange?(manager: EntityManager, ctx: RequestContext, change: TicketChange): Promise<Partial<Ticket>>;
}

@Injectable()
export class TicketListeners {
  private readonly listeners: TicketListener[] = [];

  register(listener: TicketListener): void {
    this.listeners.push(listener);
  }

  async fieldsForNewTicket(manager: EntityManager, ctx: RequestContext, ticket: Ticket, customerTier: string | undefined): Promise<Partial<Ticket>> {
    const fields: Partial<Ticket> = {};
    for (const listener of this.listeners) Object.assign(fields, await listener.fieldsForNewTicket?.(manager, ctx, ticket, customerTier));
    return fields;
  }

  async afterChange(manager: EntityManager, ctx: RequestContext, change: TicketChange): Promise<Ticket> {
    for (const listener of this.listeners) Object.assign(change.ticket, await listener.afterChange?.(manager, ctx, change));
    return change.ticket;
  }
}
