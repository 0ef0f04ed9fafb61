import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Statement } from '../common/database/batch';
import type { JsonObject, RequestContext } from '../common/request-context';
import type { Message } from './entities/message.entity';
import { Ticket } from './entities/ticket.entity';
import { AuthorType, Channel, TicketStatus } from './ticket-enums';

/** What happened to a ticket, in the words of the tickets module. */
export interface TicketChange {
  /** The ticket after the change. */
  ticket: Ticket;
  /** A message was added (applied after any status change it caused). */
  message?: {
    id: string;
    channel: Channel;
    authorType: AuthorType;
    internal: boolean;
    at: Date;
    /** As stored with it: its structured parts and the account it came in on or is to go out through. */
    content: JsonObject | null;
    messagingChannelId: string | null;
    /** What a delivery step set on the message row (queued on an account or mailbox, or refused and why): the caller's copy takes it instead of reading the row again. */
    delivery: MessageDelivery;
  };
  statusChange?: { from: TicketStatus; to: TicketStatus; at: Date };
  /** Channel, category, priority or tags changed: whatever depends on them must be re-decided. */
  reclassified?: boolean;
  /** The assignee was removed: that agent's capacity is free again. */
  unassigned?: boolean;
  /** The rows of the reads steps asked to send with the message (readWithMessage), by step. */
  reads?: ReadonlyMap<TicketListener, Array<Record<string, unknown>>>;
}

/** A message about to be written, as readWithMessage is told of it. */
export type PendingMessage = Pick<Message, 'authorType' | 'internal' | 'channel'>;

export type MessageDelivery = Partial<Pick<Message, 'deliveryStatus' | 'deliveryError' | 'messagingChannelId' | 'mailboxId' | 'externalId' | 'content'>>;

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
 * What happens when a ticket is created, gets a message or is updated — in this order, inside the
 * transaction of the change. Each step is done by the module named beside it, which registers
 * itself under the step's name (so tickets never imports those modules); the order is decided
 * here, in one place, and nowhere else.
 *
 *   create:   the customer is found or created, the first message stored (tickets), then
 *             fieldsForNewTicket of each step below, then the CREATED event, the ticket with its
 *             number and its search document (tickets)
 *   message:  the message, the search document and the ticket's counts, the status it causes and
 *             its events (tickets), then afterChange of each step below
 *   update:   the changed fields and their events (tickets), then afterChange of each step below
 *   at COMMIT (every change): the webhook outbox rows and the subscription events, from the
 *             ticket as committed (TicketEventStream)
 */
export const TICKET_PIPELINE = [
  'routing', //          categorise, prioritise, choose the team; joinable open ticket (src/routing)
  'assignment', //       an agent of the team, by its strategy (src/routing)
  'sla', //              policy, deadlines, pause and resume (src/sla)
  'csat', //             the survey when a ticket is solved (src/metrics)
  'survey-message', //   … and its message with the link, some time later (src/channels/store-events)
  'email-delivery', //   an agent's public reply sent by SMTP (src/channels/email)
  'messaging-delivery', // … or on WhatsApp, Instagram, Messenger, X (src/channels/messaging)
  'compensations', //    follow-up of a compensation promised on the ticket (src/tickets/complaints)
  'faq-auto-answer', //  an FAQ answer from the knowledge base (src/knowledge-base)
] as const;

export type TicketPipelineStep = (typeof TICKET_PIPELINE)[number];

/**
 * A step of the ticket pipeline: what a module does when a ticket changes (see TICKET_PIPELINE).
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
  /**
   * For a message about to be written to `ticket` (the ticket before the message, but for its
   * public agent reply count, given as the message leaves it): a read this step's afterChange will
   * need, sent in the message's own round trip instead of one of its own. Its rows reach
   * afterChange as `change.reads.get(this)`. It runs before the earlier steps' afterChange: only
   * for rows that no earlier step writes.
   */
  readWithMessage?(ctx: RequestContext, ticket: Ticket, message: PendingMessage): Statement | undefined;
}

@Injectable()
export class TicketListeners implements OnApplicationBootstrap {
  private readonly steps = new Map<TicketPipelineStep, TicketListener>();
  private listeners: Array<{ listener: TicketListener }> = [];

  /** A module takes its step of the pipeline; the order is TICKET_PIPELINE's. */
  register(listener: TicketListener, step: TicketPipelineStep): void {
    if (this.steps.has(step)) throw new Error(`The ticket pipeline step ${step} is taken already`);
    this.steps.set(step, listener);
    this.listeners = TICKET_PIPELINE.flatMap((name) => (this.steps.has(name) ? [{ listener: this.steps.get(name)! }] : []));
  }

  /** Every step of the pipeline is done by some module: a missing one is a wiring mistake. */
  onApplicationBootstrap() {
    const missing = TICKET_PIPELINE.filter((step) => !this.steps.has(step));
    if (missing.length) throw new Error(`No module does the ticket pipeline step(s) ${missing.join(', ')}`);
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

  /** The reads the steps want sent with a message (see readWithMessage), and their rows by step once sent. */
  readsWithMessage(
    ctx: RequestContext,
    ticket: Ticket,
    message: PendingMessage,
  ): { statements: Statement[]; reads(rows: Array<Array<Record<string, unknown>>>): Map<TicketListener, Array<Record<string, unknown>>> } {
    const asking = this.listeners.flatMap(({ listener }) => {
      const statement = listener.readWithMessage?.(ctx, ticket, message);
      return statement ? [{ listener, statement }] : [];
    });
    return { statements: asking.map((a) => a.statement), reads: (rows) => new Map(asking.map((a, i) => [a.listener, rows[i]])) };
  }

  async afterChange(manager: EntityManager, ctx: RequestContext, change: TicketChange): Promise<Ticket> {
    for (const { listener } of this.listeners) Object.assign(change.ticket, await listener.afterChange?.(manager, ctx, change));
    return change.ticket;
  }
}
