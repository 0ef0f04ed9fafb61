import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { JsonObject, RequestContext } from '../common/request-context';
import { TicketEvent } from './entities/ticket-event.entity';
import { TicketEventType } from './ticket-enums';

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
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) throw new Error('Ticket events are written inside a transaction');
  const rows = events.map((e) => ({ tenantId: e.tenantId, id: uuidv7(), ticketId: e.ticketId, type: e.type, actorType: actor.type, actorId: actor.id, data: e.data ?? {} }));
  const result = await manager.insert(TicketEvent, rows);
  const pending = ((runner.data as Record<string, unknown>)[UNCOMMITTED] ??= []) as UncommittedEvent[];
  rows.forEach((row, i) => pending.push({ depth: transactionDepth(runner), event: { ...row, createdAt: result.generatedMaps[i].createdAt as Date } }));
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
    return [];
  }
  if (runner.isTransactionActive) return []; // a savepoint was released; the outer transaction decides
  delete data[UNCOMMITTED];
  return pending.map((e) => e.event);
}
