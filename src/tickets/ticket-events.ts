import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { batch, Statement } from '../common/database/batch';
import type { JsonObject, RequestContext } from '../common/request-context';
import { TicketEvent } from './entities/ticket-event.entity';
import { Channel, TicketCategory, TicketEventType, TicketPriority, TicketStatus } from './ticket-enums';

export const SYSTEM_ACTOR: RequestContext['actor'] = { type: 'SYSTEM', id: null };

export interface NewTicketEvent {
  tenantId: string;
  ticketId: string;
  type: TicketEventType;
  data?: JsonObject;
}

const UNCOMMITTED = 'rida.uncommittedTicketEvents';

/** A manager's open transaction, as TypeORM tracks it: where the events wait for its end. */
type Transaction = NonNullable<EntityManager['queryRunner']>;

/**
 * The one way audit events are written, by tickets and by the modules acting on tickets (SLA,
 * routing, CSAT, channels). The rows are also remembered on the transaction, so that the
 * TicketEventStream can write the webhook outbox before COMMIT and publish them after it.
 */
export async function insertTicketEvents(manager: EntityManager, actor: RequestContext['actor'], events: NewTicketEvent[]): Promise<void> {
  if (events.length === 0) return;
  const { statement, written } = ticketEventsStatement(manager, actor, events);
  const [rows] = await batch(manager, [statement]);
  written(rows);
}

/**
 * insertTicketEvents as a statement to send together with others (see batch): pass its result
 * rows to `written`, which remembers the events on the transaction as insertTicketEvents does.
 */
export function ticketEventsStatement(manager: EntityManager, actor: RequestContext['actor'], events: NewTicketEvent[]): { statement: Statement; written(rows: Array<Record<string, unknown>>): void } {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) throw new Error('Ticket events are written inside a transaction');
  const rows = events.map((e) => ({ tenantId: e.tenantId, id: uuidv7(), ticketId: e.ticketId, type: e.type, actorType: actor.type, actorId: actor.id, data: e.data ?? {} }));
  return {
    statement: {
      sql: `INSERT INTO ticket_events (tenant_id, id, ticket_id, type, actor_type, actor_id, data)
            SELECT tenant_id, id, ticket_id, type, actor_type, actor_id, data FROM json_populate_recordset(null::ticket_events, $1) RETURNING id, created_at`,
      parameters: [JSON.stringify(rows.map((r) => ({ tenant_id: r.tenantId, id: r.id, ticket_id: r.ticketId, type: r.type, actor_type: r.actorType, actor_id: r.actorId, data: r.data })))],
    },
    written(result) {
      const createdAt = new Map(result.map((row) => [row.id as string, row.created_at as Date]));
      const pending = ((runner.data as Record<string, unknown>)[UNCOMMITTED] ??= []) as UncommittedEvent[];
      const depth = transactionDepth(runner);
      for (const row of rows) pending.push({ depth, event: Object.assign(new TicketEvent(), row, { createdAt: createdAt.get(row.id)! }) });
      // A ticket with a later event may have changed since it was created: its notice reads it again, its derived writes are made again.
      for (const row of rows) forgetAsInserted(runner, row.ticketId);
    },
  };
}

/** How deep the runner's transaction is (1: outermost; more inside savepoints). TypeORM keeps it protected. */
export function transactionDepth(runner: Transaction): number {
  return (runner as unknown as { transactionDepth: number }).transactionDepth;
}

interface UncommittedEvent {
  depth: number;
  event: TicketEvent;
}

/** The events written in this transaction so far, oldest first (for TicketEventStream). */
export function uncommittedTicketEvents(runner: Transaction): TicketEvent[] {
  return (((runner.data as Record<string, unknown>)[UNCOMMITTED] ?? []) as UncommittedEvent[]).map((e) => e.event);
}

/** Forgets what a rolled-back transaction (or savepoint) wrote; returns what a committed one wrote. */
export function takeTicketEvents(runner: Transaction, outcome: 'committed' | 'rolled back'): TicketEvent[] {
  const data = runner.data as Record<string, unknown>;
  const pending = (data[UNCOMMITTED] ?? []) as UncommittedEvent[];
  if (outcome === 'rolled back') {
    // transactionDepth is already decremented: events written deeper than it are gone.
    data[UNCOMMITTED] = pending.filter((e) => e.depth <= transactionDepth(runner));
    forgetDeeperThan(runner, transactionDepth(runner));
    return [];
  }
  if (runner.isTransactionActive) return []; // a savepoint was released; the outer transaction decides
  delete data[UNCOMMITTED];
  delete data[INSERTED];
  delete data[NOTICE_STATES];
  return pending.map((e) => e.event);
}

const INSERTED = 'rida.insertedTickets';

/** What a change notice says of its ticket (TicketEventNotice's `ticket`). */
export interface TicketNoticeState {
  number: number;
  customerId: string;
  teamId: string | null;
  assigneeId: string | null;
  status: TicketStatus;
  priority: TicketPriority;
  channel: Channel;
  category: TicketCategory;
}

/** What is known of a ticket this transaction has just inserted and not touched since. */
export interface InsertedTicket {
  /** As its CREATED event describes it: its change notice is built from this instead of reading the row back. */
  state: TicketNoticeState;
  /** The change hooks (TicketEventStream's, by index) whose writes went with its INSERT: at COMMIT they leave it out. */
  derivedBy: ReadonlySet<number>;
}

const NOTICE_STATES = 'rida.ticketNoticeStates';

/** Entries remembered on a transaction with the depth (savepoint) that wrote them. */
type Remembered<T> = Map<string, { depth: number; value: T }>;

function remembered<T>(runner: Transaction, key: string): Remembered<T> {
  return ((runner.data as Record<string, unknown>)[key] ??= new Map()) as Remembered<T>;
}

/**
 * A ticket this transaction has just inserted: known as inserted until a later event of the same
 * ticket (which may come with changes) or a mark (markTicketsChanged) is written in the
 * transaction. Saves a read, and the derived writes at COMMIT, while the store's number counter is
 * held.
 */
export function rememberInsertedTicket(manager: EntityManager, ticketId: string, inserted: InsertedTicket): void {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) return;
  remembered<Pick<InsertedTicket, 'derivedBy'>>(runner, INSERTED).set(ticketId, { depth: transactionDepth(runner), value: { derivedBy: inserted.derivedBy } });
  rememberTicketNoticeState(manager, ticketId, inserted.state);
}

/**
 * A ticket as a write of this transaction has just left it (an UPDATE … RETURNING): its change
 * notice is built from this instead of reading the row back, until a later event of the ticket or
 * a mark that may change what a notice says of it (see markTicketsChanged).
 */
export function rememberTicketNoticeState(manager: EntityManager, ticketId: string, state: TicketNoticeState): void {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) return;
  remembered<TicketNoticeState>(runner, NOTICE_STATES).set(ticketId, { depth: transactionDepth(runner), value: state });
}

/** The tickets inserted in this transaction and not touched since (see rememberInsertedTicket; their state is with knownNoticeStates). */
export function insertedTickets(runner: Transaction): ReadonlyMap<string, Pick<InsertedTicket, 'derivedBy'>> {
  return valuesOf(runner, INSERTED);
}

/** The tickets whose notice state this transaction knows (see rememberTicketNoticeState). */
export function knownNoticeStates(runner: Transaction): ReadonlyMap<string, TicketNoticeState> {
  return valuesOf(runner, NOTICE_STATES);
}

function valuesOf<T>(runner: Transaction, key: string): Map<string, T> {
  const entries = (runner.data as Record<string, unknown>)[key] as Remembered<T> | undefined;
  return new Map([...(entries ?? [])].map(([id, { value }]) => [id, value]));
}

/** A ticket touched after its insert: it is no longer known as inserted, nor (unless the touch keeps it) its notice state. */
function forgetAsInserted(runner: Transaction, ticketId: string, { keepNoticeState = false } = {}): void {
  const data = runner.data as Record<string, unknown>;
  (data[INSERTED] as Remembered<unknown> | undefined)?.delete(ticketId);
  if (!keepNoticeState) (data[NOTICE_STATES] as Remembered<unknown> | undefined)?.delete(ticketId);
}

/** After a rollback to a savepoint: what was remembered inside it is gone with it (the rows it describes may be). */
function forgetDeeperThan(runner: Transaction, depth: number): void {
  for (const key of [INSERTED, NOTICE_STATES]) {
    const entries = (runner.data as Record<string, unknown>)[key] as Remembered<unknown> | undefined;
    for (const [id, entry] of entries ?? []) if (entry.depth > depth) entries!.delete(id);
  }
}

const CHANGED = 'rida.changedTickets';

/**
 * Remembers that tickets were written in this transaction without a ticket event (a ticket event
 * marks its ticket already): what is derived from a ticket (its KPI contribution, whether it is
 * the first of its order) is brought up to date just before COMMIT, by the hooks registered with
 * TicketEventStream.onTicketsChanged — the app's own writes, where a trigger used to do it.
 * Marking a ticket that did not change costs a few index look-ups and writes nothing.
 * `noticeUnchanged`: the change touches nothing a change notice says of the ticket (its SLA
 * columns, say), so a notice state remembered for it stays true.
 */
export function markTicketsChanged(manager: EntityManager, tenantId: string, ticketIds: readonly string[], { noticeUnchanged = false } = {}): void {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) throw new Error('Ticket changes are written inside a transaction');
  const changed = ((runner.data as Record<string, unknown>)[CHANGED] ??= new Map<string, Set<string>>()) as Map<string, Set<string>>;
  const ofStore = changed.get(tenantId) ?? new Set<string>();
  for (const id of ticketIds) {
    ofStore.add(id);
    forgetAsInserted(runner, id, { keepNoticeState: noticeUnchanged });
  }
  changed.set(tenantId, ofStore);
}

/** The tickets this transaction changed, by store: those marked, and those with events; forgets the marks. */
export function takeChangedTickets(runner: Transaction): Map<string, string[]> {
  const data = runner.data as Record<string, unknown>;
  const marked = (data[CHANGED] ?? new Map()) as Map<string, Set<string>>;
  delete data[CHANGED];
  const changed = new Map<string, Set<string>>(marked);
  for (const event of uncommittedTicketEvents(runner)) {
    const ofStore = changed.get(event.tenantId) ?? new Set<string>();
    ofStore.add(event.ticketId);
    changed.set(event.tenantId, ofStore);
  }
  return new Map([...changed].map(([tenantId, ids]) => [tenantId, [...ids].sort()]));
}

/** Forgets the marks of a transaction that rolled back as a whole. */
export function forgetChangedTickets(runner: Transaction): void {
  delete (runner.data as Record<string, unknown>)[CHANGED];
  delete (runner.data as Record<string, unknown>)[INSERTED];
  delete (runner.data as Record<string, unknown>)[NOTICE_STATES];
}
