import { DataSource } from 'typeorm';
import { GRAPHIQL_ASSETS_PATH } from '../../src/common/graphql/graphiql';
import { arabicTicket, TestApp, TestTenant } from './helpers/test-app';

describe('GraphQL hardening', () => {
  describe('limits', () => {
    let t: TestApp;
    let store: TestTenant;

    beforeAll(async () => {
      t = await TestApp.start({ RATE_LIMIT_PER_MINUTE: '8', REQUEST_BODY_LIMIT_BYTES: '65536' });
      store = await t.createTenant();
    });
    afterAll(() => t.close());

    it('refuses an over-complex query before running it, naming the limit', async () => {
      const heavy = `{ tickets(first: 100) { edges { node { id subject tags customer { name identities { kind value } }
        messages { id body authorType createdAt } events { id type data createdAt } followUpOf { id subject } } } } }`;
      const res = await t.gql(store.key, heavy);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 2000 });
      expect(res.errors?.[0].message).toMatch(/exceeds the limit of 2000/);
    });

    it('reports invalid documents as BAD_USER_INPUT', async () => {
      const res = await t.gql(store.key, `{ tickets { noSuchField } }`);
      expect(res.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
      const syntax = await t.gql(store.key, `{ tickets { `);
      expect(syntax.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    });

    it('refuses a request body over the size limit', async () => {
      const res = await t.http
        .post('/graphql')
        .set('authorization', `Bearer ${store.key}`)
        .send({ query: '{ currentTenant { id } }', variables: { padding: 'x'.repeat(70_000) } });
      expect(res.status).toBe(413);
    });

    it('rate-limits each credential separately with RATE_LIMITED', async () => {
      const key = await t.createKey(store.id, 'agent');
      const other = await t.createKey(store.id, 'agent');
      const codes: Array<string | undefined> = [];
      for (let i = 0; i < 9; i++) codes.push((await t.gql(key, `{ currentTenant { id } }`)).errors?.[0]?.extensions.code);
      expect(codes.slice(0, 8)).toEqual(Array(8).fill(undefined));
      expect(codes[8]).toBe('RATE_LIMITED');
      expect((await t.gql(other, `{ currentTenant { id } }`)).errors).toBeUndefined();
      const rest = await t.http.post('/api/v1/tickets').set('authorization', `Bearer ${key}`).send({});
      expect(rest.status).toBe(429);
    });
  });

  describe('aliases', () => {
    let t: TestApp;
    let store: TestTenant;

    beforeAll(async () => {
      t = await TestApp.start({ RATE_LIMIT_PER_MINUTE: '8' });
      store = await t.createTenant();
    });
    afterAll(() => t.close());

    it('counts each aliased mutation against the rate limit', async () => {
      const key = await t.createKey(store.id, 'agent');
      const inputs = Array.from({ length: 20 }, (_, i) => `$i${i}: CreateTicketInput!`).join(', ');
      const fields = Array.from({ length: 20 }, (_, i) => `t${i}: createTicket(input: $i${i}) { id }`).join(' ');
      const variables = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`i${i}`, arabicTicket(i)]));
      const res = await t.gql(key, `mutation(${inputs}) { ${fields} }`, variables);
      expect(res.errors?.[0].extensions.code).toBe('RATE_LIMITED');
      const [{ count }] = await t.app.get(DataSource).query(`SELECT count(*)::int AS count FROM tickets WHERE tenant_id = $1`, [store.id]);
      expect(count).toBe(8);
    });

    it('counts lists in the cost estimate, so hundreds of aliased lists are refused', async () => {
      const fields = Array.from({ length: 600 }, (_, i) => `a${i}: agents { id }`).join(' ');
      const res = await t.gql(store.key, `{ ${fields} }`);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 2000 });
    });
  });

  describe('readiness while the database is down', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await TestApp.start({ NODE_ENV: 'production' });
    });
    afterAll(() => t.close().catch(() => undefined));

    it('answers 503 with the report, as documented', async () => {
      expect((await t.http.get('/health')).status).toBe(200);
      await t.app.get(DataSource).destroy();
      const res = await t.http.get('/health');
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });
    });
  });

  describe('production defaults', () => {
    let t: TestApp;
    let store: TestTenant;

    beforeAll(async () => {
      t = await TestApp.start({ NODE_ENV: 'production' });
      store = await t.createTenant();
    });
    afterAll(() => t.close());

    it('turns off introspection and GraphiQL', async () => {
      const res = await t.gql(store.key, `{ __schema { queryType { name } } }`);
      expect(res.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].message).toMatch(/introspection/i);
      const page = await t.http.get('/graphql').set('accept', 'text/html');
      expect(page.text).not.toContain('GraphiQL');
      expect((await t.http.get(`${GRAPHIQL_ASSETS_PATH}/graphiql.min.js`)).status).toBe(404);
    });
  });
});
