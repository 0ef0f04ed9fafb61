import { DataSource } from 'typeorm';
import { AuthService } from '../../src/auth/auth.service';
import { arabicTicket, CREATE_TICKET, eventually, TestApp, TestTenant } from './helpers/test-app';

describe('authentication, roles and error shape', () => {
  let t: TestApp;
  let store: TestTenant;

  beforeAll(async () => {
    t = await TestApp.start();
    store = await t.createTenant();
  });
  afterAll(() => t.close());

  it('refuses a missing, malformed, unknown or revoked key with UNAUTHENTICATED', async () => {
    expect((await t.gql(undefined, `{ tickets { totalCount } }`)).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await t.gql('not-a-key', `{ tickets { totalCount } }`)).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    const forged = store.key.slice(0, -4) + 'AAAA';
    expect((await t.gql(forged, `{ tickets { totalCount } }`)).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');

    const key = await t.createKey(store.id, 'agent');
    expect((await t.gql(key, `{ tickets { totalCount } }`)).errors).toBeUndefined();
    const [{ id }] = await t.app.get(DataSource).query(`SELECT id FROM api_keys WHERE prefix = $1`, [key.split('_')[1]]);
    await t.app.get(AuthService).revokeApiKey(store.id, id);
    expect((await t.gql(key, `{ tickets { totalCount } }`)).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');

    const rest = await t.http.post('/api/v1/tickets').send(arabicTicket(1));
    expect(rest.status).toBe(401);
    expect(rest.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('records when a key was last used', async () => {
    const key = await t.createKey(store.id, 'integration');
    await t.gql(key, `{ tickets { totalCount } }`);
    const lastUsed = await eventually(async () => {
      const [row] = await t.app.get(DataSource).query(`SELECT last_used_at FROM api_keys WHERE prefix = $1`, [key.split('_')[1]]);
      return row.last_used_at;
    });
    expect(lastUsed).toBeInstanceOf(Date);
  });

  it('applies roles: reporting reads no tickets; only admin manages agents and teams', async () => {
    const reporting = await t.createKey(store.id, 'reporting');
    const agent = await t.createKey(store.id, 'agent');
    const integration = await t.createKey(store.id, 'integration');
    expect((await t.gql(reporting, `{ tickets { totalCount } }`)).errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await t.gql(reporting, CREATE_TICKET, { input: arabicTicket(2) })).errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await t.gql(agent, CREATE_TICKET, { input: arabicTicket(3) })).errors).toBeUndefined();
    expect((await t.gql(integration, CREATE_TICKET, { input: arabicTicket(4) })).errors).toBeUndefined();
    for (const key of [agent, integration, reporting]) {
      const res = await t.gql(key, `mutation { createTeam(input: { name: "x" }) { id } }`);
      expect(res.errors?.[0].extensions.code).toBe('FORBIDDEN');
    }
    const restForbidden = await t.http.post('/api/v1/tickets').set('authorization', `Bearer ${reporting}`).send(arabicTicket(5));
    expect(restForbidden.status).toBe(403);
  });

  it('reports every invalid field at once with BAD_USER_INPUT and extensions.fields', async () => {
    const res = await t.gql(store.key, CREATE_TICKET, {
      input: { subject: '   ', body: 'x'.repeat(100_001), customer: { email: 'not-an-email' }, tags: Array(21).fill('t'), customFields: { a: 'x'.repeat(20_000) } },
    });
    const error = res.errors?.[0];
    expect(error?.extensions.code).toBe('BAD_USER_INPUT');
    expect(Object.keys(error?.extensions.fields ?? {}).sort()).toEqual(['body', 'customFields', 'customer.email', 'subject', 'tags']);
    expect(JSON.stringify(res)).not.toMatch(/stacktrace|at \w+ \(/);
  });

  it('rejects GraphQL-level mistakes without a 500: unknown enum, wrong type, bad cursor, page too large', async () => {
    const enumRes = await t.http
      .post('/graphql')
      .set('authorization', `Bearer ${store.key}`)
      .send({ query: CREATE_TICKET, variables: { input: { ...arabicTicket(6), channel: 'PIGEON' } } });
    expect(enumRes.status).toBeLessThan(500);
    expect(enumRes.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(enumRes.body)).not.toContain('stacktrace');

    const cursor = await t.gql(store.key, `{ tickets(after: "garbage") { totalCount } }`);
    expect(cursor.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { after: expect.any(Array) } });
    const big = await t.gql(store.key, `{ tickets(first: 1000) { totalCount } }`);
    expect(big.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('limits query depth', async () => {
    const deep = `{ tickets { edges { node { followUpOf { followUpOf { followUpOf { followUpOf { followUpOf { followUpOf { followUpOf { followUpOf { id } } } } } } } } } } } }`;
    const res = await t.http.post('/graphql').set('authorization', `Bearer ${store.key}`).send({ query: deep });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(/exceeds maximum operation depth/);
  });

  it('answers malformed REST JSON and wrong content with 400, not 500', async () => {
    const res = await t.http.post('/api/v1/tickets').set('authorization', `Bearer ${store.key}`).set('content-type', 'application/json').send('{"subject": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_USER_INPUT');
  });

  it('hides internal failures behind an opaque INTERNAL_SERVER_ERROR', async () => {
    const ds = t.app.get(DataSource);
    await ds.query(`ALTER TABLE ticket_events RENAME TO ticket_events_gone`);
    try {
      const res = await t.gql(store.key, CREATE_TICKET, { input: arabicTicket(7) });
      expect(res.errors?.[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(JSON.stringify(res)).not.toContain('ticket_events');
    } finally {
      await ds.query(`ALTER TABLE ticket_events_gone RENAME TO ticket_events`);
    }
    // Nothing half-written: the failed create rolled back its ticket and message.
    const count = await t.gqlOk(store.key, `{ tickets(filter: { tags: [] }) { totalCount } }`);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM messages WHERE tenant_id = $1`, [store.id]);
    expect(n).toBe(count.tickets.totalCount);
  });
});
