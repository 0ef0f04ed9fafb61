import { EntityManager } from 'typeorm';
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

/** The one way audit events are written, by tickets and by the modules acting on tickets (SLA, routing, CSAT). */
export async function insertTicketEvents(manager: EntityManager, actor: RequestContext['actor'], events: NewTicketEvent[]): Promise<void> {
  if (events.length === 0) return;
  await manager.insert(
    TicketEvent,
    events.map((e) => ({ tenantId: e.tenantId, id: uuidv7(), ticketId: e.ticketId, type: e.type, actorType: actor.type, actorId: actor.id, data: e.data ?? {} })),
  );
}
