import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { TenantTransactions } from '../../src/common/database/tenant-transactions';
import { TicketImporter } from '../../src/tickets/import/ticket-importer';
import { arabicTicket, CREATE_TICKET, TestApp, TestTenant } from './helpers/test-app';

const FIXTURES = join(__dirname, '../fixtures/import');
const JOB = `query($id: ID!) { importJob(id: $id) { id status format fileName progress ticketsImported ticketsSkipped messagesImported usersRead errorCount errors ticketsPerSecond etaSeconds finishedAt } }`;
const BY_NUMBER = `query($n: Int!) { ticketByNumber(number: $n) { subject status priority category channel tags orderRef createdAt firstResponseAt solvedAt customFields
  customer { name identities { kind value } } messages { authorType authorName internal body createdAt } } }`;

describe('import from another help desk', () => {
  let t: TestApp;
  let store: TestTenant;
  let other: TestTenant;
  let importer: () => TicketImporter;

  beforeAll(async () => {
    t = await TestApp.start();
    store = await t.createTenant('متجر الأناقة');
    other = await t.createTenant();
    importer = () => new TicketImporter(t.app.get(TenantTransactions));
  });
  afterAll(() => t.close());

  it('imports a JSON Lines export: users, tickets with their comments; bad rows are reported by line and the rest goes on', async () => {
    const job = await importer().run(store.id, join(FIXTURES, 'zendesk-export.jsonl'));
    const seen = (await t.gqlOk(store.key, JOB, { id: job.id })).importJob;
    expect(seen).toMatchObject({
      status: 'COMPLETED',
      format: 'jsonl',
      fileName: 'zendesk-export.jsonl',
      progress: 1,
      ticketsImported: 3,
      ticketsSkipped: 1,
      messagesImported: 6,
      usersRead: 3,
      etaSeconds: null,
    });
    expect(seen.errors).toEqual([
      expect.stringMatching(/^line 4: not valid JSON/),
      'line 5: ticket 1003: status "archived" is not one of new, open, pending, hold, on_hold, solved, closed',
      expect.stringMatching(/^line 7: user 503: .*email/),
      'line 11: neither a user nor a ticket (give "type": "user" or "ticket")',
      expect.stringMatching(/^line 12: ticket 1006: /),
    ]);
    expect(seen.errorCount).toBe(5);
  });

  it('keeps each ticket’s history: times, status, who wrote what, internal notes, the customer with all identities, and facts for KPIs', async () => {
    const tickets = await t.gqlOk(store.key, `{ tickets(first: 10) { edges { node { number customFields } } } }`);
    const numberOf = (zendeskId: string) => tickets.tickets.edges.find((e: any) => e.node.customFields.externalId === zendeskId).node.number;
    const shipping = (await t.gqlOk(store.key, BY_NUMBER, { n: numberOf('1001') })).ticketByNumber;
    expect(shipping).toMatchObject({
      subject: 'تأخر الشحنة رقم SA-4410',
      status: 'SOLVED',
      priority: 'HIGH',
      category: 'SHIPPING', // decided by the store's routing rules
      channel: 'EMAIL',
      tags: ['شحن', 'متأخر'],
      orderRef: 'SA-4410',
      createdAt: '2025-01-10T07:15:00.000Z',
      firstResponseAt: '2025-01-10T08:05:00.000Z',
      solvedAt: '2025-01-11T12:00:00.000Z',
      customFields: { importedFrom: 'zendesk', externalId: '1001' },
    });
    expect(shipping.customer.name).toBe('نورة العتيبي');
    expect(shipping.customer.identities.map((i: any) => `${i.kind}:${i.value}`).sort()).toEqual(['EMAIL:noura@example.sa', 'EXTERNAL:zendesk:501', 'PHONE:+966501234567']);
    expect(shipping.messages.map((m: any) => [m.authorType, m.authorName])).toEqual([
      ['CUSTOMER', 'نورة العتيبي'],
      ['AGENT', 'سارة الشهري'],
    ]);

    const returns = (await t.gqlOk(store.key, BY_NUMBER, { n: numberOf('1004') })).ticketByNumber;
    expect(returns).toMatchObject({ status: 'OPEN', channel: 'WHATSAPP', category: 'RETURNS', firstResponseAt: '2025-02-01T18:45:00.000Z' });
    expect(returns.messages.map((m: any) => [m.authorType, m.internal])).toEqual([
      ['CUSTOMER', false],
      ['AGENT', true],
      ['AGENT', false],
    ]);
    // A description without comments is the first message.
    const payment = (await t.gqlOk(store.key, BY_NUMBER, { n: numberOf('1005') })).ticketByNumber;
    expect(payment.messages).toEqual([expect.objectContaining({ authorType: 'CUSTOMER', body: 'هل تقبلون الدفع بتمارا؟' })]);
    // All or nothing: the ticket the database refused left no customer message behind.
    const [{ count }] = await t.app.get(DataSource).query(`SELECT count(*)::int FROM messages WHERE tenant_id = $1 AND body LIKE 'قبل%'`, [store.id]);
    expect(count).toBe(0);
  });

  it('writes search documents: imported tickets are found at once', async () => {
    const found = await t.gqlOk(store.key, `{ searchTickets(query: "ارامكس") { edges { node { ticket { subject } } } } }`);
    expect(found.searchTickets.edges.map((e: any) => e.node.ticket.subject)).toEqual(['تأخر الشحنة رقم SA-4410']);
  });

  it('imports nothing twice when run again', async () => {
    const again = await importer().run(store.id, join(FIXTURES, 'zendesk-export.jsonl'));
    expect(again).toMatchObject({ status: 'COMPLETED', ticketsImported: 0, ticketsSkipped: 4, errorCount: 5 });
    const { tickets } = await t.gqlOk(store.key, `{ tickets { totalCount } }`);
    expect(tickets.totalCount).toBe(3);
  });

  it('a person the store already knows, or who is twice in the file, stays one customer', async () => {
    const shop = await t.createTenant();
    const known = (await t.gqlOk(shop.key, CREATE_TICKET, { input: arabicTicket(1, { channel: 'EMAIL', customer: { email: 'Noura@Example.sa' } }) })).createTicket.customer;
    const dir = mkdtempSync(join(tmpdir(), 'rida-import-'));
    const ticket = (id: number, requester: number) => ({ type: 'ticket', id, subject: 'وين طلبي؟', requester_id: requester, created_at: '2025-03-01T09:00:00Z', description: 'طلبي ما وصل' });
    writeFileSync(
      join(dir, 'people.jsonl'),
      [
        { type: 'user', id: 501, name: 'نورة القحطاني', email: 'noura@example.sa', phone: '0551112222' },
        { type: 'user', id: 502, name: 'نورة', phone: '+966 55 111 2222' },
        ticket(1, 501),
        ticket(2, 502),
        ticket(3, 503),
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const job = await importer().run(shop.id, join(dir, 'people.jsonl'));
    expect(job).toMatchObject({ status: 'COMPLETED', ticketsImported: 3, errorCount: 0 });
    const { tickets } = await t.gqlOk(shop.key, `{ tickets(first: 10) { edges { node { customer { id name identities { kind value } } } } } }`);
    const customers = new Map(tickets.edges.map((e: any) => [e.node.customer.id, e.node.customer]));
    expect(customers.size).toBe(2);
    const noura: any = customers.get(known.id);
    expect(noura.name).toBe('نورة القحطاني');
    expect(noura.identities).toEqual(
      expect.arrayContaining([
        { kind: 'EMAIL', value: 'noura@example.sa' },
        { kind: 'PHONE', value: '+966551112222' },
        { kind: 'EXTERNAL', value: 'zendesk:501' },
        { kind: 'EXTERNAL', value: 'zendesk:502' },
      ]),
    );
  });

  it('imports CSV with one row per comment, multi-line quoted bodies included', async () => {
    const job = await importer().run(store.id, join(FIXTURES, 'zendesk-export.csv'));
    expect(job).toMatchObject({ status: 'COMPLETED', format: 'csv', ticketsImported: 2, messagesImported: 4 });
    expect(job.errors).toEqual(['line 6: ticket_id is missing', 'line 7: ticket 2002: created_at is not a date: "not-a-date"']);
    const found = await t.gqlOk(store.key, `{ searchTickets(query: "ريم") { edges { node { ticket { status priority channel customer { identities { kind value } } } } } } }`);
    expect(found.searchTickets.edges[0].node.ticket).toMatchObject({ status: 'PENDING', priority: 'URGENT', channel: 'WHATSAPP' });
    expect(found.searchTickets.edges[0].node.ticket.customer.identities).toContainEqual({ kind: 'PHONE', value: '+966551234567' });
    const note = await t.gqlOk(store.key, `{ searchTickets(query: "أرامكس") { edges { node { ticket { messages { internal body } } } } } }`);
    const messages = note.searchTickets.edges.flatMap((e: any) => e.node.ticket.messages);
    expect(messages).toContainEqual({ internal: true, body: 'ملاحظة داخلية:\nتم التواصل مع أرامكس' });
  });

  it('a file that cannot be read as CSV stops the job with the reason; the job is kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rida-import-'));
    const path = join(dir, 'wrong-header.csv');
    writeFileSync(path, 'id,title\n1,x\n');
    const job = await importer().run(store.id, path);
    expect(job.status).toBe('FAILED');
    expect(job.failure).toMatch(/header lacks ticket_id, created_at, comment_body/);
    expect((await t.gqlOk(store.key, JOB, { id: job.id })).importJob.status).toBe('FAILED');
  });

  it('another store cannot see the job; only admins can', async () => {
    const [job] = (await t.gqlOk(store.key, `{ importJobs { id } }`)).importJobs;
    const foreign = await t.gql(other.key, JOB, { id: job.id });
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await t.gqlOk(other.key, `{ importJobs { id } }`)).importJobs).toEqual([]);
  });
});
