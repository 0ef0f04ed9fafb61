import type { EntityManager } from 'typeorm';
import { insertedTickets, knownNoticeStates, markTicketsChanged, rememberInsertedTicket, rememberTicketNoticeState, takeTicketEvents, ticketEventsStatement } from './ticket-events';
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
    expect(knownNoticeStates(manager.queryRunner!).get(TICKET)).toEqual(STATE);
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

/** A ticket's notice state as a write of the transaction left it: its change notice is built from it instead of a read. */
describe("a ticket's known notice state", () => {
  const runnerOf = (manager: EntityManager) => manager.queryRunner as unknown as { transactionDepth: number };

  it('survives a mark that keeps what a notice says (SLA columns), not one that may change it, nor a later event', () => {
    const manager = inTransaction();
    rememberTicketNoticeState(manager, TICKET, STATE);
    markTicketsChanged(manager, STORE, [TICKET], { noticeUnchanged: true });
    expect(knownNoticeStates(manager.queryRunner!).get(TICKET)).toEqual(STATE);
    markTicketsChanged(manager, STORE, [TICKET]);
    expect(knownNoticeStates(manager.queryRunner!).has(TICKET)).toBe(false);

    rememberTicketNoticeState(manager, TICKET, STATE);
    ticketEventsStatement(manager, { type: 'SYSTEM', id: null }, [{ tenantId: STORE, ticketId: TICKET, type: TicketEventType.ASSIGNEE_CHANGED }]).written([]);
    expect(knownNoticeStates(manager.queryRunner!).has(TICKET)).toBe(false);
  });

  it('a mark that keeps the notice state still makes an inserted ticket’s derived writes run again at COMMIT', () => {
    const manager = inTransaction();
    rememberInsertedTicket(manager, TICKET, INSERTED);
    markTicketsChanged(manager, STORE, [TICKET], { noticeUnchanged: true });
    expect(insertedTickets(manager.queryRunner!).has(TICKET)).toBe(false);
    expect(knownNoticeStates(manager.queryRunner!).get(TICKET)).toEqual(STATE);
  });

  it('is forgotten when the savepoint that wrote it rolls back, kept when an inner one does', () => {
    const manager = inTransaction();
    rememberTicketNoticeState(manager, OTHER, STATE);
    runnerOf(manager).transactionDepth = 2; // a savepoint
    rememberTicketNoticeState(manager, TICKET, { ...STATE, status: TicketStatus.OPEN });
    runnerOf(manager).transactionDepth = 1; // rolled back to it
    takeTicketEvents(manager.queryRunner!, 'rolled back');
    expect([...knownNoticeStates(manager.queryRunner!).keys()]).toEqual([OTHER]);
  });
});
