import { TestApp, TestTenant } from './helpers/test-app';

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
    });
  });
});
