import type { EntityManager } from 'typeorm';
import { markTicketsChanged, rememberCreatedTicket, rememberDerivedAtInsert, createdTicketStates, takeDerivedAtInsert, ticketEventsStatement } from './ticket-events';
import { Channel, TicketCategory, TicketEventType, TicketPriority, TicketStatus } from './ticket-enums';

/** A manager in an open transaction, as far as these functions look at it. */
function inTransaction(): EntityManager {
  return { queryRunner: { isTransactionActive: true, transactionDepth: 1, data: {} } } as unknown as EntityManager;
}

const STORE = '0190a0f0-0000-7000-8000-000000000001';
const TICKET = '0190a0f0-0000-7000-8000-0000000000aa';
const OTHER = '0190a0f0-0000-7000-8000-0000000000bb';
const STATE = {
  number: 1001,
  customerId: OTHER,
  teamId: null,
  assigneeId: null,
  status: TicketStatus.NEW,
  priority: TicketPriority.NORMAL,
  channel: Channel.WHATSAPP,
  category: TicketCategory.SHIPPING,
};

/** A ticket inserted in a transaction is known as inserted — its notice and its derived writes — until it is touched again. */
describe('a ticket known as inserted', () => {
  it('stays known while nothing else touches it', () => {
    const manager = inTransaction();
    rememberCreatedTicket(manager, TICKET, STATE);
    rememberDerivedAtInsert(manager, TICKET, new Set([0]));
    expect(createdTicketStates(manager.queryRunner!).get(TICKET)).toEqual(STATE);
    expect(takeDerivedAtInsert(manager.queryRunner!).get(TICKET)).toEqual(new Set([0]));
    expect(takeDerivedAtInsert(manager.queryRunner!).size).toBe(0); // taken once
  });

  it('is forgotten by a later event of the same ticket, not by another ticket’s', () => {
    const manager = inTransaction();
    rememberCreatedTicket(manager, TICKET, STATE);
    rememberDerivedAtInsert(manager, TICKET, new Set([0]));
    const other = ticketEventsStatement(manager, { type: 'SYSTEM', id: null }, [{ tenantId: STORE, ticketId: OTHER, type: TicketEventType.STATUS_CHANGED }]);
    other.written([]);
    expect(createdTicketStates(manager.queryRunner!).has(TICKET)).toBe(true);
    const own = ticketEventsStatement(manager, { type: 'SYSTEM', id: null }, [{ tenantId: STORE, ticketId: TICKET, type: TicketEventType.STATUS_CHANGED }]);
    own.written([]);
    expect(createdTicketStates(manager.queryRunner!).has(TICKET)).toBe(false);
    expect(takeDerivedAtInsert(manager.queryRunner!).has(TICKET)).toBe(false);
  });

  it('is forgotten when the ticket is marked changed without an event', () => {
    const manager = inTransaction();
    rememberCreatedTicket(manager, TICKET, STATE);
    rememberDerivedAtInsert(manager, TICKET, new Set([0]));
    markTicketsChanged(manager, STORE, [TICKET]);
    expect(createdTicketStates(manager.queryRunner!).has(TICKET)).toBe(false);
    expect(takeDerivedAtInsert(manager.queryRunner!).has(TICKET)).toBe(false);
  });

  it('remembers nothing when no hook wrote anything at insert', () => {
    const manager = inTransaction();
    rememberDerivedAtInsert(manager, TICKET, new Set());
    expect(takeDerivedAtInsert(manager.queryRunner!).size).toBe(0);
  });
});
