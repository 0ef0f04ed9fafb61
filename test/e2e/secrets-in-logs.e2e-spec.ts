import { DataSource } from 'typeorm';
import { arabicTicket, CREATE_TICKET, TestApp, TestTenant } from './helpers/test-app';

/** Passwords, keys and tokens never reach the logs, even at the most verbose level and on failures. */
describe('secrets stay out of logs', () => {
  let t: TestApp;
  let store: TestTenant;
  let logs = '';
  const secrets: string[] = [];

  beforeAll(async () => {
    t = await TestApp.start({ LOG_LEVEL: 'trace' }, { write: (line: string) => void (logs += line) });
    store = await t.createTenant();
    secrets.push(store.key);
  });
  afterAll(() => t.close());

  it('logs requests with every kind of credential without the credential', async () => {
    const password = 'very-secret-password-1';
    secrets.push(password);
    await t.gqlOk(store.key, `mutation($p: String!) { createAgent(input: { name: "وليد", email: "waleed@store.sa", password: $p }) { id } }`, { p: password });
    const session = (
      await t.gqlOk(undefined as never, `mutation($p: String!) { login(input: { tenant: "${store.slug}", email: "waleed@store.sa", password: $p }) { accessToken refreshToken } }`, { p: password })
    ).login;
    secrets.push(session.accessToken, session.refreshToken);
    const wrongPassword = 'another-secret-guess-2';
    secrets.push(wrongPassword);
    await t.gql(undefined, `mutation($p: String!) { login(input: { tenant: "${store.slug}", email: "waleed@store.sa", password: $p }) { accessToken } }`, { p: wrongPassword });
    const refreshed = (await t.gqlOk(undefined as never, `mutation($r: String!) { refreshToken(refreshToken: $r) { accessToken refreshToken } }`, { r: session.refreshToken })).refreshToken;
    secrets.push(refreshed.accessToken, refreshed.refreshToken);
    const created = (await t.gqlOk(store.key, `mutation { createApiKey(input: { name: "n", role: "integration" }) { key } }`)).createApiKey.key;
    secrets.push(created);
    const ticket = (await t.gqlOk(created, CREATE_TICKET, { input: arabicTicket(1) })).createTicket;
    const customerToken = (await t.gqlOk(created, `mutation($c: ID!) { createCustomerToken(customerId: $c) { token } }`, { c: ticket.customer.id })).createCustomerToken.token;
    secrets.push(customerToken);
    await t.gql(customerToken, `{ portalTickets { totalCount } }`);
    await t.gql(`${customerToken}x`, `{ portalTickets { totalCount } }`);
    await t.http.post('/api/v1/tickets').set('authorization', `Bearer ${created}`).send({ subject: 'x' });

    // An unexpected failure is logged with its stack; the request's secrets still are not.
    const ds = t.app.get(DataSource);
    await ds.query(`ALTER TABLE ticket_events RENAME TO ticket_events_gone`);
    try {
      await t.gql(session.accessToken, CREATE_TICKET, { input: arabicTicket(2) });
    } finally {
      await ds.query(`ALTER TABLE ticket_events_gone RENAME TO ticket_events`);
    }

    expect(logs.length).toBeGreaterThan(1000);
    expect(logs).toContain('"authorization":"[Redacted]"');
    expect(logs).toContain('does not exist'); // the unexpected failure was logged
    for (const secret of secrets) expect({ secret, found: logs.includes(secret) }).toEqual({ secret, found: false });
  });
});
