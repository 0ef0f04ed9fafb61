import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { EntityManager, EntitySubscriberInterface, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { AllStores } from '../common/database/all-stores';
import { EventBus, PUB_SUB } from '../common/events/event-bus';
import type { ActorType, JsonObject } from '../common/request-context';
import { TicketEvent } from './entities/ticket-event.entity';
import { Channel, PRIORITY_BY_RANK, TicketCategory, TicketEventType, TicketStatus } from './ticket-enums';
import { batch, Statement } from '../common/database/batch';
import { entityRow } from '../common/database/insert-rows';
import { Ticket } from './entities/ticket.entity';
import { forgetChangedTickets, insertedTickets, knownNoticeStates, takeChangedTickets, takeTicketEvents, TicketNoticeState, transactionDepth, uncommittedTicketEvents } from './ticket-events';

export const TICKET_EVENTS = 'TICKET_EVENTS';

/** Event data larger than this travels as `{ truncated: true }` (the audit row keeps all of it). */
const MAX_DATA_BYTES = 2000;

/** A committed ticket event with the ticket as it was at commit: what subscribers and webhooks receive. */
export interface TicketEventNotice {
  id: string;
  tenantId: string;
  ticketId: string;
  type: TicketEventType;
  actorType: ActorType;
  actorId: string | null;
  data: JsonObject;
  /** ISO-8601. */
  at: string;
  ticket: TicketNoticeState;
}

/** Runs inside the transaction, just before COMMIT, with the tickets it changed by store: an error rolls the change back. */
export type TicketsChangedHook = (manager: EntityManager, changed: ReadonlyMap<string, readonly string[]>) => Promise<void>;

/**
 * A TicketsChangedHook's writes for a ticket about to be inserted, from its row (column → value as
 * stored), sent before its INSERT; null when they need the stored tickets (the hook then runs for
 * it at COMMIT, as for any change).
 */
export type TicketInsertedHook = (row: Record<string, unknown>) => Statement[] | null;

/**
 * Runs inside the transaction, just before COMMIT: an error rolls the change back. `notices()`
 * reads the tickets concerned once, for whichever hook asks first; a hook with nothing to do for
 * these stores (no webhook endpoint) should not ask, and the change then costs no read.
 */
export type CommittingHook = (manager: EntityManager, events: readonly TicketEvent[], notices: () => Promise<TicketEventNotice[]>) => Promise<void>;

const NOTICES = 'rida.ticketEventNotices';

/**
 * Every ticket event leaves the transaction that wrote it in two ways: hooks registered here (the
 * webhook outbox) write their rows in that same transaction just before COMMIT, and the events are
 * published on the event bus for subscriptions on every instance — as NOTIFY inside the
 * transaction with PostgreSQL (delivered at COMMIT, in commit order), after COMMIT with Redis.
 * Nothing is published for a rolled-back change, and no module has to remember to publish.
 */
@Injectable()
export class TicketEventStream implements EntitySubscriberInterface, OnModuleInit {
  private readonly hooks: CommittingHook[] = [];
  private readonly changeHooks: Array<{ changed: TicketsChangedHook; inserted?: TicketInsertedHook }> = [];
  private readonly logger = new Logger(TicketEventStream.name);

  constructor(
    private readonly allStores: AllStores,
    @Inject(PUB_SUB) private readonly bus: EventBus,
  ) {}

  onModuleInit() {
    // Across stores: every transaction's commit, whichever store it wrote for, carries its events out.
    this.allStores.watchTransactions(this);
  }

  onCommitting(hook: CommittingHook): void {
    this.hooks.push(hook);
  }

  /**
   * Writes derived from the tickets a transaction changed (see markTicketsChanged), run first;
   * `inserted`, the same writes for a ticket about to be inserted (see writesForNewTicket).
   */
  onTicketsChanged(hook: TicketsChangedHook, inserted?: TicketInsertedHook): void {
    this.changeHooks.push({ changed: hook, inserted });
  }

  /**
   * The change hooks' writes for a ticket about to be inserted, to send before its INSERT (before
   * the store's counter row is taken), and the hooks they came from (`derivedBy`, to remember with
   * rememberInsertedTicket): at COMMIT those hooks leave the ticket out — unless it was touched again.
   */
  writesForNewTicket(manager: EntityManager, ticket: Ticket): { statements: Statement[]; derivedBy: ReadonlySet<number> } {
    const row = entityRow(manager, Ticket, ticket);
    const statements: Statement[] = [];
    const derivedBy = new Set<number>();
    this.changeHooks.forEach((hook, i) => {
      const writes = hook.inserted?.(row);
      if (!writes) return;
      statements.push(...writes);
      derivedBy.add(i);
    });
    return { statements, derivedBy };
  }

  async beforeTransactionCommit({ queryRunner }: TransactionCommitEvent): Promise<void> {
    if (transactionDepth(queryRunner) !== 1) return;
    const changed = takeChangedTickets(queryRunner);
    const inserted = insertedTickets(queryRunner);
    for (const [i, hook] of this.changeHooks.entries()) {
      const left = new Map([...changed].map(([tenantId, ids]) => [tenantId, ids.filter((id) => !inserted.get(id)?.derivedBy.has(i))] as const).filter(([, ids]) => ids.length));
      if (left.size) await hook.changed(queryRunner.manager, left);
    }
    const events = uncommittedTicketEvents(queryRunner);
    if (events.length === 0) return;
    const manager = queryRunner.manager;
    let read: Promise<TicketEventNotice[]> | undefined;
    const notices = () => (read ??= this.noticesFor(manager, events));
    for (const hook of this.hooks) await hook(manager, events, notices);
    // Read here and sent as literals: measured, a NOTIFY whose payload the database assembles from
    // the tickets (no read-back) made the COMMIT's query so slow that concurrent creates, queued on
    // the store's counter row, fell from 121 to 53 per second.
    if (this.bus.transactional) await this.bus.publishWithin(manager, TICKET_EVENTS, ...(await notices()));
    else (queryRunner.data as Record<string, unknown>)[NOTICES] = await notices();
  }

  async afterTransactionCommit({ queryRunner }: TransactionCommitEvent): Promise<void> {
    if (takeTicketEvents(queryRunner, 'committed').length === 0) return;
    const data = queryRunner.data as Record<string, unknown>;
    const notices = (data[NOTICES] ?? []) as TicketEventNotice[];
    delete data[NOTICES];
    // Not awaited: the transaction's connection is still held here, and the change is committed,
    // so a failure to publish must not become its caller's error.
    void this.publishInOrder(notices);
  }

  private async publishInOrder(notices: TicketEventNotice[]) {
    for (const notice of notices) {
      await this.bus.publish(TICKET_EVENTS, notice).catch((error: Error) => this.logger.error(`Could not publish ticket event ${notice.id}: ${error.message}`));
    }
  }

  afterTransactionRollback({ queryRunner }: TransactionRollbackEvent): void {
    takeTicketEvents(queryRunner, 'rolled back');
    if (!queryRunner.isTransactionActive) forgetChangedTickets(queryRunner);
    if (!queryRunner.isTransactionActive) delete (queryRunner.data as Record<string, unknown>)[NOTICES];
  }

  /** One read of the tickets concerned, inside the transaction (so it sees the final state). */
  private async noticesFor(manager: EntityManager, events: readonly TicketEvent[]): Promise<TicketEventNotice[]> {
    // Tickets whose state this transaction knows (created, or left by a write, and not touched since) are not read.
    const known = knownNoticeStates(manager.queryRunner!);
    const toRead = events.filter((e) => !known.has(e.ticketId));
    const [rows]: Array<Array<Record<string, unknown>>> = toRead.length
      ? await batch(manager, [
          {
            sql: `SELECT tenant_id, id, number, customer_id, team_id, assignee_id, status, priority, channel, category
                    FROM tickets WHERE (tenant_id, id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))`,
            parameters: [toRead.map((e) => e.tenantId), toRead.map((e) => e.ticketId)],
            prepare: true,
          },
        ])
      : [[]];
    const tickets = new Map(rows.map((r) => [`${r.tenant_id}:${r.id}`, r]));
    return events.flatMap((e) => {
      const state = known.get(e.ticketId);
      if (state) return [{ ...eventPart(e), ticket: state }];
      const t = tickets.get(`${e.tenantId}:${e.ticketId}`);
      if (!t) return [];
      return [
        {
          ...eventPart(e),
          ticket: {
            number: t.number as number,
            customerId: t.customer_id as string,
            teamId: t.team_id as string | null,
            assigneeId: t.assignee_id as string | null,
            status: t.status as TicketStatus,
            // The column stores the rank (for sorting); receivers get the name, as GraphQL gives it.
            priority: PRIORITY_BY_RANK[t.priority as number],
            channel: t.channel as Channel,
            category: t.category as TicketCategory,
          },
        },
      ];
    });
  }
}

/** A notice's own part: the event (its data cut to MAX_DATA_BYTES). */
function eventPart(e: TicketEvent): Omit<TicketEventNotice, 'ticket'> {
  return {
    id: e.id,
    tenantId: e.tenantId,
    ticketId: e.ticketId,
    type: e.type,
    actorType: e.actorType,
    actorId: e.actorId,
    data: JSON.stringify(e.data).length > MAX_DATA_BYTES ? { truncated: true } : e.data,
    at: e.createdAt.toISOString(),
  };
}
