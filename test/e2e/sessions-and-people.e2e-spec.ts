import { DataSource } from 'typeorm';
import { arabicTicket, CREATE_TICKET, TestApp, TestTenant } from './helpers/test-app';

const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { accessToken expiresIn refreshToken agent { id email role } } }`;
const REFRESH = `mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }`;

describe('agents, teams and sign-in', () => {
  let t: TestApp;
  let store: TestTenant;
  const password = 'كلمة-سر-قوية-2026';

  beforeAll(async () => {
    t = await TestApp.start();
    store = await t.createTenant('متجر الورد');
  });
  afterAll(() => t.close());

  const createAgent = (input: Record<string, unknown>) =>
    t.gqlOk(store.key, `mutation($input: CreateAgentInput!) { createAgent(input: $input) { id name email role languages skills capacity availability active } }`, { input }).then((d) => d.createAgent);
  const login = (email: string, pw = password, tenant = store.slug) => t.gql(undefined, LOGIN, { input: { tenant, email, password: pw } });

  it('admins manage agents with role, languages, skills, capacity and availability', async () => {
    const agent = await createAgent({ name: 'هند الشمري', email: 'Hind@Store.sa', role: 'SUPERVISOR', languages: ['ar', 'en'], skills: ['PAYMENT', 'RETURNS'], capacity: 8 });
    expect(agent).toMatchObject({ email: 'hind@store.sa', role: 'SUPERVISOR', languages: ['ar', 'en'], skills: ['PAYMENT', 'RETURNS'], capacity: 8, availability: 'OFFLINE', active: true });
    const updated = await t.gqlOk(store.key, `mutation($id: ID!) { updateAgent(id: $id, input: { capacity: 12, availability: ONLINE, skills: [SHIPPING] }) { capacity availability skills } }`, {
      id: agent.id,
    });
    expect(updated.updateAgent).toEqual({ capacity: 12, availability: 'ONLINE', skills: ['SHIPPING'] });
    const bad = await t.gql(store.key, `mutation { createAgent(input: { name: "x", email: "x@y.sa", languages: ["arabic"], capacity: -1 }) { id } }`);
    expect(Object.keys(bad.errors?.[0].extensions.fields ?? {}).sort()).toEqual(['capacity', 'languages']);
    const duplicate = await t.gql(store.key, `mutation { createAgent(input: { name: "y", email: "HIND@store.sa" }) { id } }`);
    expect(duplicate.errors?.[0].extensions.code).toBe('CONFLICT');
  });

  it('teams have members, a lead and the categories they own', async () => {
    const a = await createAgent({ name: 'فهد', email: 'fahad@store.sa' });
    const b = await createAgent({ name: 'سلمى', email: 'salma@store.sa' });
    const team = (
      await t.gqlOk(store.key, `mutation($input: CreateTeamInput!) { createTeam(input: $input) { id name categories lead { id } members { id } } }`, {
        input: { name: 'فريق المدفوعات', categories: ['PAYMENT'], leadId: a.id, memberIds: [b.id] },
      })
    ).createTeam;
    expect(team.categories).toEqual(['PAYMENT']);
    expect(team.lead.id).toBe(a.id);
    expect(team.members.map((m: { id: string }) => m.id).sort()).toEqual([a.id, b.id].sort());

    await t.gqlOk(store.key, `mutation($t: ID!, $a: ID!) { removeTeamMember(teamId: $t, agentId: $a) { id } }`, { t: team.id, a: b.id });
    const leadLeaves = await t.gql(store.key, `mutation($t: ID!, $a: ID!) { removeTeamMember(teamId: $t, agentId: $a) { id } }`, { t: team.id, a: a.id });
    expect(leadLeaves.errors?.[0].extensions.code).toBe('CONFLICT');
    const agentTeams = await t.gqlOk(store.key, `query($id: ID!) { agent(id: $id) { teams { name } } }`, { id: a.id });
    expect(agentTeams.agent.teams).toEqual([{ name: 'فريق المدفوعات' }]);
    const updated = await t.gqlOk(store.key, `mutation($id: ID!) { updateTeam(id: $id, input: { categories: [PAYMENT, RETURNS], leadId: null }) { categories lead { id } } }`, { id: team.id });
    expect(updated.updateTeam).toEqual({ categories: ['PAYMENT', 'RETURNS'], lead: null });
  });

  it('an agent signs in, acts as themself in the audit timeline, and reads me', async () => {
    const agent = await createAgent({ name: 'ريم', email: 'reem@store.sa', password });
    const res = await login('REEM@store.sa');
    expect(res.errors).toBeUndefined();
    const session = res.data.login;
    expect(session.expiresIn).toBe(900);
    expect(session.agent.id).toBe(agent.id);

    const me = await t.gqlOk(session.accessToken, `{ me { id name } }`);
    expect(me.me).toEqual({ id: agent.id, name: 'ريم' });
    const ticket = (await t.gqlOk(session.accessToken, CREATE_TICKET, { input: arabicTicket(1) })).createTicket;
    const reply = await t.gqlOk(
      session.accessToken,
      `mutation($id: ID!) { addMessage(input: { ticketId: $id, body: "أبشري", authorType: AGENT, internal: false }) { ticket { events { type actorType actorId } } } }`,
      { id: ticket.id },
    );
    for (const event of reply.addMessage.ticket.events) expect(event).toMatchObject({ actorType: 'AGENT', actorId: agent.id });

    const availability = await t.gqlOk(session.accessToken, `mutation { setMyAvailability(availability: ONLINE) { availability } }`);
    expect(availability.setMyAvailability.availability).toBe('ONLINE');
    const admin = await t.gql(session.accessToken, `mutation { createTeam(input: { name: "x" }) { id } }`);
    expect(admin.errors?.[0].extensions.code).toBe('FORBIDDEN');
    const keyMe = await t.gql(store.key, `{ me { id } }`);
    expect(keyMe.errors?.[0].extensions.code).toBe('FORBIDDEN');
  });

  it('refresh tokens rotate; a reused one signs the login out; logout ends the session', async () => {
    await createAgent({ name: 'ماجد', email: 'majed@store.sa', password });
    const first = (await login('majed@store.sa')).data.login;
    const second = (await t.gql(undefined, REFRESH, { t: first.refreshToken })).data.refreshToken;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const reuse = await t.gql(undefined, REFRESH, { t: first.refreshToken });
    expect(reuse.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    // The theft response revoked the family, so even the newest token is dead now.
    expect((await t.gql(undefined, REFRESH, { t: second.refreshToken })).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');

    const third = (await login('majed@store.sa')).data.login;
    await t.gqlOk(third.accessToken, `mutation($t: String!) { logout(refreshToken: $t) }`, { t: third.refreshToken });
    expect((await t.gql(undefined, REFRESH, { t: third.refreshToken })).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses wrong passwords the same way as unknown accounts, and throttles after five failures a minute', async () => {
    await createAgent({ name: 'سعد', email: 'saad@store.sa', password });
    const wrong = await login('saad@store.sa', 'wrong-password-1');
    const unknown = await login('nobody@store.sa', 'wrong-password-1');
    expect(wrong.errors?.[0]).toMatchObject({ message: 'Wrong store, email or password', extensions: { code: 'UNAUTHENTICATED' } });
    expect(unknown.errors?.[0].message).toBe(wrong.errors?.[0].message);
    for (let i = 0; i < 4; i++) await login('saad@store.sa', `wrong-password-${i}`);
    const limited = await login('saad@store.sa');
    expect(limited.errors?.[0].extensions.code).toBe('RATE_LIMITED');
    // After the window, the right password works again.
    await t.app.get(DataSource).query(`UPDATE login_failures SET at = at - interval '2 minutes'`);
    expect((await login('saad@store.sa')).errors).toBeUndefined();
  });

  it('password change and admin-issued reset tokens end other sessions', async () => {
    const agent = await createAgent({ name: 'لمى', email: 'lama@store.sa', password });
    const session = (await login('lama@store.sa')).data.login;
    const wrongCurrent = await t.gql(session.accessToken, `mutation { changePassword(input: { currentPassword: "nope-nope-nope", newPassword: "new-password-123" }) }`);
    expect(wrongCurrent.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { currentPassword: expect.any(Array) } });
    await t.gqlOk(session.accessToken, `mutation($c: String!) { changePassword(input: { currentPassword: $c, newPassword: "new-password-123" }) }`, { c: password });
    expect((await t.gql(undefined, REFRESH, { t: session.refreshToken })).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await login('lama@store.sa', 'new-password-123')).errors).toBeUndefined();

    const reset = (await t.gqlOk(store.key, `mutation($id: ID!) { createPasswordReset(agentId: $id) { token expiresAt } }`, { id: agent.id })).createPasswordReset;
    await t.gqlOk(store.key, `mutation($t: String!) { resetPassword(input: { token: $t, newPassword: "reset-password-456" }) }`, { t: reset.token });
    const again = await t.gql(undefined, `mutation($t: String!) { resetPassword(input: { token: $t, newPassword: "another-pass-789" }) }`, { t: reset.token });
    expect(again.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await login('lama@store.sa', 'reset-password-456')).errors).toBeUndefined();
  });

  it('a deactivated agent cannot sign in and loses access at once', async () => {
    const agent = await createAgent({ name: 'نايف', email: 'naif@store.sa', password });
    const session = (await login('naif@store.sa')).data.login;
    await t.gqlOk(store.key, `mutation($id: ID!) { updateAgent(id: $id, input: { active: false }) { active } }`, { id: agent.id });
    expect((await t.gql(session.accessToken, `{ me { id } }`)).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await login('naif@store.sa')).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('a token of another store, a forged token or an expired one is UNAUTHENTICATED', async () => {
    const other = await t.createTenant('متجر آخر');
    await t.gqlOk(other.key, `mutation($p: String!) { createAgent(input: { name: "عمر", email: "omar@other.sa", password: $p }) { id } }`, { p: password });
    const session = (await login('omar@other.sa', password, other.slug)).data.login;
    const ticket = (await t.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(2) })).createTicket;
    expect((await t.gql(session.accessToken, `query($id: ID!) { ticket(id: $id) { id } }`, { id: ticket.id })).errors?.[0].extensions.code).toBe('NOT_FOUND');
    const [header, payload] = session.accessToken.split('.');
    expect((await t.gql(`${header}.${payload}.forged-signature`, `{ me { id } }`)).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await login('omar@other.sa', password, store.slug)).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});
