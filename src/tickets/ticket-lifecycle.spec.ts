import fc from 'fast-check';
import { AuthorType, TicketStatus } from './ticket-enums';
import { allowedTransitions, canTransition, effectOfMessage, isReopen } from './ticket-lifecycle';

const statuses = Object.values(TicketStatus);
const authors = Object.values(AuthorType);

describe('ticket status transitions', () => {
  it('closed is terminal and only reachable from solved', () => {
    expect(allowedTransitions(TicketStatus.CLOSED)).toEqual([]);
    for (const from of statuses) expect(canTransition(from, TicketStatus.CLOSED)).toBe(from === TicketStatus.SOLVED);
  });

  it('nothing goes back to NEW, and no status transitions to itself', () => {
    fc.assert(
      fc.property(fc.constantFrom(...statuses), (from) => {
        expect(canTransition(from, TicketStatus.NEW)).toBe(false);
        expect(canTransition(from, from)).toBe(false);
      }),
    );
  });

  it('every non-closed status can reach SOLVED in one step', () => {
    for (const from of statuses.filter((s) => s !== TicketStatus.CLOSED && s !== TicketStatus.SOLVED)) {
      expect(canTransition(from, TicketStatus.SOLVED)).toBe(true);
    }
  });

  it('a reopen is exactly a move from SOLVED back to work', () => {
    fc.assert(
      fc.property(fc.constantFrom(...statuses), fc.constantFrom(...statuses), (from, to) => {
        const expected = from === TicketStatus.SOLVED && to !== TicketStatus.CLOSED && to !== TicketStatus.SOLVED;
        expect(isReopen(from, to)).toBe(expected);
      }),
    );
  });
});

describe('effectOfMessage', () => {
  it('a customer reply reopens a solved ticket and resumes a pending one', () => {
    expect(effectOfMessage(TicketStatus.SOLVED, AuthorType.CUSTOMER, false)).toMatchObject({ status: TicketStatus.OPEN, reopened: true });
    expect(effectOfMessage(TicketStatus.PENDING, AuthorType.CUSTOMER, false)).toMatchObject({ status: TicketStatus.OPEN, reopened: false });
    expect(effectOfMessage(TicketStatus.ON_HOLD, AuthorType.CUSTOMER, false).status).toBeUndefined();
    expect(effectOfMessage(TicketStatus.CLOSED, AuthorType.CUSTOMER, false)).toMatchObject({ startsFollowUp: true });
  });

  it('an agent public reply counts and opens a NEW ticket; notes and bots do neither', () => {
    expect(effectOfMessage(TicketStatus.NEW, AuthorType.AGENT, false)).toMatchObject({ status: TicketStatus.OPEN, publicAgentReply: true });
    const pendingReply = effectOfMessage(TicketStatus.PENDING, AuthorType.AGENT, false);
    expect([pendingReply.status, pendingReply.publicAgentReply]).toEqual([undefined, true]);
    const note = effectOfMessage(TicketStatus.NEW, AuthorType.AGENT, true);
    expect([note.status, note.publicAgentReply]).toEqual([undefined, false]);
    const bot = effectOfMessage(TicketStatus.NEW, AuthorType.BOT, false);
    expect([bot.status, bot.publicAgentReply]).toEqual([undefined, false]);
  });

  it('any status a message leads to is a legal transition, and only customers start follow-ups', () => {
    fc.assert(
      fc.property(fc.constantFrom(...statuses), fc.constantFrom(...authors), fc.boolean(), (status, author, internal) => {
        const effect = effectOfMessage(status, author, internal);
        if (effect.status) expect(canTransition(status, effect.status)).toBe(true);
        if (effect.startsFollowUp) expect([author, status]).toEqual([AuthorType.CUSTOMER, TicketStatus.CLOSED]);
        if (effect.reopened) expect(isReopen(status, effect.status!)).toBe(true);
        if (internal) expect(effect.publicAgentReply).toBe(false);
      }),
    );
  });
});
