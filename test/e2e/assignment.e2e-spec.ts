import { DataSource } from 'typeorm';
import { AssignmentService } from '../../src/routing/assignment.service';
import { TestApp, TestTenant, UPDATE_TICKET } from './helpers/test-app';

describe('assignment', () => {
  let t: TestApp;
  let store: TestTenant;

  beforeAll(async () => {
    t = await TestApp.start({ DATABASE_POOL_SIZE: '30' });
    store = await t.createTenant();
  });
  afterAll(() => t.close());

  async function team(name: string, strategy: string, agents: Array<{ capacity: number; availability?: string; skills?: string[] }>, categories = ['SHIPPING']) {
    const ids: string[] = [];
    for (const [i, a] of agents.entries()) {
      const agent = (
        await t.gqlOk(store.key, `mutation($input: CreateAgentInput!) { createAgent(input: $input) { id } }`, {
          input: { name: `${name} ${i}`, email: `${name}-${i}@store.sa`, capacity: a.capacity, skills: a.skills ?? [] },
        })
      ).createAgent;
      await t.gqlOk(store.key, `mutation($id: ID!, $a: Availability!) { updateAgent(id: $id, input: { availability: $a }) { id } }`, { id: agent.id, a: a.availability ?? 'ONLINE' });
      ids.push(agent.id);
    }
    const created = (
      await t.gqlOk(store.key, `mutation($input: CreateTeamInput!) { createTeam(input: $input) { id } }`, {
        input: { name, categories, assignmentStrategy: strategy, memberIds: ids },
      })
    ).createTeam;
    return { teamId: created.id, agentIds: ids };
  }
  const create = (body: string, email = `c${Math.random()}@x.sa`) =>
    t
      .gqlOk(store.key, `mutation($input: CreateTicketInput!) { createTicket(input: $input) { id assignee { id } team { id } } }`, { input: { subject: 'شحن', body, customer: { email } } })
      .then((d) => d.createTicket);

  it('200 tickets created at once over 5 agents: round robin spreads evenly and never exceeds capacity', async () => {
    const { teamId, agentIds } = await team(
      'rr',
      'ROUND_ROBIN',
      Array.from({ length: 5 }, () => ({ capacity: 100 })),
    );
    const tickets = await Promise.all(Array.from({ length: 200 }, (_, i) => create(`متى يوصل الشحن رقم ${i}`)));
    expect(tickets.every((x) => x.team.id === teamId && x.assignee)).toBe(true);
    const counts = agentIds.map((id) => tickets.filter((x) => x.assignee.id === id).length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(200);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    // Make the category owned by nobody again, for the next tests.
    await t.gqlOk(store.key, `mutation($id: ID!) { updateTeam(id: $id, input: { categories: [] }) { id } }`, { id: teamId });
  });

  it('least loaded respects capacity under concurrency; the rest wait in the queue, most urgent first', async () => {
    const { teamId, agentIds } = await team('ll', 'LEAST_LOADED', [{ capacity: 3 }, { capacity: 2 }, { capacity: 4, availability: 'AWAY' }]);
    const tickets = await Promise.all(Array.from({ length: 12 }, (_, i) => create(`تأخر طلبي ${i}`)));
    const assigned = tickets.filter((x) => x.assignee);
    expect(assigned).toHaveLength(5);
    expect(assigned.filter((x) => x.assignee.id === agentIds[0])).toHaveLength(3);
    expect(assigned.filter((x) => x.assignee.id === agentIds[1])).toHaveLength(2);
    const queue = (await t.gqlOk(store.key, `query($t: ID!) { teamQueue(teamId: $t) { id assignee { id } } }`, { t: teamId })).teamQueue;
    expect(queue).toHaveLength(7);

    // Capacity frees up: solving a ticket hands the most urgent waiting one to that agent.
    const solved = assigned.find((x) => x.assignee.id === agentIds[1])!;
    await t.gqlOk(store.key, UPDATE_TICKET, { id: solved.id, input: { status: 'SOLVED' } });
    expect((await t.gqlOk(store.key, `query($t: ID!) { teamQueue(teamId: $t) { id } }`, { t: teamId })).teamQueue).toHaveLength(6);

    // An agent comes online: the periodic drain gives them work up to their capacity.
    await t.gqlOk(store.key, `mutation($id: ID!) { updateAgent(id: $id, input: { availability: ONLINE }) { id } }`, { id: agentIds[2] });
    expect(await t.app.get(AssignmentService).drainAll()).toBe(4);
    expect((await t.gqlOk(store.key, `query($t: ID!) { teamQueue(teamId: $t) { id } }`, { t: teamId })).teamQueue).toHaveLength(2);
    const [{ over }] = await t.app
      .get(DataSource)
      .query(
        `SELECT count(*)::int AS over FROM agents a WHERE a.tenant_id = $1 AND a.capacity < (SELECT count(*) FROM tickets x WHERE x.tenant_id = a.tenant_id AND x.assignee_id = a.id AND x.status IN ('NEW','OPEN','PENDING','ON_HOLD'))`,
        [store.id],
      );
    expect(over).toBe(0);
    await t.gqlOk(store.key, `mutation($id: ID!) { updateTeam(id: $id, input: { categories: [] }) { id } }`, { id: teamId });
  });

  it('round robin stays fair when two app instances create tickets at once', async () => {
    const { teamId, agentIds } = await team(
      'rr2',
      'ROUND_ROBIN',
      Array.from({ length: 3 }, () => ({ capacity: 100 })),
      ['PRE_SALES'],
    );
    const second = await TestApp.start({}, undefined, t.databaseUrl);
    try {
      const createOn = (app: TestApp, i: number) =>
        app.gqlOk(store.key, `mutation($input: CreateTicketInput!) { createTicket(input: $input) { assignee { id } } }`, {
          input: { subject: 'سؤال', body: `هل المقاس متوفر ${i}`, customer: { email: `rr2-${i}@x.sa` } },
        });
      const results = await Promise.all(Array.from({ length: 60 }, (_, i) => createOn(i % 2 ? t : second, i)));
      const counts = agentIds.map((id) => results.filter((r) => r.createTicket.assignee?.id === id).length);
      expect(counts).toEqual([20, 20, 20]);
    } finally {
      await second.close();
      await t.gqlOk(store.key, `mutation($id: ID!) { updateTeam(id: $id, input: { categories: [] }) { id } }`, { id: teamId });
    }
  });

  it('a team can take back the tickets of an agent who went offline and hand them to colleagues', async () => {
    const { teamId, agentIds } = await team('offline', 'ROUND_ROBIN', [{ capacity: 10 }, { capacity: 10 }], ['PRODUCT']);
    await t.gqlOk(store.key, `mutation($id: ID!) { updateTeam(id: $id, input: { reassignOnOffline: true }) { reassignOnOffline } }`, { id: teamId });
    const created = [];
    for (let i = 0; i < 4; i++) {
      created.push(
        (
          await t.gqlOk(store.key, `mutation($i: CreateTicketInput!) { createTicket(input: $i) { id assignee { id } } }`, {
            i: { subject: 'منتج', body: 'سؤال', category: 'PRODUCT', customer: { email: `off-${i}@x.sa` } },
          })
        ).createTicket,
      );
    }
    expect(created.filter((c) => c.assignee.id === agentIds[0])).toHaveLength(2);
    await t.gqlOk(store.key, `mutation($id: ID!) { updateAgent(id: $id, input: { availability: OFFLINE }) { id } }`, { id: agentIds[0] });
    await t.app.get(AssignmentService).drainAll();
    const after = await Promise.all(created.map((c) => t.gqlOk(store.key, `query($id: ID!) { ticket(id: $id) { assignee { id } events { type data } } }`, { id: c.id })));
    expect(after.every((a) => a.ticket.assignee.id === agentIds[1])).toBe(true);
    const released = after.flatMap((a) => a.ticket.events).filter((e: { data: { reason?: string } }) => e.data.reason === 'AGENT_OFFLINE');
    expect(released).toHaveLength(2);
  });

  it('keeps a ticket a person transferred to an offline agent, and still takes back what auto-assignment gave one', async () => {
    const { teamId, agentIds } = await team('sticky', 'ROUND_ROBIN', [{ capacity: 10 }, { capacity: 10, availability: 'OFFLINE' }], ['TECHNICAL']);
    await t.gqlOk(store.key, `mutation($id: ID!) { updateTeam(id: $id, input: { reassignOnOffline: true }) { reassignOnOffline } }`, { id: teamId });
    const ticket = (
      await t.gqlOk(store.key, `mutation($i: CreateTicketInput!) { createTicket(input: $i) { id assignee { id } } }`, {
        i: { subject: 'تقني', body: 'التطبيق لا يفتح', category: 'TECHNICAL', customer: { email: 'sticky@x.sa' } },
      })
    ).createTicket;
    expect(ticket.assignee.id).toBe(agentIds[0]);
    // The supervisor knows the offline agent handled this customer before and sends the ticket to them.
    await t.gqlOk(store.key, `mutation($id: ID!, $agent: ID!) { transferTicket(id: $id, input: { assigneeId: $agent, note: "هو من تابع العميل سابقاً" }) { id } }`, {
      id: ticket.id,
      agent: agentIds[1],
    });
    const sweep = t.app.get(AssignmentService);
    await sweep.drainAll();
    await sweep.drainAll();
    const after = (await t.gqlOk(store.key, `query($id: ID!) { ticket(id: $id) { assignee { id } events { type data } } }`, { id: ticket.id })).ticket;
    expect(after.assignee.id).toBe(agentIds[1]);
    expect(after.events.filter((e: { data: { reason?: string } }) => e.data.reason === 'AGENT_OFFLINE')).toHaveLength(0);

    // What auto-assignment gave an agent who then goes offline is still taken back.
    const auto = (
      await t.gqlOk(store.key, `mutation($i: CreateTicketInput!) { createTicket(input: $i) { id assignee { id } } }`, {
        i: { subject: 'تقني', body: 'الدفع لا يعمل في التطبيق', category: 'TECHNICAL', customer: { email: 'sticky2@x.sa' } },
      })
    ).createTicket;
    expect(auto.assignee.id).toBe(agentIds[0]);
    await t.gqlOk(store.key, `mutation($id: ID!) { updateAgent(id: $id, input: { availability: ONLINE }) { id } }`, { id: agentIds[1] });
    await t.gqlOk(store.key, `mutation($id: ID!) { updateAgent(id: $id, input: { availability: OFFLINE }) { id } }`, { id: agentIds[0] });
    await sweep.drainAll();
    expect((await t.gqlOk(store.key, `query($id: ID!) { ticket(id: $id) { assignee { id } } }`, { id: auto.id })).ticket.assignee.id).toBe(agentIds[1]);
    await t.gqlOk(store.key, `mutation($id: ID!) { updateTeam(id: $id, input: { categories: [] }) { id } }`, { id: teamId });
  });

  it('transfers a ticket to another team and agent with an internal note, audited', async () => {
    const from = await team('from', 'MANUAL', [{ capacity: 5 }], ['ACCOUNT']);
    const to = await team('to', 'MANUAL', [{ capacity: 5 }], []);
    const ticket = (await t.gqlOk(store.key, `mutation { createTicket(input: { subject: "حسابي", body: "لا أستطيع الدخول", category: ACCOUNT, customer: { email: "tr@x.sa" } }) { id team { id } } }`))
      .createTicket;
    expect(ticket.team.id).toBe(from.teamId);
    const moved = await t.gqlOk(
      store.key,
      `mutation($id: ID!, $team: ID!, $agent: ID!) { transferTicket(id: $id, input: { teamId: $team, assigneeId: $agent, note: "العميلة تحتاج فريق الحسابات" }) {
      team { id } assignee { id } messages { body internal } events { type data } } }`,
      { id: ticket.id, team: to.teamId, agent: to.agentIds[0] },
    );
    expect(moved.transferTicket).toMatchObject({ team: { id: to.teamId }, assignee: { id: to.agentIds[0] } });
    expect(moved.transferTicket.messages.at(-1)).toEqual({ body: 'العميلة تحتاج فريق الحسابات', internal: true });
    expect(moved.transferTicket.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['TEAM_CHANGED', 'ASSIGNEE_CHANGED', 'MESSAGE_ADDED']));
    const empty = await t.gql(store.key, `mutation($id: ID!) { transferTicket(id: $id, input: { note: "x" }) { id } }`, { id: ticket.id });
    expect(empty.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('removing an assignee frees that capacity for the queue at once', async () => {
    const { teamId } = await team('unassign', 'LEAST_LOADED', [{ capacity: 1 }], ['PAYMENT']);
    const make = (i: number) =>
      t
        .gqlOk(store.key, `mutation($i: CreateTicketInput!) { createTicket(input: $i) { id assignee { id } } }`, {
          i: { subject: 'حساب', body: 'دخول', category: 'PAYMENT', customer: { email: `un-${i}@x.sa` } },
        })
        .then((d) => d.createTicket);
    const first = await make(1);
    const second = await make(2);
    expect([Boolean(first.assignee), Boolean(second.assignee)]).toEqual([true, false]);
    const queue = () => t.gqlOk(store.key, `query($t: ID!) { teamQueue(teamId: $t) { id } }`, { t: teamId }).then((d) => d.teamQueue);
    // A customer message on the waiting ticket changes nothing in the queue.
    await t.gqlOk(store.key, `mutation($id: ID!) { addMessage(input: { ticketId: $id, body: "؟", authorType: CUSTOMER, internal: false }) { message { id } } }`, { id: second.id });
    expect(await queue()).toHaveLength(1);
    // Unassigning the first ticket frees the agent: one of the two waiting tickets gets them.
    await t.gqlOk(store.key, UPDATE_TICKET, { id: first.id, input: { assigneeId: null } });
    expect(await queue()).toHaveLength(1);
    await t.gqlOk(store.key, `mutation($id: ID!) { updateTeam(id: $id, input: { categories: [] }) { id } }`, { id: teamId });
  });

  it('only agents with the skill; manual teams leave tickets unassigned', async () => {
    await team('skill', 'LEAST_LOADED', [{ capacity: 5, skills: ['PAYMENT'] }]);
    const waiting = await create('وين شحنتي');
    expect(waiting.assignee).toBeNull();
    const manual = await team('manual', 'MANUAL', [{ capacity: 5 }], ['TECHNICAL']);
    const technical = await t.gqlOk(store.key, `mutation { createTicket(input: { subject: "التطبيق", body: "التطبيق لا يعمل", customer: { email: "m@x.sa" } }) { assignee { id } team { id } } }`);
    expect(technical.createTicket).toEqual({ assignee: null, team: { id: manual.teamId } });
  });
});
