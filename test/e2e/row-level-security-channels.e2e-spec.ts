import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { metaSignature } from '../../src/channels/messaging/platform-signatures';
import { AllStores } from '../../src/common/database/all-stores';
import type { Statement } from '../../src/common/database/batch';
import type { DeferringClient } from '../../src/common/database/statement-queue';
import { TenantTransactions } from '../../src/common/database/tenant-transactions';
import { FakeGraphApi } from '../fakes/meta-graph-api';
import { waContact, waText, waWebhook, wamid } from '../fakes/whatsapp-payloads';
import { TestApp, TestTenant } from './helpers/test-app';

const APP_SECRET = 'rls-channels-app-secret';
const TOKEN = 'EAAG-rls-channels-token';
const CONNECT = `mutation($input: ConnectWhatsAppInput!) { connectWhatsApp(input: $input) { id webhookPath } }`;
const CUSTOMER_PHONE = '966501112233';

/**
 * The channel paths read a store through the door, so row-level security holds there too: the
 * WhatsApp ingest of store A, with every store filter taken out of its duplicate check and
 * conversation look-up, still sees nothing of store B, which has an open conversation with the
 * same phone number and a message with the same platform id.
 */
describe('row-level security on the channel paths', () => {
  let t: TestApp;
  let fake: FakeGraphApi;
  let owner: DataSource;
  let a: TestTenant;
  let b: TestTenant;
  const phoneNumberIds = new Map<TestTenant, string>();
  const webhookPaths = new Map<TestTenant, string>();

  beforeAll(async () => {
    fake = await FakeGraphApi.start();
    fake.tokens.add(TOKEN);
    t = await TestApp.start({ WHATSAPP_API_BASE_URL: fake.baseUrl });
    owner = t.app.get(DataSource);
    a = await t.createTenant('متجر أ');
    b = await t.createTenant('متجر ب');
    for (const [store, phoneNumberId] of [
      [a, '106540352249001'],
      [b, '106540352249002'],
    ] as const) {
      const { webhookPath } = (
        await t.gqlOk(store.key, CONNECT, {
          input: {
            phoneNumberId,
            displayPhoneNumber: '+966 11 234 9000',
            businessAccountId: `10229012934${phoneNumberId.slice(-4)}`,
            accessToken: TOKEN,
            appSecret: APP_SECRET,
            verifyToken: 'verify-rls-channels',
          },
        })
      ).connectWhatsApp;
      phoneNumberIds.set(store, phoneNumberId);
      webhookPaths.set(store, webhookPath);
    }
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
    await fake.stop();
  });

  const receive = async (store: TestTenant, messageId: string, body: string) => {
    const raw = JSON.stringify(waWebhook({ phoneNumberId: phoneNumberIds.get(store)! }, { contacts: [waContact(CUSTOMER_PHONE, 'ريم')], messages: [waText(CUSTOMER_PHONE, body, { id: messageId })] }));
    const response = await t.http.post(webhookPaths.get(store)!).set('content-type', 'application/json').set('x-hub-signature-256', metaSignature(raw, APP_SECRET)).send(raw);
    expect(response.status).toBe(200);
  };
  const rowsOf = async (store: TestTenant) => {
    const [counts] = await owner.query(`SELECT (SELECT count(*)::int FROM tickets WHERE tenant_id = $1) AS tickets, (SELECT count(*)::int FROM messages WHERE tenant_id = $1) AS messages`, [store.id]);
    return counts as { tickets: number; messages: number };
  };

  /**
   * The ingest's SQL with every store filter (tenant and account) replaced by a test that always
   * holds — as a parameter, or as the literal a batch of statements carries it in.
   */
  const UUID_LITERAL = `'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'`;
  const withoutStoreFilters = (sql: string) =>
    sql
      .replace(/\b(\w+\.)?tenant_id = \$1\b/g, () => '$1::uuid IS NOT NULL')
      .replace(/\bm\.messaging_channel_id = \$(2|4)\b/g, (_, n: string) => `$${n}::uuid IS NOT NULL`)
      .replace(new RegExp(`\\b(\\w+\\.)?tenant_id = (${UUID_LITERAL})`, 'g'), (_, _alias, literal: string) => `${literal}::uuid IS NOT NULL`)
      .replace(new RegExp(`\\bm\\.messaging_channel_id = (${UUID_LITERAL})`, 'g'), (_, literal: string) => `${literal}::uuid IS NOT NULL`);

  it('a look-up without store filters, run as the owner, does find the other store (the filters are really gone)', async () => {
    const sharedId = wamid();
    await receive(b, sharedId, 'السلام عليكم، طلبي ما وصل');
    const [stored] = await t.app.get(AllStores).query(withoutStoreFilters(`SELECT id FROM messages WHERE tenant_id = $1 AND channel = $2 AND external_id = $3`), [a.id, 'WHATSAPP', sharedId]);
    expect(stored).toBeDefined();
  });

  it("store A's ingest, with the filters gone, neither joins nor deduplicates against store B", async () => {
    const sharedId = wamid();
    await receive(b, sharedId, 'وين طلبي؟');
    const [bTicket] = await owner.query(`SELECT ticket_id FROM messages WHERE tenant_id = $1 AND external_id = $2`, [b.id, sharedId]);
    const bBefore = await rowsOf(b);
    const aBefore = await rowsOf(a);

    const db = t.app.get(TenantTransactions);
    const read = db.read.bind(db);
    const unfiltered: string[] = [];
    const rewrite = (sql: string) => {
      const rewritten = withoutStoreFilters(sql);
      if (rewritten !== sql) unfiltered.push(rewritten);
      return rewritten;
    };
    // Statements sent together (batch) go straight to the runner's connection (its statement queue): rewrite them there too.
    const withoutFiltersOnItsConnection = (runner: QueryRunner) =>
      new Proxy(runner, {
        get: (target, property, receiver) =>
          property === 'connect'
            ? async () => {
                const connection = (await target.connect()) as DeferringClient;
                return new Proxy(connection, {
                  get: (c, p, r) =>
                    p === 'query'
                      ? (text: string, values?: unknown[]) => c.query(rewrite(text), values)
                      : p === 'runStatements'
                        ? (statements: readonly Statement[]) => c.runStatements!(statements.map((s) => ({ ...s, sql: rewrite(s.sql) })))
                        : Reflect.get(c, p, r),
                });
              }
            : Reflect.get(target, property, receiver),
      });
    const spy = jest.spyOn(db, 'read').mockImplementation((scope, work, options) =>
      read(
        scope,
        (manager) =>
          work(
            new Proxy(manager, {
              get: (target, property, receiver) =>
                property === 'query'
                  ? (sql: string, parameters?: unknown[]) => target.query(rewrite(sql), parameters)
                  : property === 'queryRunner'
                    ? withoutFiltersOnItsConnection(target.queryRunner!)
                    : Reflect.get(target, property, receiver),
            }) as EntityManager,
          ),
        options,
      ),
    );
    try {
      // The same platform message id and the same phone number as store B's open conversation.
      await receive(a, sharedId, 'وين طلبي؟');
    } finally {
      spy.mockRestore();
    }

    expect(unfiltered.some((sql) => /FROM messages WHERE \S+::uuid IS NOT NULL AND channel = \S+ AND external_id = /.test(sql))).toBe(true);
    expect(unfiltered.some((sql) => sql.includes('FROM customer_identities ci JOIN tickets t'))).toBe(true);
    // Not a duplicate of B's message, not a reply in B's ticket: a conversation of A's own.
    expect(await rowsOf(a)).toEqual({ tickets: aBefore.tickets + 1, messages: aBefore.messages + 1 });
    expect(await rowsOf(b)).toEqual(bBefore);
    const [aMessage] = await owner.query(`SELECT ticket_id FROM messages WHERE tenant_id = $1 AND external_id = $2`, [a.id, sharedId]);
    expect(aMessage.ticket_id).not.toBe(bTicket.ticket_id);
    const [crossed] = await owner.query(`SELECT count(*)::int AS n FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE m.tenant_id <> t.tenant_id`);
    expect(crossed.n).toBe(0);
  });

  it("a channel read through the door for one store cannot see another store's rows at all", async () => {
    const db = t.app.get(TenantTransactions);
    const seen = await db.read(a.id, (m) =>
      m.query(`SELECT (SELECT count(*)::int FROM messaging_channels) AS channels, (SELECT count(*)::int FROM messages WHERE channel = 'WHATSAPP' AND tenant_id = $1) AS other`, [b.id]),
    );
    expect(seen[0]).toEqual({ channels: 1, other: 0 });
  });
});
