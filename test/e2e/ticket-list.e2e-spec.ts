import { arabicTicket, CREATE_TICKET, TestApp, TestTenant, UPDATE_TICKET } from './helpers/test-app';

const LIST = `query($filter: TicketsFilterInput, $sort: TicketSortInput, $first: Int, $after: String, $last: Int, $before: String) {
  tickets(filter: $filter, sort: $sort, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id number priority status category channel tags createdAt updatedAt } }
  }
}`;

describe('tickets(filter, sort, first, after)', () => {
  let t: TestApp;
  let store: TestTenant;
  const created: Array<{ id: string; number: number; customer: { id: string } }> = [];
  let agentId: string;
  let teamId: string;

  beforeAll(async () => {
    t = await TestApp.start();
    store = await t.createTenant();
    agentId = (await t.gqlOk(store.key, `mutation { createAgent(input: { name: "منى", email: "mona@store.sa" }) { id } }`)).createAgent.id;
    teamId = (await t.gqlOk(store.key, `mutation { createTeam(input: { name: "الدفع" }) { id } }`)).createTeam.id;
    const priorities = ['LOW', 'NORMAL', 'HIGH', 'URGENT'];
    const categories = ['PAYMENT', 'SHIPPING', 'TECHNICAL'];
    const channels = ['WHATSAPP', 'EMAIL', 'CHAT'];
    // Sequential on purpose: creation order is part of what is asserted.
    for (let i = 0; i < 25; i++) {
      const input = arabicTicket(i, {
        priority: priorities[i % 4],
        category: categories[i % 3],
        channel: channels[i % 3],
        tags: i % 5 === 0 ? ['vip', 'شكوى'] : ['شكوى'],
      });
      created.push((await t.gqlOk(store.key, CREATE_TICKET, { input })).createTicket);
    }
    await t.gqlOk(store.key, UPDATE_TICKET, { id: created[3].id, input: { status: 'PENDING', assigneeId: agentId, teamId } });
    await t.gqlOk(store.key, UPDATE_TICKET, { id: created[7].id, input: { status: 'SOLVED', assigneeId: agentId } });
  });
  afterAll(() => t.close());

  const list = async (variables: Record<string, unknown>) => (await t.gqlOk(store.key, LIST, variables)).tickets;

  async function walk(variables: Record<string, unknown>, pageSize: number) {
    const seen: any[] = [];
    let after: string | undefined;
    for (let page = 0; page < 50; page++) {
      const res = await list({ ...variables, first: pageSize, after });
      seen.push(...res.edges.map((e: any) => e.node));
      expect(res.pageInfo.hasPreviousPage).toBe(Boolean(after));
      if (!res.pageInfo.hasNextPage) return seen;
      after = res.pageInfo.endCursor;
    }
    throw new Error('pagination did not end');
  }

  it('defaults to newest first, 20 per page, with totalCount', async () => {
    const res = await list({});
    expect(res.totalCount).toBe(25);
    expect(res.edges).toHaveLength(20);
    expect(res.edges[0].node.number).toBe(1025);
    expect(res.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it('walks every page without repeats or gaps, in each sort order and direction', async () => {
    for (const field of ['CREATED_AT', 'UPDATED_AT', 'PRIORITY']) {
      for (const direction of ['ASC', 'DESC']) {
        const nodes = await walk({ sort: { field, direction } }, 7);
        expect(nodes).toHaveLength(25);
        expect(new Set(nodes.map((n) => n.id)).size).toBe(25);
        if (field === 'PRIORITY') {
          const ranks = nodes.map((n) => ['LOW', 'NORMAL', 'HIGH', 'URGENT'].indexOf(n.priority));
          const sorted = [...ranks].sort((a, b) => (direction === 'ASC' ? a - b : b - a));
          expect(ranks).toEqual(sorted);
        }
      }
    }
    const ascending = await walk({ sort: { field: 'CREATED_AT', direction: 'ASC' } }, 10);
    expect(ascending.map((n) => n.number)).toEqual(Array.from({ length: 25 }, (_, i) => 1001 + i));
  });

  it('pages backward with last/before through the same list, each page in list order, with pageInfo both ways', async () => {
    for (const field of ['CREATED_AT', 'UPDATED_AT', 'PRIORITY']) {
      for (const direction of ['ASC', 'DESC']) {
        const sort = { field, direction };
        const forward = await walk({ sort }, 7);
        const pages: any[][] = [];
        let before: string | undefined;
        for (let page = 0; page < 50; page++) {
          const res = await list({ sort, last: 7, before });
          pages.unshift(res.edges.map((e: any) => e.node));
          expect(res.pageInfo.hasNextPage).toBe(Boolean(before));
          expect(res.pageInfo.startCursor).toBe(res.edges[0].cursor);
          expect(res.pageInfo.endCursor).toBe(res.edges.at(-1).cursor);
          if (!res.pageInfo.hasPreviousPage) break;
          before = res.pageInfo.startCursor;
        }
        expect(pages.flat().map((n) => n.id)).toEqual(forward.map((n) => n.id));
        expect(pages[0]).toHaveLength(25 % 7);
      }
    }
    // A cursor from a forward page turns back: the five before the end of page two.
    const first = await list({ first: 5 });
    const second = await list({ first: 5, after: first.pageInfo.endCursor });
    const back = await list({ last: 5, before: second.pageInfo.endCursor });
    expect(back.edges.map((e: any) => e.node.number)).toEqual([...first.edges, ...second.edges.slice(0, 4)].slice(-5).map((e: any) => e.node.number));
    expect(back.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    // The last page of the whole list, and the arguments that do not go together.
    const tail = await list({ last: 3 });
    expect(tail.edges.map((e: any) => e.node.number)).toEqual([1003, 1002, 1001]);
    expect(tail.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    for (const variables of [{ first: 5, last: 5 }, { first: 5, before: back.pageInfo.startCursor }, { last: 0 }, { last: 101 }]) {
      const res = await t.gql(store.key, LIST, variables);
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('a ticket created while paging does not shift later pages', async () => {
    const page1 = await list({ first: 10 });
    await t.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(99) });
    const page2 = await list({ first: 10, after: page1.pageInfo.endCursor });
    const numbers = [...page1.edges, ...page2.edges].map((e: any) => e.node.number);
    expect(new Set(numbers).size).toBe(20);
    expect(page2.edges[0].node.number).toBe(page1.edges[9].node.number - 1);
  });

  it('filters by status, priority, category, channel, tag, assignee, team, unassigned, customer and created range', async () => {
    expect((await list({ filter: { status: ['PENDING'] } })).edges.map((e: any) => e.node.id)).toEqual([created[3].id]);
    expect((await list({ filter: { status: ['PENDING', 'SOLVED'] } })).totalCount).toBe(2);
    expect((await list({ filter: { priority: ['URGENT'] } })).edges.every((e: any) => e.node.priority === 'URGENT')).toBe(true);
    expect((await list({ filter: { category: ['PAYMENT'], channel: ['WHATSAPP'] } })).totalCount).toBe(9);
    expect((await list({ filter: { tags: ['VIP'] } })).totalCount).toBe(5);
    expect((await list({ filter: { tags: ['vip', 'شكوى'] } })).totalCount).toBe(5);
    expect((await list({ filter: { assigneeId: agentId } })).totalCount).toBe(2);
    expect((await list({ filter: { teamId } })).totalCount).toBe(1);
    expect((await list({ filter: { customerId: created[4].customer.id } })).edges.map((e: any) => e.node.id)).toEqual([created[4].id]);
    const total = (await list({})).totalCount;
    expect((await list({ filter: { unassigned: true } })).totalCount).toBe(total - 2);

    const all = await walk({ sort: { field: 'CREATED_AT', direction: 'ASC' } }, 50);
    const from = all[5].createdAt;
    const to = all[10].createdAt;
    const ranged = await walk({ filter: { createdFrom: from, createdTo: to }, sort: { field: 'CREATED_AT', direction: 'ASC' } }, 50);
    expect(ranged.every((n) => n.createdAt >= from && n.createdAt < to)).toBe(true);
    expect(ranged.length).toBeGreaterThanOrEqual(1);
  });

  it('explains: the default list uses the tenant index, not a sequential scan', async () => {
    const { DataSource } = await import('typeorm');
    const ds = t.app.get(DataSource);
    await ds.query('ANALYZE tickets');
    // On a few dozen rows any plan is cheap; forbid scans and sorts to see whether an index serves this order.
    const plan: Array<{ 'QUERY PLAN': string }> = await ds.transaction(async (m) => {
      await m.query('SET LOCAL enable_seqscan = off');
      await m.query('SET LOCAL enable_sort = off');
      await m.query('SET LOCAL enable_bitmapscan = off');
      return m.query(`EXPLAIN SELECT * FROM tickets t WHERE t.tenant_id = $1 ORDER BY t.created_at DESC, t.id DESC LIMIT 21`, [store.id]);
    });
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Index Scan Backward using tickets_tenant_created_idx/);
  });
});
