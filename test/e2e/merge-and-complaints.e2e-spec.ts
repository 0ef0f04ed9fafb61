import { Client } from 'pg';
import { ADD_MESSAGE, CREATE_TICKET, eventuallyPasses, TestApp, TestTenant, UPDATE_TICKET } from './helpers/test-app';

const TICKET = `query($id: ID!) {
  ticket(id: $id) {
    id number status messageCount publicAgentReplyCount firstResponseAt tags orderRef
    mergedInto { id }
    customer { id }
    messages { body authorType internal }
    events { type data }
    compensations { kind amount currency note followUpDays followUpStatus followUpAt }
  }
}`;
const MERGE_TICKETS = `mutation($s: ID!, $t: ID!) { mergeTickets(sourceId: $s, targetId: $t) { id messageCount } }`;
const MERGE_CUSTOMERS = `mutation($s: ID!, $t: ID!) { mergeCustomers(sourceId: $s, targetId: $t) { id name lifetimeValue tier mergedIntoId } }`;
const COMPENSATE = `mutation($input: RecordCompensationInput!) { recordCompensation(input: $input) { id kind amount currency followUpStatus } }`;
const SEARCH = `query($q: String!) { searchTickets(query: $q) { edges { node { ticket { id } } } } }`;

describe('merging and the complaint protocol', () => {
  let t: TestApp;
  let store: TestTenant;
  let other: TestTenant;

  const create = async (input: Record<string, unknown>, key = store.key) => (await t.gqlOk(key, CREATE_TICKET, { input: { channel: 'WHATSAPP', ...input } })).createTicket;
  const read = async (id: string) => (await t.gqlOk(store.key, TICKET, { id })).ticket;
  const reply = (ticketId: string, body: string) => t.gqlOk(store.key, ADD_MESSAGE, { input: { ticketId, body, authorType: 'AGENT' } });

  beforeAll(async () => {
    t = await TestApp.start();
    store = await t.createTenant();
    other = await t.createTenant('متجر آخر');
  });
  afterAll(() => t.close());

  describe('mergeTickets', () => {
    it('moves the conversation and history, closes the source with a link, recomputes the target', async () => {
      const target = await create({ subject: 'الطلب متأخر', body: 'وين طلبي؟', customer: { phone: '0501112222' }, tags: ['تأخير'] });
      const source = await create({ subject: 'تأخير الشحنة', body: 'ما وصلني الطلب SA-9001', orderRef: 'SA-9001', customer: { phone: '0501112222' }, tags: ['شكوى'] });
      await reply(source.id, 'نعتذر، نتابع مع شركة الشحن');

      const merged = (await t.gqlOk(store.key, MERGE_TICKETS, { s: source.id, t: target.id })).mergeTickets;
      expect(merged.id).toBe(target.id);

      const after = await read(target.id);
      expect(after.messages.map((m: any) => m.body)).toEqual(['وين طلبي؟', 'ما وصلني الطلب SA-9001', 'نعتذر، نتابع مع شركة الشحن', expect.stringContaining(`دُمجت التذكرة #${source.number}`)]);
      expect(after).toMatchObject({ messageCount: 4, publicAgentReplyCount: 1, orderRef: 'SA-9001' });
      expect(after.firstResponseAt).not.toBeNull();
      expect(after.tags.sort()).toEqual(['تأخير', 'شكوى'].sort());
      const types = after.events.map((e: any) => e.type);
      expect(types).toContain('MERGED');
      expect(types.filter((x: string) => x === 'CREATED')).toHaveLength(2); // the source's history came along

      const closed = await read(source.id);
      expect(closed).toMatchObject({ status: 'CLOSED', mergedInto: { id: target.id }, messages: [], messageCount: 0 });
      expect(closed.events.map((e: any) => e.type)).toEqual(expect.arrayContaining(['MERGED_INTO', 'STATUS_CHANGED']));

      // Search follows the move: the source's words now find the target.
      const found = (await t.gqlOk(store.key, SEARCH, { q: 'SA-9001' })).searchTickets.edges.map((e: any) => e.node.ticket.id);
      expect(found).toEqual([target.id]);
    });

    it("refuses itself, closed tickets and other stores' tickets with clear codes", async () => {
      const a = await create({ subject: 'أ', body: 'أ', customer: { email: 'a@example.sa' } });
      const b = await create({ subject: 'ب', body: 'ب', customer: { email: 'a@example.sa' } });
      const same = await t.gql(store.key, MERGE_TICKETS, { s: a.id, t: a.id });
      expect(same.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      await t.gqlOk(store.key, UPDATE_TICKET, { id: b.id, input: { status: 'SOLVED' } });
      await t.gqlOk(store.key, UPDATE_TICKET, { id: b.id, input: { status: 'CLOSED' } });
      const intoClosed = await t.gql(store.key, MERGE_TICKETS, { s: a.id, t: b.id });
      expect(intoClosed.errors?.[0].extensions?.code).toBe('CONFLICT');
      expect(intoClosed.errors?.[0].message).toContain('closed');
      const foreign = await create({ subject: 'x', body: 'x', customer: { email: 'x@example.sa' } }, other.key);
      for (const [s, target] of [
        [a.id, foreign.id],
        [foreign.id, a.id],
      ]) {
        const cross = await t.gql(store.key, MERGE_TICKETS, { s, t: target });
        expect(cross.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      }
      expect((await read(a.id)).status).not.toBe('CLOSED');
    });
  });

  describe('mergeCustomers', () => {
    it('moves identities and tickets, keeps the source as a pointer, audits each ticket', async () => {
      const byEmail = await create({ subject: 'استفسار', body: 'عندي سؤال', customer: { email: 'huda@example.sa', name: 'هدى' } });
      const byPhone = await create({ subject: 'طلب', body: 'وين طلبي', customer: { phone: '0557778888' } });
      const source = byPhone.customer?.id ?? (await read(byPhone.id)).customer.id;
      const target = (await read(byEmail.id)).customer.id;

      const merged = (await t.gqlOk(store.key, MERGE_CUSTOMERS, { s: source, t: target })).mergeCustomers;
      expect(merged).toMatchObject({ id: target, name: 'هدى', mergedIntoId: null });
      const moved = await read(byPhone.id);
      expect(moved.customer.id).toBe(target);
      expect(moved.events.find((e: any) => e.type === 'CUSTOMER_CHANGED').data).toMatchObject({ from: source, to: target });

      // The phone now leads to the target customer; so does the old id.
      const next = await create({ subject: 'مرة ثانية', body: 'تأخر الطلب', customer: { phone: '+966 55 777 8888' } });
      expect((await read(next.id)).customer.id).toBe(target);
      const viaOldId = await create({ subject: 'ثالثة', body: 'سؤال', customer: { id: source } });
      expect((await read(viaOldId.id)).customer.id).toBe(target);
      const old = await t.gqlOk(store.key, `query($id: ID!) { customer(id: $id) { mergedIntoId } }`, { id: source });
      expect(old.customer.mergedIntoId).toBe(target);
      // Found by the merged identities.
      const found = (await t.gqlOk(store.key, SEARCH, { q: 'huda@example.sa' })).searchTickets.edges.map((e: any) => e.node.ticket.id);
      expect(found).toEqual(expect.arrayContaining([byEmail.id, byPhone.id]));

      const again = await t.gql(store.key, MERGE_CUSTOMERS, { s: source, t: target });
      expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
      const intoMerged = await t.gql(store.key, MERGE_CUSTOMERS, { s: target, t: source });
      expect(intoMerged.errors?.[0].extensions?.code).toBe('CONFLICT');
    });

    it("refuses another store's customer", async () => {
      const mine = await create({ subject: 'x', body: 'x', customer: { email: 'mine@example.sa' } });
      const theirs = await create({ subject: 'x', body: 'x', customer: { email: 'theirs@example.sa' } }, other.key);
      const theirCustomer = (await t.gqlOk(other.key, TICKET, { id: theirs.id })).ticket.customer.id;
      const cross = await t.gql(store.key, MERGE_CUSTOMERS, { s: theirCustomer, t: (await read(mine.id)).customer.id });
      expect(cross.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('compensations', () => {
    it('records compensations with SAR by default, refuses bad amounts, and sums them by category and period', async () => {
      const shipping = await create({ subject: 'تأخر الشحن', body: 'الطلب تأخر أسبوعين', category: 'SHIPPING', customer: { email: 'c1@example.sa' } });
      const payment = await create({ subject: 'خصم مرتين', body: 'انخصم المبلغ مرتين', category: 'PAYMENT', customer: { email: 'c2@example.sa' } });
      const coupon = (await t.gqlOk(store.key, COMPENSATE, { input: { ticketId: shipping.id, kind: 'COUPON', amount: 50, note: 'كوبون اعتذار' } })).recordCompensation;
      expect(coupon).toMatchObject({ kind: 'COUPON', amount: 50, currency: 'SAR', followUpStatus: 'NONE' });
      await t.gqlOk(store.key, COMPENSATE, { input: { ticketId: shipping.id, kind: 'FREE_SHIPPING', amount: 25.5 } });
      await t.gqlOk(store.key, COMPENSATE, { input: { ticketId: payment.id, kind: 'REFUND', amount: 199.99 } });
      await t.gqlOk(store.key, COMPENSATE, { input: { ticketId: payment.id, kind: 'GIFT' } });

      for (const input of [{ amount: -5 }, { amount: 1.234 }, { currency: 'riyal' }, { followUpDays: 0 }]) {
        const bad = await t.gql(store.key, COMPENSATE, { input: { ticketId: payment.id, kind: 'OTHER', ...input } });
        expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      }
      const foreign = await t.gql(other.key, COMPENSATE, { input: { ticketId: payment.id, kind: 'OTHER' } });
      expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');

      const history = await read(shipping.id);
      expect(history.compensations.map((c: any) => c.kind)).toEqual(['COUPON', 'FREE_SHIPPING']);
      expect(history.events.filter((e: any) => e.type === 'COMPENSATION_RECORDED')).toHaveLength(2);

      const period = { from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() };
      const byCategory = await t.gqlOk(store.key, `query($f: CompensationTotalsFilter!) { compensationTotals(filter: $f) { key currency count amount } }`, { f: period });
      expect(byCategory.compensationTotals).toEqual([
        { key: 'PAYMENT', currency: 'SAR', count: 2, amount: 199.99 },
        { key: 'SHIPPING', currency: 'SAR', count: 2, amount: 75.5 },
      ]);
      const byMonth = await t.gqlOk(store.key, `query($f: CompensationTotalsFilter!) { compensationTotals(filter: $f, groupBy: MONTH) { key count amount } }`, { f: period });
      expect(byMonth.compensationTotals.reduce((sum: number, r: any) => sum + r.count, 0)).toBe(4);
      expect(byMonth.compensationTotals[0].key).toMatch(/^\d{4}-\d{2}$/);
    });

    it('a follow-up check N days after solving reopens the ticket with a note, once, surviving as a durable job', async () => {
      const ticket = await create({ subject: 'منتج تالف', body: 'وصلني المنتج مكسور', customer: { email: 'angry@example.sa' } });
      const recorded = (await t.gqlOk(store.key, COMPENSATE, { input: { ticketId: ticket.id, kind: 'REFUND', amount: 120, followUpDays: 3 } })).recordCompensation;
      expect(recorded.followUpStatus).toBe('AWAITING_SOLVE');
      await t.gqlOk(store.key, UPDATE_TICKET, { id: ticket.id, input: { status: 'SOLVED' } });
      const scheduled = (await read(ticket.id)).compensations[0];
      expect(scheduled.followUpStatus).toBe('SCHEDULED');
      const dueIn = new Date(scheduled.followUpAt).getTime() - Date.now();
      expect(dueIn).toBeGreaterThan(3 * 86_400_000 - 60_000);
      expect(dueIn).toBeLessThan(3 * 86_400_000 + 60_000);

      // Three days pass: the queued job becomes due.
      const db = new Client({ connectionString: t.databaseUrl });
      await db.connect();
      try {
        const moved = await db.query(`UPDATE pgboss.job SET start_after = now() WHERE name = 'complaint-follow-up' AND data->>'compensationId' = $1`, [recorded.id]);
        expect(moved.rowCount).toBe(1);
      } finally {
        await db.end();
      }
      await eventuallyPasses(async () => {
        const after = await read(ticket.id);
        expect(after.status).toBe('OPEN');
        expect(after.compensations[0].followUpStatus).toBe('DONE');
        expect(after.messages.filter((m: any) => m.internal && m.body.startsWith('متابعة الشكوى'))).toHaveLength(1);
        expect(after.events.map((e: any) => e.type)).toContain('COMPLAINT_FOLLOW_UP');
      }, 15_000);
    });
  });
});
