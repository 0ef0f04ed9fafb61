import type { EntityManager } from 'typeorm';
import { insertedTickets, markTicketsChanged, rememberInsertedTicket, takeTicketEvents, ticketEventsStatement } from './ticket-events';
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
const INSERTED = { state: STATE, derivedBy: new Set([0]) };

/** A ticket inserted in a transaction is known as inserted — its notice and its derived writes — until it is touched again. */
describe('a ticket known as inserted', () => {
  it('stays known while nothing else touches it, until the transaction ends', () => {
    const manager = inTransaction();
    rememberInsertedTicket(manager, TICKET, INSERTED);
    expect(insertedTickets(manager.queryRunner!).get(TICKET)?.state).toEqual(STATE);
    expect(insertedTickets(manager.queryRunner!).get(TICKET)?.derivedBy).toEqual(new Set([0]));
    (manager.queryRunner as unknown as { isTransactionActive: boolean }).isTransactionActive = false;
    takeTicketEvents(manager.queryRunner!, 'committed');
    expect(insertedTickets(manager.queryRunner!).size).toBe(0); // forgotten with the transaction
  });

  it('is forgotten by a later event of the same ticket, not by another ticket’s', () => {
    const manager = inTransaction();
    rememberInsertedTicket(manager, TICKET, INSERTED);
    const other = ticketEventsStatement(manager, { type: 'SYSTEM', id: null }, [{ tenantId: STORE, ticketId: OTHER, type: TicketEventType.STATUS_CHANGED }]);
    other.written([]);
    expect(insertedTickets(manager.queryRunner!).has(TICKET)).toBe(true);
    const own = ticketEventsStatement(manager, { type: 'SYSTEM', id: null }, [{ tenantId: STORE, ticketId: TICKET, type: TicketEventType.STATUS_CHANGED }]);
    own.written([]);
    expect(insertedTickets(manager.queryRunner!).has(TICKET)).toBe(false);
  });

  it('is forgotten when the ticket is marked changed without an event', () => {
    const manager = inTransaction();
    rememberInsertedTicket(manager, TICKET, INSERTED);
    markTicketsChanged(manager, STORE, [TICKET]);
    expect(insertedTickets(manager.queryRunner!).has(TICKET)).toBe(false);
  });

  it('remembers nothing outside a transaction', () => {
    const manager = inTransaction();
    (manager.queryRunner as unknown as { isTransactionActive: boolean }).isTransactionActive = false;
    rememberInsertedTicket(manager, TICKET, INSERTED);
    expect(insertedTickets(manager.queryRunner!).size).toBe(0);
  });
});
