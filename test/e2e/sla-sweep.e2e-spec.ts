import { DataSource } from 'typeorm';
import { SlaSweepService } from '../../src/sla/sla-sweep.service';
import { arabicTicket, CREATE_TICKET, openAllWeek, TestApp, TestTenant, UPDATE_TICKET } from './helpers/test-app';

const minutesAfter = (iso: string, minutes: number) => new Date(new Date(iso).getTime() + minutes * 60_000);

describe('SLA sweep: warnings, breaches and escalations, exactly once', () => {
  let t: TestApp;
  let store: TestTenant;

  beforeAll(async () => {
    t = await TestApp.start();
    store = await t.createTenant();
    await openAllWeek(t, store.key);
    const chat = (await t.gqlOk(store.key, `{ slaPolicies { id conditions { channels } } }`)).slaPolicies.find((p: { conditions: { channels: string[] | null } }) =>
      p.conditions.channels?.includes('CHAT'),
    );
    await t.gqlOk(store.key, `mutation($id: ID!) { updateSlaPolicy(id: $id, input: { escalation: { raisePriority: true, reassignToLead: true, addTag: "تصعيد" } }) { id } }`, { id: chat.id });
  });
  afterAll(() => t.close());

  const sweepAt = (at: Date, app = t) => app.app.get(SlaSweepService).sweepOnce(at);
  const eventsOf = async (id: string) =>
    (await t.gqlOk(store.key, `query($id: ID!) { ticket(id: $id) { priority tags assignee { id } events { type actorType data } sla { health } } }`, { id })).ticket;

  it('warns at 80%, breaches at 100%, each once, and escalates on breach', async () => {
    const lead = (await t.gqlOk(store.key, `mutation { createAgent(input: { name: "قائد", email: "lead@store.sa" }) { id } }`)).createAgent.id;
    const team = (await t.gqlOk(store.key, `mutation($l: ID!) { createTeam(input: { name: "المحادثات", leadId: $l }) { id } }`, { l: lead })).createTeam.id;
    const ticket = (await t.gqlOk(store.key, CREATE_TICKET, { input: { ...arabicTicket(1), channel: 'CHAT' } })).createTicket;
    await t.gqlOk(store.key, UPDATE_TICKET, { id: ticket.id, input: { teamId: team } });

    expect(await sweepAt(minutesAfter(ticket.createdAt, 3))).toMatchObject({ warned: 0, breached: 0 });
    expect(await sweepAt(minutesAfter(ticket.createdAt, 4.5))).toMatchObject({ warned: 1, breached: 0 });
    expect(await sweepAt(minutesAfter(ticket.createdAt, 4.6))).toMatchObject({ warned: 0, breached: 0 });
    let view = await eventsOf(ticket.id);
    expect(view.sla.health).toBe('AT_RISK');
    const atRisk = await t.gqlOk(store.key, `{ tickets(filter: { slaStatus: [AT_RISK, BREACHED] }) { edges { node { id } } } }`);
    expect(atRisk.tickets.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(ticket.id);

    expect(await sweepAt(minutesAfter(ticket.createdAt, 6))).toMatchObject({ breached: 1 });
    expect(await sweepAt(minutesAfter(ticket.createdAt, 7))).toMatchObject({ warned: 0, breached: 0 });
    view = await eventsOf(ticket.id);
    const types = view.events.map((e: { type: string }) => e.type);
    expect(types.filter((x: string) => x === 'SLA_WARNING')).toHaveLength(1);
    expect(types.filter((x: string) => x === 'SLA_BREACHED')).toHaveLength(1);
    expect(view.events.find((e: { type: string }) => e.type === 'SLA_BREACHED')).toMatchObject({ actorType: 'SYSTEM', data: { target: 'FIRST_RESPONSE' } });
    expect(view).toMatchObject({ priority: 'HIGH', assignee: { id: lead }, sla: { health: 'BREACHED' } });
    expect(view.tags).toContain('تصعيد');
    expect(view.events.find((e: { type: string; data: { reason?: string } }) => e.type === 'PRIORITY_CHANGED')?.data.reason).toBe('SLA_BREACHED');
  });

  it('two app instances sweeping together record every breach exactly once', async () => {
    const second = await TestApp.start({}, undefined, t.databaseUrl);
    try {
      const tickets = [];
      for (let i = 0; i < 60; i++) tickets.push((await t.gqlOk(store.key, CREATE_TICKET, { input: { ...arabicTicket(100 + i), channel: 'CHAT' } })).createTicket);
      const later = minutesAfter(tickets.at(-1).createdAt, 10);
      const [a, b] = await Promise.all([sweepAt(later, t), sweepAt(later, second)]);
      // Each ticket warns and breaches its first reply once, whichever instance got it.
      expect(a.breached + b.breached).toBe(60);
      const [{ n, distinct }] = await t.app
        .get(DataSource)
        .query(`SELECT count(*)::int AS n, count(DISTINCT ticket_id)::int AS distinct FROM ticket_events WHERE type = 'SLA_BREACHED' AND ticket_id = ANY($1)`, [tickets.map((x) => x.id)]);
      expect({ n, distinct }).toEqual({ n: 60, distinct: 60 });
    } finally {
      await second.close();
    }
  });

  it('a paused ticket is not swept, and answered targets never breach', async () => {
    const paused = (await t.gqlOk(store.key, CREATE_TICKET, { input: { ...arabicTicket(200), channel: 'CHAT' } })).createTicket;
    await t.gqlOk(store.key, UPDATE_TICKET, { id: paused.id, input: { status: 'PENDING' } });
    const answered = (await t.gqlOk(store.key, CREATE_TICKET, { input: { ...arabicTicket(201), channel: 'CHAT' } })).createTicket;
    await t.gqlOk(store.key, `mutation($id: ID!) { addMessage(input: { ticketId: $id, body: "أهلاً", authorType: AGENT, internal: false }) { message { id } } }`, { id: answered.id });
    await sweepAt(minutesAfter(answered.createdAt, 30));
    for (const id of [paused.id, answered.id]) {
      const view = await eventsOf(id);
      expect(view.events.map((e: { type: string }) => e.type)).not.toContain('SLA_BREACHED');
    }
  });
});
