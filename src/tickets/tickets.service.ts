import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Agent } from '../auth/entities/agent.entity';
import { batch, Statement, transactionStart } from '../common/database/batch';
import { entityReader } from '../common/database/entity-rows';
import { insertColumns } from '../common/database/insert-rows';
import { TenantScope, TenantTransactions, tenantOf } from '../common/database/tenant-transactions';
import { badInput, conflict, DomainError, notFound } from '../common/errors/domain-error';
import { OperationalMetrics } from '../common/observability/operational-metrics';
import { JsonObject, RequestContext, systemContext } from '../common/request-context';
import { extractKeywords } from '../common/text/keywords';
import { Team } from '../routing/entities/team.entity';
import { CustomersService } from './customers.service';
import { AddMessageInput } from './dto/add-message.input';
import { CreateTicketInput } from './dto/create-ticket.input';
import { UpdateTicketInput } from './dto/update-ticket.input';
import { Customer } from './entities/customer.entity';
import { Message } from './entities/message.entity';
import { Ticket } from './entities/ticket.entity';
import { requestFingerprint } from './request-fingerprint';
import { TicketSearchService } from './ticket-search.service';
import { AuthorType, Channel, CustomerTier, TicketCategory, TicketEventType, TicketPriority, TicketStatus } from './ticket-enums';
import { allowedTransitions, canTransition, effectOfMessage, isReopen } from './ticket-lifecycle';
import { insertTicketEvents, rememberInsertedTicket, rememberTicketNoticeState, ticketEventsStatement, TicketNoticeState } from './ticket-events';
import { TicketEventStream } from './ticket-event-stream';
import { ticketDocumentsWrite } from './ticket-search-document';
import { NewTicketDetails, TicketListeners } from './ticket-listeners';
import { diffTags, normaliseTags } from './ticket-tags';

/** Another transaction committed the same idempotency key or provider message id first. */
class LostRace extends Error {}

type NewEvent = { type: TicketEventType; data?: JsonObject };

/** What a channel adapter knows about a message beyond its text: the account it came through and its structured parts. */
export type MessageExtras = Partial<Pick<Message, 'messagingChannelId' | 'content'>>;

export type ProactiveTicketInput = Pick<Ticket, 'customerId' | 'subject' | 'channel' | 'category' | 'tags' | 'orderRef'> & {
  body: string;
  priority?: TicketPriority;
  idempotencyKey?: string;
};

/** A create's outcome: `created` is false for an idempotent replay or a message joined to an open ticket; `customer` as the transaction left it (absent for a replay). */
export interface CreatedTicket {
  ticket: Ticket;
  created: boolean;
  customer?: Customer;
}

/** The ticket use cases bound to one transaction (see TicketsService.inOneTransaction). */
export interface TicketSteps {
  create(input: CreateTicketInput, extras?: MessageExtras): Promise<CreatedTicket>;
  /** A ticket the store starts (see createProactiveIn). */
  createProactive(input: ProactiveTicketInput, extras?: MessageExtras): Promise<Ticket>;
  addMessage(input: AddMessageInput, extras?: MessageExtras): Promise<{ message: Message; ticket: Ticket }>;
  update(id: string, input: UpdateTicketInput): Promise<Ticket>;
}

@Injectable()
export class TicketsService {
  constructor(
    private readonly db: TenantTransactions,
    private readonly customers: CustomersService,
    private readonly listeners: TicketListeners,
    private readonly metrics: OperationalMetrics,
    private readonly search: TicketSearchService,
    private readonly stream: TicketEventStream,
  ) {}

  // ── create ────────────────────────────────────────────────────────────────────────────────

  /** Creates a ticket with its first (customer) message; `created` is false for an idempotent replay. */
  /** `extras` are what a channel adapter knows about the first message beyond its text (never from API callers). */
  /**
   * `duplicateChecked`: the channel adapter has just looked the provider message id up in the same
   * transaction, so it is not looked up again (a concurrent copy still loses the race at the insert).
   */
  async create(ctx: RequestContext, input: CreateTicketInput, extras: MessageExtras = {}, { duplicateChecked = false } = {}): Promise<CreatedTicket> {
    const { idempotencyKey, ...request } = input;
    const fingerprint = idempotencyKey ? requestFingerprint(request) : null;
    const channel = input.channel ?? Channel.API;

    const replay = duplicateChecked && !idempotencyKey ? undefined : await this.findReplay(ctx, idempotencyKey, fingerprint, channel, input.externalMessageId);
    if (replay) return { ticket: replay, created: false };

    try {
      const result = await this.db.run(ctx, (manager) => this.createIn(manager, ctx, input, extras, fingerprint));
      if (result.created) this.metrics.ticketsCreated.inc({ channel });
      return result;
    } catch (error) {
      if (!(error instanceof LostRace)) throw error;
      const winner = await this.findReplay(ctx, idempotencyKey, fingerprint, channel, input.externalMessageId);
      if (!winner) throw error;
      return { ticket: winner, created: false };
    }
  }

  /** create() inside the caller's transaction (no replay lookup: a repeated provider id or idempotency key throws LostRace). */
  private async createIn(manager: EntityManager, ctx: RequestContext, input: CreateTicketInput, extras: MessageExtras, fingerprint: string | null): Promise<CreatedTicket> {
    const { idempotencyKey } = input;
    const channel = input.channel ?? Channel.API;
    const customer = await this.customers.resolve(manager, ctx, input.customer);
    // A customer created just now has no ticket to join.
    const joinable = input.joinOpenTicket && !this.customers.justCreated(customer) ? await this.joinableTicket(manager, ctx, customer, input, channel) : undefined;
    if (joinable) {
      const { ticket } = await this.addMessageIn(
        manager,
        ctx,
        {
          ticketId: joinable.id,
          body: input.body,
          authorType: AuthorType.CUSTOMER,
          internal: false,
          channel,
          externalId: input.externalMessageId,
        },
        extras,
      );
      return { ticket, created: false, customer };
    }
    const opened = await this.openTicket(
      manager,
      ctx,
      {
        subject: input.subject.trim(),
        channel,
        category: input.category ?? TicketCategory.GENERAL,
        priority: input.priority ?? TicketPriority.NORMAL,
        customerId: customer.id,
        tags: normaliseTags(input.tags ?? []),
        customFields: input.customFields ?? {},
        orderRef: input.orderRef ?? null,
        productRef: input.productRef ?? null,
        idempotencyKey: idempotencyKey ?? null,
        idempotencyFingerprint: fingerprint,
      },
      { authorType: AuthorType.CUSTOMER, authorId: customer.id, authorName: customer.name, body: input.body, channel, externalId: input.externalMessageId ?? null, ...extras },
      { customerId: customer.id },
      { customerTier: customer.tier, categoryGiven: input.category !== undefined, priorityGiven: input.priority !== undefined },
      this.customerFacts(customer),
    );
    return { ticket: opened.ticket, created: true, customer };
  }

  /**
   * A ticket the store starts (a delay notice, a follow-up after delivery): its first message is
   * ours — public, by SYSTEM, sent through the channel's delivery like an agent reply — and the
   * ticket then waits on the customer (PENDING) until they answer. `opened` is false when the
   * idempotency key found the ticket of an earlier run.
   */
  private async createProactiveIn(manager: EntityManager, ctx: RequestContext, input: ProactiveTicketInput, extras: MessageExtras): Promise<{ ticket: Ticket; opened: boolean }> {
    if (input.idempotencyKey) {
      const done = await manager.findOneBy(Ticket, { tenantId: ctx.tenantId, idempotencyKey: input.idempotencyKey });
      if (done) return { ticket: done, opened: false };
    }
    const customer = await manager.findOneBy(Customer, { tenantId: ctx.tenantId, id: input.customerId });
    if (!customer) throw notFound('Customer', input.customerId);
    const { ticket, message } = await this.openTicket(
      manager,
      ctx,
      {
        subject: input.subject,
        channel: input.channel,
        category: input.category,
        priority: input.priority ?? TicketPriority.NORMAL,
        customerId: customer.id,
        tags: normaliseTags(input.tags),
        customFields: {},
        orderRef: input.orderRef,
        productRef: null,
        idempotencyKey: input.idempotencyKey ?? null,
      },
      { authorType: AuthorType.SYSTEM, authorId: null, authorName: null, body: input.body, channel: input.channel, externalId: null, ...extras },
      { proactive: true },
      { customerTier: customer.tier, categoryGiven: true, priorityGiven: input.priority !== undefined },
    );
    await manager.update(Ticket, { tenantId: ctx.tenantId, id: ticket.id }, { status: TicketStatus.PENDING, lastCustomerMessageAt: null });
    await this.recordEvents(manager, ctx, ticket.id, [
      { type: TicketEventType.MESSAGE_ADDED, data: { messageId: message.id, authorType: AuthorType.SYSTEM, internal: false } },
      { type: TicketEventType.STATUS_CHANGED, data: { from: TicketStatus.NEW, to: TicketStatus.PENDING, reason: 'proactive' } },
    ]);
    const opened = await this.listeners.afterChange(manager, ctx, {
      ticket: await this.reload(manager, ctx, ticket.id),
      statusChange: { from: TicketStatus.NEW, to: TicketStatus.PENDING, at: message.createdAt },
      message: { ...changedMessage(message), authorType: AuthorType.SYSTEM, internal: false },
    });
    return { ticket: opened, opened: true };
  }

  /**
   * Omnichannel continuity: the customer's open ticket of the same category, updated within the
   * store's window, whatever channel it started on.
   */
  private async joinableTicket(manager: EntityManager, ctx: RequestContext, customer: Customer, input: CreateTicketInput, channel: Channel) {
    const answer = await this.listeners.categorise(manager, ctx, { subject: input.subject, body: input.body, channel, tier: customer.tier });
    if (!answer?.continuityWindowHours) return undefined;
    const category = input.category ?? answer.category;
    return manager
      .createQueryBuilder(Ticket, 't')
      .where('t.tenant_id = :tenantId AND t.customer_id = :customerId AND t.category = :category', { tenantId: ctx.tenantId, customerId: customer.id, category })
      .andWhere(`t.status IN ('NEW','OPEN','PENDING','ON_HOLD') AND t.updated_at > now() - make_interval(hours => :hours)`, { hours: answer.continuityWindowHours })
      .orderBy('t.updated_at', 'DESC')
      .getOne();
  }

  /** The ticket an earlier identical request created, if any (idempotency key, else provider message id). */
  private async findReplay(ctx: RequestContext, key: string | undefined, fingerprint: string | null, channel: Channel, externalMessageId?: string) {
    if (!key && !externalMessageId) return undefined;
    const existing = await this.db.read(ctx, async (manager) => {
      if (key) {
        const byKey = await manager.findOneBy(Ticket, { tenantId: ctx.tenantId, idempotencyKey: key });
        if (byKey) return byKey;
      }
      if (!externalMessageId) return undefined;
      const message = await manager.findOneBy(Message, { tenantId: ctx.tenantId, channel, externalId: externalMessageId });
      return message ? manager.findOneByOrFail(Ticket, { tenantId: ctx.tenantId, id: message.ticketId }) : undefined;
    });
    if (existing && key && existing.idempotencyKey === key && existing.idempotencyFingerprint !== fingerprint) {
      throw conflict('This Idempotency-Key was already used with a different request');
    }
    return existing ?? undefined;
  }

  /**
   * Inserts a ticket with its first customer message and CREATED event. The message references
   * the ticket through a deferred foreign key, so it is written first; the listeners (routing,
   * SLA) then fill the ticket in, and the rest goes in one round trip.
   */
  private async openTicket(
    manager: EntityManager,
    ctx: RequestContext,
    fields: Pick<Ticket, 'subject' | 'channel' | 'category' | 'priority' | 'customerId' | 'tags' | 'customFields' | 'orderRef' | 'productRef'> &
      Partial<Pick<Ticket, 'idempotencyKey' | 'idempotencyFingerprint' | 'followUpOfId'>>,
    first: Pick<Message, 'authorType' | 'authorId' | 'authorName' | 'body' | 'channel' | 'externalId'> & MessageExtras,
    eventData: JsonObject,
    details: Omit<NewTicketDetails, 'body'> = { categoryGiven: true, priorityGiven: true },
    knownCustomer?: CustomerFacts,
  ): Promise<{ ticket: Ticket; message: Message }> {
    const id = uuidv7();
    const { message, customer, insert } = await this.firstMessage(manager, ctx, id, fields.customerId, { ...first, internal: false }, knownCustomer);
    // The tier the customer has now stays with the ticket (the service it was owed), for KPIs by tier.
    const customerTier = details.customerTier ?? customer.tier;
    const ticket = manager.create(Ticket, {
      customerTier,
      idempotencyKey: null,
      idempotencyFingerprint: null,
      followUpOfId: null,
      ...fields,
      tenantId: ctx.tenantId,
      id,
      status: TicketStatus.NEW,
      assigneeId: null,
      teamId: null,
      messageCount: 1,
      publicAgentReplyCount: 0,
      reopenCount: 0,
      firstResponseAt: null,
      firstResponseBusinessSeconds: null,
      csatSent: false,
      csatRating: null,
      keywords: extractKeywords(`${fields.subject} ${first.body}`),
      lastCustomerMessageAt: message.createdAt,
      lastAgentReplyAt: null,
      solvedAt: null,
      closedAt: null,
      createdAt: message.createdAt,
      updatedAt: message.createdAt,
      sla: null,
      slaNextCheckAt: null,
      slaDueAt: null,
      slaHealth: null,
    });
    const decided = await this.listeners.prepareNewTicket(manager, ctx, ticket, { ...details, customerTier, body: first.body });
    const created = ticketEventsStatement(manager, ctx.actor, [
      { tenantId: ctx.tenantId, ticketId: id, type: TicketEventType.CREATED, data: { channel: ticket.channel, category: ticket.category, priority: ticket.priority, ...eventData, ...decided } },
    ]);
    // The search document, the event, what is derived from the ticket (its KPI capture), then the
    // ticket with its number, in one round trip and in that order: the store's counter row is
    // locked by the last statement and held until COMMIT, so concurrent creates queue on it only
    // for the commit — not for the document's GIN index or the KPI capture, the slowest writes of
    // a create. Numbers stay gap-free (a rolled-back create rolls back its number too). ON
    // CONFLICT DO NOTHING: a concurrent create with the same idempotency key won the race.
    const document = ticketDocumentsWrite(ctx.tenantId, [
      {
        ...fields,
        id,
        created_at: message.createdAt.toISOString(),
        order_ref: fields.orderRef,
        product_ref: fields.productRef,
        name: customer.name,
        identities: customer.identities,
        bodies: [first.body],
      },
    ])!;
    const derived = this.stream.writesForNewTicket(manager, ticket);
    const results = await batch(manager, [...(insert ? [insert] : []), document, created.statement, ...derived.statements, numberedTicketInsert(manager, ticket)]);
    if (insert) messageStored(message, results.shift()!);
    const [events, inserted] = [results[1], results[results.length - 1]];
    if (inserted.length === 0) throw new LostRace();
    created.written(events);
    ticket.number = inserted[0].number as number;
    rememberInsertedTicket(manager, id, { state: noticeState(ticket), derivedBy: derived.derivedBy });
    return { ticket, message };
  }

  // ── messages ──────────────────────────────────────────────────────────────────────────────

  /**
   * `alsoIn` runs in the same transaction, after the message and its listeners: a record that must
   * exist exactly when the message does. `duplicateChecked`: as for create(), the channel adapter
   * has just looked the provider message id up in the same transaction. `locked`: the ticket as
   * the adapter has just read it FOR UPDATE in the same transaction (no lock is taken again).
   */
  async addMessage(
    ctx: RequestContext,
    input: AddMessageInput,
    extras: MessageExtras = {},
    alsoIn?: (manager: EntityManager, added: { message: Message; ticket: Ticket }) => Promise<void>,
    { duplicateChecked = false, locked }: { duplicateChecked?: boolean; locked?: Ticket } = {},
  ): Promise<{ message: Message; ticket: Ticket }> {
    if (input.authorType === AuthorType.CUSTOMER && input.internal) {
      throw badInput('Customers cannot write internal notes', { internal: ['must be false for CUSTOMER messages'] });
    }
    return this.db.run(ctx, async (manager) => {
      const added = await this.addMessageIn(manager, ctx, input, extras, duplicateChecked, locked);
      await alsoIn?.(manager, added);
      return added;
    });
  }

  /** A customer's tier changed: each of their open tickets may now fall under another SLA policy. */
  async customerTierChanged(manager: EntityManager, ctx: RequestContext, customerId: string): Promise<void> {
    const open = await manager.find(Ticket, {
      where: { tenantId: ctx.tenantId, customerId, status: In([TicketStatus.NEW, TicketStatus.OPEN, TicketStatus.PENDING, TicketStatus.ON_HOLD]) },
    });
    for (const ticket of open) await this.listeners.afterChange(manager, ctx, { ticket, reclassified: true });
  }

  /**
   * Several ticket steps and the caller's own writes as one unit of work: all of them land or none
   * does (a logged call's summary, the agent's note, the call-back tag and the call record). Unlike
   * create(), a repeated idempotency key or provider message id is not replayed here: it fails the
   * whole transaction, for the caller to look up what won.
   */
  async inOneTransaction<T>(ctx: RequestContext, work: (steps: TicketSteps, manager: EntityManager) => Promise<T>): Promise<T> {
    const createdOn: Channel[] = [];
    const result = await this.db.run(ctx, (manager) =>
      work(
        {
          create: async (input, extras = {}) => {
            const { idempotencyKey, ...request } = input;
            const created = await this.createIn(manager, ctx, input, extras, idempotencyKey ? requestFingerprint(request) : null);
            if (created.created) createdOn.push(input.channel ?? Channel.API);
            return created;
          },
          createProactive: async (input, extras = {}) => {
            const { ticket, opened } = await this.createProactiveIn(manager, ctx, input, extras);
            if (opened) createdOn.push(input.channel);
            return ticket;
          },
          addMessage: (input, extras) => {
            if (input.authorType === AuthorType.CUSTOMER && input.internal) throw badInput('Customers cannot write internal notes', { internal: ['must be false for CUSTOMER messages'] });
            return this.addMessageIn(manager, ctx, input, extras);
          },
          update: (id, input) => this.applyUpdate(manager, ctx, id, input),
        },
        manager,
      ),
    );
    for (const channel of createdOn) this.metrics.ticketsCreated.inc({ channel });
    return result;
  }

  private async addMessageIn(
    manager: EntityManager,
    ctx: RequestContext,
    input: AddMessageInput,
    extras: MessageExtras = {},
    duplicateChecked = false,
    locked?: Ticket,
  ): Promise<{ message: Message; ticket: Ticket }> {
    const ticket = locked?.id === input.ticketId ? locked : await this.lockTicket(manager, ctx, input.ticketId);
    const channel = input.channel ?? ticket.channel;
    // A repeated provider id that slips past a check already made loses the race at the insert (LostRace).
    if (input.externalId && !duplicateChecked) {
      const existing = await manager.findOneBy(Message, { tenantId: ctx.tenantId, channel, externalId: input.externalId });
      if (existing) return { message: existing, ticket: await this.reload(manager, ctx, existing.ticketId) };
    }
    const author = await this.resolveAuthor(manager, ctx, ticket, input);
    const effect = effectOfMessage(ticket.status, input.authorType, input.internal);

    if (ticket.status === TicketStatus.CLOSED) {
      if (!effect.startsFollowUp) throw conflict(`Ticket #${ticket.number} is closed and cannot change; the customer's next message starts a follow-up ticket`);
      return this.startFollowUp(manager, ctx, ticket, { ...author, body: input.body, channel, externalId: input.externalId ?? null, ...extras });
    }

    const message = manager.create(Message, {
      ...author,
      internal: input.internal,
      body: input.body,
      channel,
      externalId: input.externalId ?? null,
      ...extras,
      tenantId: ctx.tenantId,
      id: uuidv7(),
      ticketId: ticket.id,
    });
    const statusChange = effect.status && effect.status !== ticket.status ? { from: ticket.status, to: effect.status, reopened: effect.reopened } : undefined;
    const events: NewEvent[] = [{ type: TicketEventType.MESSAGE_ADDED, data: { messageId: message.id, authorType: input.authorType, internal: input.internal } }];
    if (statusChange) {
      events.push({ type: statusChange.reopened ? TicketEventType.REOPENED : TicketEventType.STATUS_CHANGED, data: { from: statusChange.from, to: statusChange.to, reason: 'message' } });
    }
    // What the pipeline's steps will read about the message rides with it, told of the ticket as the message will leave its counts.
    const publicAgentReplies = ticket.publicAgentReplyCount + (effect.publicAgentReply ? 1 : 0);
    const steps = this.listeners.readsWithMessage(ctx, { ...ticket, publicAgentReplyCount: publicAgentReplies }, message);
    const { ticket: written, read } = await this.insertMessage(manager, ctx, message, statusChange, events, steps.statements);
    const change = { ...changedMessage(message), authorType: input.authorType, internal: input.internal };
    const after = await this.listeners.afterChange(manager, ctx, {
      ticket: written,
      statusChange: statusChange && { from: statusChange.from, to: statusChange.to, at: message.createdAt },
      message: change,
      reads: steps.reads(read),
    });
    // The delivery steps say what they set on the message (a channel send queued or refused).
    return { message: Object.assign(message, change.delivery), ticket: after };
  }

  /**
   * A canned reply applied as a macro: the rendered text as a public reply by the caller, then
   * the macro's status/category/priority/tag changes, and a MACRO_APPLIED event — one transaction,
   * one audited step.
   */
  async applyMacro(
    ctx: RequestContext,
    ticketId: string,
    macro: { cannedReplyId: string; shortcut: string; body: string; changes: Pick<UpdateTicketInput, 'status' | 'category' | 'priority'> & { addTags?: string[] } },
  ): Promise<{ message: Message; ticket: Ticket }> {
    return this.db.run(ctx, async (manager) => {
      const agent = ctx.actor.type === 'AGENT';
      const { message, ticket } = await this.addMessageIn(manager, ctx, {
        ticketId,
        body: macro.body,
        authorType: agent ? AuthorType.AGENT : AuthorType.SYSTEM,
        authorId: agent ? (ctx.actor.id ?? undefined) : undefined,
        internal: false,
      });
      const { addTags, ...changes } = macro.changes;
      const update: UpdateTicketInput = { ...changes, ...(addTags?.length ? { tags: [...ticket.tags, ...addTags] } : {}) };
      // applyUpdate leaves the ticket as it is when the macro changes nothing.
      const after = await this.applyUpdate(manager, ctx, ticket.id, update);
      await this.recordEvents(manager, ctx, ticket.id, [{ type: TicketEventType.MACRO_APPLIED, data: { cannedReplyId: macro.cannedReplyId, shortcut: macro.shortcut, messageId: message.id } }]);
      return { message, ticket: after };
    });
  }

  /**
   * A reply the channel could not deliver: the message FAILED (unless a receipt already took it
   * further), a DELIVERY_FAILED event and an internal note for the agents, in one transaction, by
   * SYSTEM — an agent never sees the failure without the note.
   */
  async recordDeliveryFailure(scope: TenantScope, failure: { ticketId: string; messageId: string; channel: Channel; reason: string; note: string }): Promise<void> {
    // Within the caller's unit of work when it has one (a receipt in a webhook's batch): a
    // transaction of its own would wait forever for the message row that unit has locked.
    const tenantId = tenantOf(scope);
    const ctx = { ...systemContext(tenantId), unitOfWork: typeof scope === 'string' ? undefined : scope.unitOfWork };
    await this.db.run(ctx, async (manager) => {
      await manager.query(`UPDATE messages SET delivery_status = 'FAILED', delivery_error = $3 WHERE tenant_id = $1 AND id = $2 AND delivery_status IN ('QUEUED', 'SENT')`, [
        tenantId,
        failure.messageId,
        failure.reason,
      ]);
      await this.recordEvents(manager, ctx, failure.ticketId, [{ type: TicketEventType.DELIVERY_FAILED, data: { messageId: failure.messageId, channel: failure.channel, reason: failure.reason } }]);
      await this.addMessageIn(manager, ctx, { ticketId: failure.ticketId, body: failure.note, authorType: AuthorType.SYSTEM, internal: true });
    });
  }

  private async resolveAuthor(manager: EntityManager, ctx: RequestContext, ticket: Ticket, input: AddMessageInput) {
    if (input.authorType === AuthorType.CUSTOMER) {
      // The ticket's customer; read only for a name the channel did not give.
      if (input.authorName) return { authorType: input.authorType, authorId: ticket.customerId, authorName: input.authorName };
      const customer = await manager.findOneByOrFail(Customer, { tenantId: ctx.tenantId, id: ticket.customerId });
      return { authorType: input.authorType, authorId: customer.id, authorName: customer.name };
    }
    if (input.authorId) {
      const agent = await manager.findOneBy(Agent, { tenantId: ctx.tenantId, id: input.authorId });
      if (!agent || input.authorType !== AuthorType.AGENT) {
        throw new DomainError('NOT_FOUND', `Agent ${input.authorId} not found`, { authorId: ['no such agent'] });
      }
      return { authorType: input.authorType, authorId: agent.id, authorName: input.authorName ?? agent.name };
    }
    return { authorType: input.authorType, authorId: null, authorName: input.authorName ?? null };
  }

  /**
   * A new ticket's first message, and what its search document needs of the customer (name, every
   * identity). When the customer is known (resolved in this request) the message is written with
   * the ticket (`insert`, for the ticket's round trip), its time the transaction's start that its
   * row's default takes; otherwise it is written now, with a read of the customer, in one round
   * trip. Either way a repeated provider message id (a concurrent webhook retry) is a lost race.
   */
  private async firstMessage(
    manager: EntityManager,
    ctx: RequestContext,
    ticketId: string,
    customerId: string,
    fields: Pick<Message, 'authorType' | 'authorId' | 'authorName' | 'internal' | 'body' | 'channel' | 'externalId'> & MessageExtras,
    known?: CustomerFacts,
  ): Promise<{ message: Message; customer: CustomerFacts; insert?: Statement }> {
    const message = manager.create(Message, { ...fields, tenantId: ctx.tenantId, id: uuidv7(), ticketId });
    if (known) {
      const insert = messageInsert(manager, message);
      message.createdAt = await transactionStart(manager);
      return { message, customer: known, insert };
    }
    const [inserted, [customer]] = await batch(manager, [
      messageInsert(manager, message),
      {
        sql: `SELECT c.name, c.tier, (SELECT coalesce(array_agg(i.value), '{}') FROM customer_identities i WHERE i.tenant_id = c.tenant_id AND i.customer_id = c.id) AS identities
                FROM customers c WHERE c.tenant_id = $1 AND c.id = $2`,
        parameters: [ctx.tenantId, customerId],
      },
    ]);
    messageStored(message, inserted);
    if (!customer) throw notFound('Customer', customerId);
    return { message, customer: { name: customer.name as string | null, tier: customer.tier as CustomerTier, identities: customer.identities as string[] } };
  }

  /** What a new ticket needs of a customer this request resolved, when known without a read. */
  private customerFacts(customer: Customer): CustomerFacts | undefined {
    const identities = this.customers.knownIdentityValues(customer);
    return identities && { name: customer.name, tier: customer.tier, identities };
  }

  /**
   * Inserts a message on an existing ticket, extends its search document, updates the ticket's
   * denormalised facts (counts, first response, last contact) and the status the message causes,
   * writes the events, and reads the ticket back as it now is — one round trip. The facts use
   * now(), the transaction's time, which is also the message's created_at. `alsoRead`: reads sent
   * in the same round trip (their rows come back as `read`).
   */
  private async insertMessage(
    manager: EntityManager,
    ctx: RequestContext,
    message: Message,
    statusChange: { to: TicketStatus; reopened: boolean } | undefined,
    events: NewEvent[],
    alsoRead: Statement[] = [],
  ): Promise<{ ticket: Ticket; read: Array<Array<Record<string, unknown>>> }> {
    const publicAgentReply = effectOfMessage(TicketStatus.OPEN, message.authorType, message.internal).publicAgentReply;
    const recorded = ticketEventsStatement(
      manager,
      ctx.actor,
      events.map((e) => ({ ...e, tenantId: ctx.tenantId, ticketId: message.ticketId })),
    );
    const [inserted, , [ticket], eventRows, ...read] = await batch(manager, [
      messageInsert(manager, message),
      this.search.appendMessageStatement(ctx.tenantId, message.ticketId, message.body),
      // now() as a subquery inside CASE and COALESCE: Citus refuses a non-immutable function there.
      {
        sql: `UPDATE tickets SET
                message_count = message_count + 1,
                public_agent_reply_count = public_agent_reply_count + $3,
                first_response_at = CASE WHEN $3 = 1 THEN COALESCE(first_response_at, (SELECT now())) ELSE first_response_at END,
                last_agent_reply_at = CASE WHEN $3 = 1 THEN (SELECT now()) ELSE last_agent_reply_at END,
                last_customer_message_at = CASE WHEN $4 THEN (SELECT now()) ELSE last_customer_message_at END,
                status = COALESCE($5, status),
                reopen_count = reopen_count + $6,
                solved_at = CASE WHEN $6 = 1 THEN NULL ELSE solved_at END,
                updated_at = now()
              WHERE tenant_id = $1 AND id = $2
              RETURNING *`,
        parameters: [ctx.tenantId, message.ticketId, publicAgentReply ? 1 : 0, message.authorType === AuthorType.CUSTOMER, statusChange?.to ?? null, statusChange?.reopened ? 1 : 0],
      },
      recorded.statement,
      ...alsoRead,
    ]);
    messageStored(message, inserted);
    recorded.written(eventRows);
    const written = entityReader(manager, Ticket)(ticket);
    rememberTicketNoticeState(manager, written.id, noticeState(written));
    return { ticket: written, read };
  }

  /** A closed ticket is immutable: the customer's new message opens a linked follow-up ticket. */
  private async startFollowUp(
    manager: EntityManager,
    ctx: RequestContext,
    closed: Ticket,
    message: Pick<Message, 'authorType' | 'authorId' | 'authorName' | 'body' | 'channel' | 'externalId'> & MessageExtras,
  ) {
    const { ticket, message: created } = await this.openTicket(
      manager,
      ctx,
      {
        subject: closed.subject,
        channel: message.channel,
        category: closed.category,
        priority: closed.priority,
        customerId: closed.customerId,
        tags: closed.tags,
        customFields: closed.customFields,
        orderRef: closed.orderRef,
        productRef: closed.productRef,
        followUpOfId: closed.id,
      },
      message,
      { followUpOf: closed.id, followUpOfNumber: closed.number },
    );
    await this.recordEvents(manager, ctx, closed.id, [{ type: TicketEventType.FOLLOW_UP_CREATED, data: { ticketId: ticket.id, number: ticket.number } }]);
    return { message: created, ticket };
  }

  // ── update ────────────────────────────────────────────────────────────────────────────────

  async update(ctx: RequestContext, id: string, input: UpdateTicketInput): Promise<Ticket> {
    return this.db.run(ctx, (manager) => this.applyUpdate(manager, ctx, id, input));
  }

  /** Moves a ticket to another team and/or agent with an internal note saying why, in one step. */
  async transfer(ctx: RequestContext, id: string, target: Pick<UpdateTicketInput, 'teamId' | 'assigneeId'>, note: string): Promise<Ticket> {
    return this.db.run(ctx, async (manager) => {
      const ticket = await this.applyUpdate(manager, ctx, id, target);
      const agent = ctx.actor.type === 'AGENT';
      const message = manager.create(Message, {
        tenantId: ctx.tenantId,
        id: uuidv7(),
        ticketId: ticket.id,
        authorType: agent ? AuthorType.AGENT : AuthorType.SYSTEM,
        authorId: agent ? ctx.actor.id : null,
        authorName: null,
        internal: true,
        body: note,
        channel: ticket.channel,
        externalId: null,
      });
      const { ticket: written } = await this.insertMessage(manager, ctx, message, undefined, [
        { type: TicketEventType.MESSAGE_ADDED, data: { messageId: message.id, authorType: message.authorType, internal: true, reason: 'TRANSFER' } },
      ]);
      return written;
    });
  }

  private async applyUpdate(manager: EntityManager, ctx: RequestContext, id: string, input: UpdateTicketInput): Promise<Ticket> {
    const ticket = await this.lockTicket(manager, ctx, id);
    if (ticket.status === TicketStatus.CLOSED) throw conflict(`Ticket #${ticket.number} is closed and cannot change`);

    const changes: Partial<Ticket> = {};
    const events: NewEvent[] = [];
    const change = <K extends keyof Ticket>(key: K, value: Ticket[K], type: TicketEventType) => {
      changes[key] = value;
      events.push({ type, data: { from: ticket[key], to: value } });
    };

    if (input.status && input.status !== ticket.status) {
      if (!canTransition(ticket.status, input.status)) {
        const allowed = allowedTransitions(ticket.status);
        throw badInput(`A ${ticket.status} ticket cannot become ${input.status}; allowed: ${allowed.join(', ') || 'none'}`, {
          status: [`invalid transition ${ticket.status} → ${input.status}`],
        });
      }
      const reopen = isReopen(ticket.status, input.status);
      change('status', input.status, reopen ? TicketEventType.REOPENED : TicketEventType.STATUS_CHANGED);
      if (input.status === TicketStatus.SOLVED) changes.solvedAt = new Date();
      if (input.status === TicketStatus.CLOSED) changes.closedAt = new Date();
      if (reopen) {
        changes.reopenCount = ticket.reopenCount + 1;
        changes.solvedAt = null;
      }
    }
    if (input.priority && input.priority !== ticket.priority) change('priority', input.priority, TicketEventType.PRIORITY_CHANGED);
    if (input.category && input.category !== ticket.category) change('category', input.category, TicketEventType.CATEGORY_CHANGED);
    if (input.channel && input.channel !== ticket.channel) change('channel', input.channel, TicketEventType.CHANNEL_CHANGED);
    if (input.subject && input.subject.trim() !== ticket.subject) change('subject', input.subject.trim(), TicketEventType.SUBJECT_CHANGED);
    if (input.tags) {
      const tags = normaliseTags(input.tags);
      const diff = diffTags(ticket.tags, tags);
      if (diff.added.length || diff.removed.length) {
        changes.tags = tags;
        events.push({ type: TicketEventType.TAGS_CHANGED, data: diff });
      }
    }
    if (input.assigneeId !== undefined && input.assigneeId !== ticket.assigneeId) {
      if (input.assigneeId && !(await manager.existsBy(Agent, { tenantId: ctx.tenantId, id: input.assigneeId }))) {
        throw new DomainError('NOT_FOUND', `Agent ${input.assigneeId} not found`, { assigneeId: ['no such agent'] });
      }
      change('assigneeId', input.assigneeId, TicketEventType.ASSIGNEE_CHANGED);
    }
    if (input.teamId !== undefined && input.teamId !== ticket.teamId) {
      if (input.teamId && !(await manager.existsBy(Team, { tenantId: ctx.tenantId, id: input.teamId }))) {
        throw new DomainError('NOT_FOUND', `Team ${input.teamId} not found`, { teamId: ['no such team'] });
      }
      change('teamId', input.teamId, TicketEventType.TEAM_CHANGED);
    }

    if (events.length === 0) return ticket;
    await manager.update(Ticket, { tenantId: ctx.tenantId, id: ticket.id }, changes);
    if (changes.subject !== undefined || changes.tags) await this.search.index(manager, ctx.tenantId, [ticket.id]);
    await this.recordEvents(manager, ctx, ticket.id, events);
    return this.listeners.afterChange(manager, ctx, {
      ticket: await this.reload(manager, ctx, ticket.id),
      statusChange: changes.status ? { from: ticket.status, to: changes.status, at: new Date() } : undefined,
      reclassified: Boolean(changes.priority || changes.category || changes.tags || changes.channel),
      unassigned: changes.assigneeId === null && ticket.assigneeId !== null,
    });
  }

  // ── helpers ───────────────────────────────────────────────────────────────────────────────

  private async lockTicket(manager: EntityManager, ctx: RequestContext, id: string): Promise<Ticket> {
    const ticket = await manager.findOne(Ticket, { where: { tenantId: ctx.tenantId, id }, lock: { mode: 'pessimistic_write' } });
    if (!ticket) throw notFound('Ticket', id);
    return ticket;
  }

  /** The ticket as stored, after this transaction's counter and status updates. */
  private reload(manager: EntityManager, ctx: RequestContext, id: string): Promise<Ticket> {
    return manager.findOneByOrFail(Ticket, { tenantId: ctx.tenantId, id });
  }

  private recordEvents(manager: EntityManager, ctx: RequestContext, ticketId: string, events: NewEvent[]) {
    return insertTicketEvents(
      manager,
      ctx.actor,
      events.map((e) => ({ ...e, tenantId: ctx.tenantId, ticketId })),
    );
  }
}

/**
 * The INSERT of a new ticket that takes the store's next number as it inserts (the counter row is
 * upserted in the same statement), returning the number; no row when the insert was ignored.
 * INSERT … SELECT from the counter's CTE rather than a subquery in VALUES, which Citus refuses.
 */
function numberedTicketInsert(manager: EntityManager, ticket: Ticket): Statement {
  const { columns, parameters } = insertColumns(manager, Ticket, { ...ticket, number: undefined });
  const tenant = `$${parameters.length + 1}`;
  return {
    sql: `WITH next_number AS (
            INSERT INTO ticket_counters (tenant_id, last_number) VALUES (${tenant}::uuid, 1001)
            ON CONFLICT (tenant_id) DO UPDATE SET last_number = ticket_counters.last_number + 1
            RETURNING last_number)
          INSERT INTO tickets (${columns.join(', ')}, number) SELECT ${columns.map((_, i) => `$${i + 1}`).join(', ')}, last_number FROM next_number
          ON CONFLICT DO NOTHING RETURNING number`,
    parameters: [...parameters, ticket.tenantId],
  };
}

/** The INSERT of a message, returning when it was stored; a repeated provider message id inserts nothing. */
function messageInsert(manager: EntityManager, message: Message): Statement {
  const { columns, parameters } = insertColumns(manager, Message, message);
  return {
    sql: `INSERT INTO messages (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT DO NOTHING RETURNING created_at`,
    parameters,
  };
}

/** Takes messageInsert's rows: nothing inserted is a repeated provider message id (a concurrent webhook retry), a lost race. */
function messageStored(message: Message, rows: Array<Record<string, unknown>>): void {
  if (rows.length === 0) throw new LostRace();
  message.createdAt = rows[0].created_at as Date;
}

/** What a new ticket takes from its customer: the tier it is owed, and its search document's name and identities. */
interface CustomerFacts {
  name: string | null;
  tier: CustomerTier;
  identities: readonly string[];
}

/** What a change notice says of a ticket, from the ticket as just written. */
function noticeState({ number, customerId, teamId, assigneeId, status, priority, channel, category }: Ticket): TicketNoticeState {
  return { number, customerId, teamId, assigneeId, status, priority, channel, category };
}

/** What the pipeline's steps are told of a message just written. */
function changedMessage(message: Message) {
  return { id: message.id, channel: message.channel, at: message.createdAt, content: message.content ?? null, messagingChannelId: message.messagingChannelId ?? null, delivery: {} };
}
