import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TenantTransactions } from '../../src/common/database/tenant-transactions';
import { TicketImporter } from '../../src/tickets/import/ticket-importer';
import { ADD_MESSAGE, CREATE_TICKET, TestApp, TestTenant, UPDATE_TICKET } from './helpers/test-app';

const SEARCH = `query($query: String!, $filter: TicketsFilterInput, $first: Int, $after: String, $last: Int, $before: String) {
  searchTickets(query: $query, filter: $filter, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { score highlight ticket { id number subject } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

describe('ticket search', () => {
  let t: TestApp;
  let store: TestTenant;
  let other: TestTenant;
  const tickets: Record<string, { id: string; number: number }> = {};

  const create = async (name: string, input: Record<string, unknown>) => {
    const { createTicket } = await t.gqlOk(store.key, CREATE_TICKET, { input: { channel: 'WHATSAPP', ...input } });
    tickets[name] = createTicket;
    return createTicket;
  };
  const search = async (query: string, extra: Record<string, unknown> = {}, key = store.key) => (await t.gqlOk(key, SEARCH, { query, ...extra })).searchTickets;
  const found = async (query: string, extra: Record<string, unknown> = {}) => (await search(query, extra)).edges.map((e: any) => e.node.ticket.id);

  beforeAll(async () => {
    t = await TestApp.start();
    store = await t.createTenant();
    other = await t.createTenant('متجر آخر');
    await create('delay', {
      subject: 'تأخرت الشحنة',
      body: 'طلبي رقم SA-77120 تأخر أكثر من أسبوع، وين الشحنة؟',
      orderRef: 'SA-77120',
      customer: { name: 'نورة العتيبي', phone: '0501234567', email: 'noura@example.sa' },
      tags: ['تأخير'],
    });
    await create('refund', {
      subject: 'استرجاع المبلغ',
      body: 'أبغى أرجع المنتج وأسترد المبلغ بالبطاقة',
      customer: { name: 'Fahad Alharbi', email: 'fahad@example.com' },
    });
    await create('payment', {
      subject: 'Payment failed',
      body: 'The card was declined twice, مدى لا تعمل',
      customer: { email: 'reem@example.com' },
    });
    await t.gqlOk(store.key, ADD_MESSAGE, { input: { ticketId: tickets.refund.id, body: 'تم إصدار كوبون اعتذار للعميل', authorType: 'AGENT', internal: true } });
    await t.gqlOk(other.key, CREATE_TICKET, { input: { subject: 'تأخرت الشحنة', body: 'متجر آخر: الشحنة تأخرت', customer: { phone: '0501234567' } } });
  });
  afterAll(() => t.close());

  it('finds Arabic text whatever the spelling: hamza, ta marbuta, the article, diacritics', async () => {
    for (const query of ['تاخرت الشحنه', 'شحنة', 'الشَّحْنَة', 'وين الشحنه']) expect(await found(query)).toEqual([tickets.delay.id]);
    expect(await found('ارجع المنتج')).toEqual([tickets.refund.id]);
  });

  it('finds by number, order id, customer name, email and phone in any format', async () => {
    const n = tickets.payment.number;
    for (const query of [`#${n}`, String(n), String(n).replace(/\d/g, (d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)])]) {
      const result = await search(query);
      expect(result.edges[0].node.ticket.id).toBe(tickets.payment.id);
      expect(result.edges[0].node.score).toBeGreaterThanOrEqual(1);
    }
    expect(await found('sa-77120')).toEqual([tickets.delay.id]);
    expect(await found('نوره')).toEqual([tickets.delay.id]);
    expect(await found('fahad@example.com')).toEqual([tickets.refund.id]);
    for (const phone of ['0501234567', '+966 50 123 4567', '966501234567', '٠٥٠١٢٣٤٥٦٧']) expect(await found(phone)).toEqual([tickets.delay.id]);
  });

  it('searches every message including internal notes, as typed (prefix of the last word), mixed scripts', async () => {
    expect(await found('كوبون اعتذ')).toEqual([tickets.refund.id]);
    expect(await found('card مدى')).toEqual([tickets.payment.id]);
    expect(await found('declin')).toEqual([tickets.payment.id]);
    expect(await found('discard')).toEqual([]);
  });

  it('highlights the match in the original spelling, HTML-safe', async () => {
    const result = await search('الشحنه');
    expect(result.edges[0].node.highlight).toBe('تأخرت <mark>الشحنة</mark>');
    const fromMessage = await search('كوبون');
    expect(fromMessage.edges[0].node.highlight).toBe('تم إصدار <mark>كوبون</mark> اعتذار للعميل');
  });

  it('ranks subject and customer matches above the conversation, and pages with cursors', async () => {
    await create('mention', { subject: 'سؤال عن المقاس', body: 'كان عندي استرجاع سابق وتم', customer: { email: 'x1@example.com' } });
    const result = await search('استرجاع', { first: 1 });
    expect(result.totalCount).toBe(2);
    expect(result.edges[0].node.ticket.id).toBe(tickets.refund.id);
    expect(result.pageInfo.hasNextPage).toBe(true);
    const next = await search('استرجاع', { first: 1, after: result.pageInfo.endCursor });
    expect(next.edges.map((e: any) => e.node.ticket.id)).toEqual([tickets.mention.id]);
    expect(next.pageInfo.hasNextPage).toBe(false);
  });

  it('combines with the ticket filters and follows subject and tag changes', async () => {
    expect(await found('استرجاع', { filter: { channel: ['EMAIL'] } })).toEqual([]);
    await t.gqlOk(store.key, UPDATE_TICKET, { id: tickets.payment.id, input: { subject: 'مشكلة دفع بطاقة', tags: ['دفع-مكرر'] } });
    expect(await found('مشكله دفع')).toEqual([tickets.payment.id]);
    expect(await found('payment failed')).toEqual([]);
    expect(await found('دفع مكرر', { filter: { tags: ['دفع-مكرر'] } })).toEqual([tickets.payment.id]);
  });

  it('reads the history newest week first and fills a filtered page from as far back as it takes', async () => {
    // 1 200 tickets over 40 weeks, three to a timestamp; every tenth one is still open.
    const history = await t.createTenant();
    const dir = mkdtempSync(join(tmpdir(), 'rida-search-'));
    const newest = Date.now() - 3_600_000;
    const lines = Array.from({ length: 1200 }, (_, i) =>
      JSON.stringify({
        type: 'ticket',
        id: i + 1,
        subject: `طلب مرتجع ${i + 1}`,
        status: i % 10 === 0 ? 'open' : 'solved',
        requester: { email: `c${i % 50}@example.sa` },
        created_at: new Date(newest - Math.floor(i / 3) * 17_000_000).toISOString(),
        description: 'أبغى أرجع المنتج',
      }),
    );
    writeFileSync(join(dir, 'history.jsonl'), lines.join('\n'));
    expect(await new TicketImporter(t.app.get(TenantTransactions)).run(history.id, join(dir, 'history.jsonl'))).toMatchObject({ ticketsImported: 1200 });

    const all = (await t.gqlOk(history.key, SEARCH, { query: 'مرتجع', first: 20 })).searchTickets;
    expect(all.totalCount).toBe(1200);
    // Equal scores: the newest first.
    expect(
      all.edges
        .slice(0, 3)
        .map((e: any) => e.node.ticket.subject)
        .sort(),
    ).toEqual(['طلب مرتجع 1', 'طلب مرتجع 2', 'طلب مرتجع 3']);
    // Backward from the third page's start is the second page, in the same order.
    const second = (await t.gqlOk(history.key, SEARCH, { query: 'مرتجع', first: 20, after: all.pageInfo.endCursor })).searchTickets;
    const third = (await t.gqlOk(history.key, SEARCH, { query: 'مرتجع', first: 20, after: second.pageInfo.endCursor })).searchTickets;
    const back = (await t.gqlOk(history.key, SEARCH, { query: 'مرتجع', last: 20, before: third.pageInfo.startCursor })).searchTickets;
    expect(back.edges.map((e: any) => e.node.ticket.id)).toEqual(second.edges.map((e: any) => e.node.ticket.id));
    expect(back.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true, startCursor: second.pageInfo.startCursor, endCursor: second.pageInfo.endCursor });
    const start = (await t.gqlOk(history.key, SEARCH, { query: 'مرتجع', last: 50, before: second.pageInfo.startCursor })).searchTickets;
    expect(start.edges.map((e: any) => e.node.ticket.id)).toEqual(all.edges.map((e: any) => e.node.ticket.id));
    expect(start.pageInfo.hasPreviousPage).toBe(false);

    const open: string[] = [];
    let after: string | undefined;
    do {
      const page = (await t.gqlOk(history.key, SEARCH, { query: 'مرتجع', filter: { status: ['OPEN'] }, first: 50, after })).searchTickets;
      open.push(...page.edges.map((e: any) => e.node.ticket.subject));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : undefined;
    } while (after);
    expect(new Set(open).size).toBe(120);
    expect(open).toContain('طلب مرتجع 1191');
  });

  it("never returns another store's tickets", async () => {
    expect((await search('شحنة', {}, other.key)).edges).toHaveLength(1);
    expect((await search('SA-77120', {}, other.key)).edges).toHaveLength(0);
  });

  it('refuses an empty or oversized query with BAD_USER_INPUT', async () => {
    for (const query of ['  ', '؟؟!!', 'x'.repeat(201)]) {
      const { errors } = await t.gql(store.key, SEARCH, { query });
      expect(errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    const { errors } = await t.gql(store.key, SEARCH, { query: 'شحن', after: 'bm9wZQ' });
    expect(errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
