import { arabicTicket, CREATE_TICKET, eventually, TestApp, TestTenant } from './helpers/test-app';

describe('API keys: scopes, listing, rotation, revocation', () => {
  let t: TestApp;
  let store: TestTenant;

  beforeAll(async () => {
    t = await TestApp.start();
    store = await t.createTenant();
  });
  afterAll(() => t.close());

  const create = (input: Record<string, unknown>) => t.gql(store.key, `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id prefix role scopes } } }`, { input });

  it("creates a key once-visible, with the role's scopes or a narrower set", async () => {
    const full = (await create({ name: 'Salla sync', role: 'integration' })).data.createApiKey;
    expect(full.apiKey.scopes).toEqual(['tickets:read', 'tickets:write', 'customer-tokens:create']);
    expect(full.key).toMatch(new RegExp(`^rida_${full.apiKey.prefix}_`));

    const readOnly = (await create({ name: 'dashboard', role: 'integration', scopes: ['tickets:read'] })).data.createApiKey;
    expect((await t.gql(readOnly.key, `{ tickets { totalCount } }`)).errors).toBeUndefined();
    expect((await t.gql(readOnly.key, CREATE_TICKET, { input: arabicTicket(1) })).errors?.[0].extensions.code).toBe('FORBIDDEN');

    const widened = await create({ name: 'sneaky', role: 'reporting', scopes: ['tickets:read'] });
    expect(widened.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    const unknown = await create({ name: 'x', role: 'integration', scopes: ['everything'] });
    expect(unknown.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('lists keys with prefix only and tracks last use', async () => {
    const { data } = await create({ name: 'to list', role: 'agent' });
    await t.gql(data.createApiKey.key, `{ tickets { totalCount } }`);
    const listKeys = () => t.gql(store.key, `{ apiKeys { id name prefix role scopes lastUsedAt revokedAt } }`);
    const list = await eventually(async () => {
      const res = await listKeys();
      return res.data.apiKeys.find((k: { id: string; lastUsedAt: string | null }) => k.id === data.createApiKey.apiKey.id && k.lastUsedAt) ? res : undefined;
    }).then((res) => res ?? listKeys());
    const listed = list.data.apiKeys.find((k: { id: string }) => k.id === data.createApiKey.apiKey.id);
    expect(listed).toMatchObject({ name: 'to list', role: 'agent', revokedAt: null });
    expect(listed.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list)).not.toContain(data.createApiKey.key);
  });

  it('rotation keeps name, role and scopes and retires the old secret; revocation is immediate', async () => {
    const { data } = await create({ name: 'rotating', role: 'integration', scopes: ['tickets:read'] });
    const rotated = (await t.gqlOk(store.key, `mutation($id: ID!) { rotateApiKey(id: $id) { key apiKey { id name role scopes } } }`, { id: data.createApiKey.apiKey.id })).rotateApiKey;
    expect(rotated.apiKey).toMatchObject({ name: 'rotating', role: 'integration', scopes: ['tickets:read'] });
    expect((await t.gql(data.createApiKey.key, `{ tickets { totalCount } }`)).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await t.gql(rotated.key, `{ tickets { totalCount } }`)).errors).toBeUndefined();

    await t.gqlOk(store.key, `mutation($id: ID!) { revokeApiKey(id: $id) }`, { id: rotated.apiKey.id });
    expect((await t.gql(rotated.key, `{ tickets { totalCount } }`)).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    const twice = await t.gql(store.key, `mutation($id: ID!) { revokeApiKey(id: $id) }`, { id: rotated.apiKey.id });
    expect(twice.errors?.[0].extensions.code).toBe('NOT_FOUND');
  });

  it("another store's keys are invisible and untouchable", async () => {
    const other = await t.createTenant('متجر ثان');
    const otherKey = (await t.gqlOk(other.key, `mutation { createApiKey(input: { name: "o", role: "agent" }) { apiKey { id } } }`)).createApiKey.apiKey.id;
    const list = await t.gqlOk(store.key, `{ apiKeys { id } }`);
    expect(list.apiKeys.map((k: { id: string }) => k.id)).not.toContain(otherKey);
    for (const op of ['rotateApiKey(id: $id) { key }', 'revokeApiKey(id: $id)']) {
      expect((await t.gql(store.key, `mutation($id: ID!) { ${op} }`, { id: otherKey })).errors?.[0].extensions.code).toBe('NOT_FOUND');
    }
  });
});
