import { AuthorType, Channel, TicketPriority, TicketStatus } from '../ticket-enums';
import { mapTicket, recordKind, RecordError, ticketFromCsvRow, ZendeskTicket } from './zendesk-records';

const AGENTS = new Map([['9', 'سارة']]);
const base: ZendeskTicket = {
  id: 42,
  subject: 'تأخر الشحنة',
  status: 'solved',
  priority: 'urgent',
  via: { channel: 'native_messaging' },
  tags: 'شحن متأخر',
  requester_id: 7,
  created_at: '2025-01-01T10:00:00Z',
  updated_at: '2025-01-03T10:00:00Z',
  comments: [
    { id: 3, author_id: 9, body: 'نعتذر، تصلك غدًا', created_at: '2025-01-01T11:00:00Z' },
    { id: 1, author_id: 7, body: 'وين طلبي؟', created_at: '2025-01-01T10:00:00Z' },
    { id: 2, author_id: 9, body: 'ملاحظة داخلية', public: false, created_at: '2025-01-01T10:30:00Z' },
  ],
};

describe('mapTicket', () => {
  it('maps status, priority, channel, tags and orders comments by time, telling agents from the customer', () => {
    const t = mapTicket(base, AGENTS);
    expect(t).toMatchObject({ externalId: 'zendesk:42', status: TicketStatus.SOLVED, priority: TicketPriority.URGENT, channel: Channel.CHAT, tags: ['شحن', 'متأخر'] });
    expect(t.messages.map((m) => [m.externalId, m.authorType, m.authorName, m.internal])).toEqual([
      ['zendesk:1', AuthorType.CUSTOMER, null, false],
      ['zendesk:2', AuthorType.AGENT, 'سارة', true],
      ['zendesk:3', AuthorType.AGENT, 'سارة', false],
    ]);
  });

  it('stores the facts KPIs read: first public reply (not the internal note), counts, solved time from updated_at', () => {
    expect(mapTicket(base, AGENTS).facts).toMatchObject({
      messageCount: 3,
      publicAgentReplyCount: 1,
      firstResponseAt: new Date('2025-01-01T11:00:00Z'),
      lastCustomerMessageAt: new Date('2025-01-01T10:00:00Z'),
      solvedAt: new Date('2025-01-03T10:00:00Z'),
      closedAt: null,
    });
  });

  it('takes the description as the first message and the subject from it when either is missing; unknown channels are API', () => {
    const t = mapTicket({ id: 1, requester_id: 7, created_at: '2025-01-01T10:00:00Z', description: 'هل تقبلون تمارا؟', via: { channel: 'sms' } }, AGENTS);
    expect(t).toMatchObject({ subject: 'هل تقبلون تمارا؟', status: TicketStatus.OPEN, priority: TicketPriority.NORMAL, channel: Channel.API });
    expect(t.messages).toHaveLength(1);
  });

  it.each([
    [{ id: '' }, 'id is missing'],
    [{ created_at: 'yesterday' }, 'created_at is not a date: "yesterday"'],
    [{ status: 'archived' }, 'status "archived" is not one of'],
    [{ priority: 'critical' }, 'priority "critical" is not one of'],
    [{ requester_id: null }, 'no requester_id, requester email or phone'],
    [{ requester: { email: 'nope' } }, 'requester email is not an email address: "nope"'],
    [{ comments: [], description: null }, 'no comments and no description'],
    [{ comments: [{ id: 5, body: '  ' }] }, 'comment 5 has no body'],
  ])('refuses %j: %s', (change, reason) => {
    expect(() => mapTicket({ ...base, ...change } as ZendeskTicket, AGENTS)).toThrow(RecordError);
    expect(() => mapTicket({ ...base, ...change } as ZendeskTicket, AGENTS)).toThrow(reason);
  });
});

describe('records', () => {
  it('tells users from tickets by type, else by their fields', () => {
    expect(recordKind({ type: 'user', id: 1 })).toBe('user');
    expect(recordKind({ id: 1, subject: 'x' })).toBe('ticket');
    expect(recordKind({ id: 1, email: 'a@b.sa' })).toBe('user');
    expect(recordKind({ type: 'organization', id: 1 })).toBeNull();
    expect(recordKind({ id: 1 })).toBeNull();
  });

  it('reads a CSV row as a ticket with its first comment', () => {
    const t = ticketFromCsvRow({ ticket_id: '5', subject: 'س', created_at: '2025-01-01T00:00:00Z', requester_email: 'a@b.sa', comment_body: 'نص', comment_public: 'false' });
    expect(t).toMatchObject({ id: '5', requester: { email: 'a@b.sa' }, comments: [{ body: 'نص', public: 'false', created_at: '2025-01-01T00:00:00Z' }] });
  });
});
