import { GraphQLSchemaHost } from '@nestjs/graphql';
import { GraphQLInterfaceType, isObjectType } from 'graphql';
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AuthService } from '../../src/auth/auth.service';
import { TenantTransactions } from '../../src/common/database/tenant-transactions';
import { TicketImporter } from '../../src/tickets/import/ticket-importer';
import { arabicTicket, CREATE_TICKET, TestApp, TestTenant, UPDATE_TICKET } from './helpers/test-app';
import { WebhookReceiver } from './helpers/webhook-receiver';

const NODE = `query($id: ID!) { node(id: $id) { __typename id
  ... on Ticket { number subject }
  ... on PortalTicket { number }
  ... on Customer { customerName: name }
  ... on Message { body internal }
  ... on Agent { email }
  ... on Team { name }
  ... on KbArticle { title }
  ... on CannedReply { shortcut } } }`;
const NODES = `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`;

/** The other node types, each with the scope its own queries and fields need: a caller without it gets null. */
const KINDS: Array<[type: string, scope: 'tickets:read' | 'tickets:write' | 'admin']> = [
  ['TicketEvent', 'tickets:read'],
  ['CustomerIdentity', 'tickets:read'],
  ['MessageAttachment', 'tickets:read'],
  ['Call', 'tickets:read'],
  ['Compensation', 'tickets:read'],
  ['CsatSurveyInfo', 'tickets:read'],
  ['Order', 'tickets:read'],
  ['ScheduledAutomation', 'tickets:read'],
  ['SlaPolicy', 'tickets:read'],
  ['RoutingRule', 'tickets:read'],
  ['Tenant', 'tickets:read'],
  ['StoreEvent', 'tickets:write'],
  ['ImportJob', 'admin'],
  ['Mailbox', 'admin'],
  ['EmailIngestFailure', 'admin'],
  ['MessagingChannel', 'admin'],
  ['WebhookEndpoint', 'admin'],
  ['WebhookDelivery', 'admin'],
  ['StorePlatformConnection', 'admin'],
  ['StorePlatformDelivery', 'admin'],
];
/** The node types the first tests fetch. */
const FETCHED_FIRST = ['Ticket', 'PortalTicket', 'Customer', 'Message', 'PortalMessage', 'Agent', 'Team', 'KbArticle', 'CannedReply', 'ApiKey', 'ChatChannel'];
/** Objects with an id that are not nodes: each carries the id of a node of another type, which is the one to fetch again. */
const NOT_NODES = { LiveMessage: 'Message', TicketEventNotice: 'TicketEvent', MatchedRule: 'RoutingRule' };

describe('Relay object identification: node(id:) and nodes(ids:)', () => {
  let t: TestApp;
  let store: TestTenant;
  let other: TestTenant;
  let ticket: { id: string; number: number; customer: { id: string } };
  let noteId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await TestApp.start();
    store = await t.createTenant();
    other = await t.createTenant();
    ticket = (await t.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(1) })).createTicket;
    noteId = (await t.gqlOk(store.key, `mutation($id: ID!) { addMessage(input: { ticketId: $id, body: "ملاحظة داخلية", internal: true }) { message { id } } }`, { id: ticket.id })).addMessage.message
      .id;
    ids.agent = (await t.gqlOk(store.key, `mutation { createAgent(input: { name: "منى", email: "mona@store.sa" }) { id } }`)).createAgent.id;
    ids.team = (await t.gqlOk(store.key, `mutation { createTeam(input: { name: "الشحن" }) { id } }`)).createTeam.id;
    ids.article = (await t.gqlOk(store.key, `mutation { createArticle(input: { title: "سياسة الإرجاع", body: "خلال ١٤ يوماً" }) { id } }`)).createArticle.id;
    ids.canned = (await t.gqlOk(store.key, `{ cannedReplies { id } }`)).cannedReplies[0].id;
  });
  afterAll(() => t.close());

  it('fetches every kind of node by the same id the other fields return', async () => {
    const node = async (id: string) => (await t.gqlOk(store.key, NODE, { id })).node;
    expect(await node(ticket.id)).toMatchObject({ __typename: 'Ticket', id: ticket.id, number: ticket.number });
    expect(await node(ticket.customer.id)).toMatchObject({ __typename: 'Customer', id: ticket.customer.id });
    expect(await node(noteId)).toMatchObject({ __typename: 'Message', id: noteId, internal: true });
    expect(await node(ids.agent)).toMatchObject({ __typename: 'Agent', email: 'mona@store.sa' });
    expect(await node(ids.team)).toMatchObject({ __typename: 'Team', name: 'الشحن' });
    expect(await node(ids.article)).toMatchObject({ __typename: 'KbArticle', title: 'سياسة الإرجاع' });
    expect(await node(ids.canned)).toMatchObject({ __typename: 'CannedReply', id: ids.canned });
    expect(await node('01900000-0000-7000-8000-000000000000')).toBeNull();
    expect(await node('not-a-uuid')).toBeNull();
  });

  it("an admin's settings objects are nodes too, for admins only", async () => {
    const apiKey = (await t.gqlOk(store.key, `mutation { createApiKey(input: { name: "تقارير", role: "reporting" }) { apiKey { id } } }`)).createApiKey.apiKey.id;
    const chat = (await t.gqlOk(store.key, `mutation { createChatChannel(input: { name: "الموقع", allowedOrigins: ["https://rose.example.sa"] }) { channel { id } } }`)).createChatChannel.channel.id;
    const admin = (await t.gqlOk(store.key, `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on ApiKey { name } ... on ChatChannel { allowedOrigins } } }`, { ids: [apiKey, chat] })).nodes;
    expect(admin).toEqual([
      { __typename: 'ApiKey', id: apiKey, name: 'تقارير' },
      { __typename: 'ChatChannel', id: chat, allowedOrigins: ['https://rose.example.sa'] },
    ]);
    const agentKey = await t.createKey(store.id, 'agent');
    expect((await t.gqlOk(agentKey, NODES, { ids: [apiKey, chat] })).nodes).toEqual([null, null]);
    expect((await t.gqlOk(other.key, NODES, { ids: [apiKey, chat] })).nodes).toEqual([null, null]);
  });

  it('nodes(ids:) answers in the order asked, null for what the caller may not see', async () => {
    const res = await t.gqlOk(store.key, NODES, { ids: [ids.team, 'nope', ticket.id, ticket.customer.id] });
    expect(res.nodes).toEqual([{ __typename: 'Team', id: ids.team }, null, { __typename: 'Ticket', id: ticket.id }, { __typename: 'Customer', id: ticket.customer.id }]);
    const tooMany = await t.gql(store.key, NODES, { ids: Array.from({ length: 101 }, () => ticket.id) });
    expect(tooMany.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("keeps stores and callers apart: another store's key gets null; a customer gets only its own tickets and their public messages, as PortalTicket and PortalMessage", async () => {
    expect((await t.gqlOk(other.key, NODE, { id: ticket.id })).node).toBeNull();
    expect((await t.gqlOk(other.key, NODES, { ids: [ticket.id, ids.agent] })).nodes).toEqual([null, null]);

    const token = (await t.gqlOk(store.key, `mutation($c: ID!) { createCustomerToken(customerId: $c) { token } }`, { c: ticket.customer.id })).createCustomerToken.token;
    expect((await t.gqlOk(token, NODE, { id: ticket.id })).node).toEqual({ __typename: 'PortalTicket', id: ticket.id, number: ticket.number });
    // The ticket's public messages too, as PortalMessage; staff get the same id as Message.
    const [first] = (await t.gqlOk(store.key, `query($id: ID!) { ticket(id: $id) { messages { id } } }`, { id: ticket.id })).ticket.messages;
    expect((await t.gqlOk(token, NODE, { id: first.id })).node).toEqual({ __typename: 'PortalMessage', id: first.id });
    expect((await t.gqlOk(store.key, NODE, { id: first.id })).node).toMatchObject({ __typename: 'Message', id: first.id });
    // Staff-only objects, even of the customer's own ticket, are not reachable with a customer token.
    expect((await t.gqlOk(token, NODES, { ids: [noteId, ticket.customer.id, ids.agent] })).nodes).toEqual([null, null, null]);
    const stranger = (await t.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(2, { customer: { email: 'other@example.sa', name: 'غيره' } }) })).createTicket;
    expect((await t.gqlOk(token, NODE, { id: stranger.id })).node).toBeNull();
    const [strangers] = (await t.gqlOk(store.key, `query($id: ID!) { ticket(id: $id) { messages { id } } }`, { id: stranger.id })).ticket.messages;
    expect((await t.gqlOk(token, NODE, { id: strangers.id })).node).toBeNull();
  });

  describe('every other object a client may fetch again', () => {
    const found: Record<string, string> = {};
    /** Who asks: a caller with the type's scope, and one that may call node but lacks it. */
    const callers: Record<string, { allowed: string; refused: string }> = {};
    let receiver: WebhookReceiver;

    beforeAll(async () => {
      const ask = async (query: string, variables?: Record<string, unknown>) => t.gqlOk(store.key, query, variables);
      const db = t.app.get(DataSource);
      const agent = await t.createKey(store.id, 'agent');
      const readOnly = (await t.app.get(AuthService).createApiKey(store.id, 'agent', 'read only', ['tickets:read'])).key;
      const customer = (await ask(`mutation($c: ID!) { createCustomerToken(customerId: $c) { token } }`, { c: ticket.customer.id })).createCustomerToken.token;
      callers.admin = { allowed: store.key, refused: agent };
      callers['tickets:write'] = { allowed: agent, refused: readOnly };
      callers['tickets:read'] = { allowed: agent, refused: customer };

      found.Tenant = store.id;
      receiver = await WebhookReceiver.start();
      found.WebhookEndpoint = (await ask(`mutation($url: String!) { createWebhookEndpoint(input: { url: $url }) { endpoint { id } } }`, { url: receiver.url })).createWebhookEndpoint.endpoint.id;
      const solved = (await ask(CREATE_TICKET, { input: arabicTicket(3) })).createTicket;
      await ask(UPDATE_TICKET, { id: solved.id, input: { status: 'SOLVED' } });
      const seen = (await ask(`query($id: ID!) { ticket(id: $id) { events { id } csatSurvey { id } customer { identities { id } } } }`, { id: solved.id })).ticket;
      found.TicketEvent = seen.events[0].id;
      found.CsatSurveyInfo = seen.csatSurvey.id;
      found.CustomerIdentity = seen.customer.identities[0].id;
      found.WebhookDelivery = (await ask(`query($e: ID!) { webhookDeliveries(endpointId: $e) { edges { node { id } } } }`, { e: found.WebhookEndpoint })).webhookDeliveries.edges[0].node.id;
      found.Compensation = (await ask(`mutation($t: ID!) { recordCompensation(input: { ticketId: $t, kind: COUPON, amount: 25 }) { id } }`, { t: ticket.id })).recordCompensation.id;
      const now = new Date().toISOString();
      found.Call = (
        await ask(`mutation($at: DateTime!) { logCall(input: { direction: INBOUND, outcome: MISSED, from: "0501112233", to: "0112345678", startedAt: $at }) { call { id } } }`, { at: now })
      ).logCall.call.id;
      const delivered = `mutation($at: DateTime!) { recordStoreEvent(input: { type: ORDER_DELIVERED, orderId: "7001", customer: { phone: "0501112233" }, occurredAt: $at }) {
        event { id } order { id } automations { id } } }`;
      const recorded = (await ask(delivered, { at: now })).recordStoreEvent;
      [found.StoreEvent, found.Order, found.ScheduledAutomation] = [recorded.event.id, recorded.order.id, recorded.automations[0].id];
      found.SlaPolicy = (await ask(`{ slaPolicies { id } }`)).slaPolicies[0].id;
      found.RoutingRule = (await ask(`mutation { createRoutingRule(input: { name: "المدفوعات", category: PAYMENT, phrases: ["دفع"] }) { id } }`)).createRoutingRule.id;
      found.MessageAttachment = uuidv7();
      await db.query(`INSERT INTO message_attachments (tenant_id, id, message_id, filename, content_type, size_bytes) VALUES ($1, $2, $3, 'فاتورة.pdf', 'application/pdf', 2048)`, [
        store.id,
        found.MessageAttachment,
        noteId,
      ]);

      found.Mailbox = (
        await ask(
          `mutation { createMailbox(input: { name: "الدعم", address: "support@rose.example.sa", imapHost: "127.0.0.1", imapUser: "support", imapPassword: "secret", smtpHost: "127.0.0.1" }) { id } }`,
        )
      ).createMailbox.id;
      found.EmailIngestFailure = uuidv7();
      await db.query(`INSERT INTO email_ingest_failures (tenant_id, id, mailbox_id, uid, raw, error) VALUES ($1, $2, $3, 7, $4, 'unreadable')`, [
        store.id,
        found.EmailIngestFailure,
        found.Mailbox,
        Buffer.from('Subject: ?'),
      ]);
      found.MessagingChannel = (
        await ask(
          `mutation { connectWhatsApp(input: { phoneNumberId: "106540352242922", displayPhoneNumber: "+966 11 234 5678", accessToken: "EAAG-test-token", appSecret: "whatsapp-app-secret", verifyToken: "verify-me-please" }) { id } }`,
        )
      ).connectWhatsApp.id;
      const connected = (await ask(`mutation { connectStorePlatform(input: { platform: SALLA, accountId: "1305146709", webhookSecret: "salla-webhook-secret" }) { webhookUrl connection { id } } }`))
        .connectStorePlatform;
      found.StorePlatformConnection = connected.connection.id;
      const raw = JSON.stringify({ event: 'product.updated', merchant: 1305146709, created_at: 'Sun Nov 22 2026 13:10:00 GMT+0300', data: { id: 1653210934 } });
      const signature = createHmac('sha256', 'salla-webhook-secret').update(raw).digest('hex');
      await t.http
        .post(new URL(connected.webhookUrl).pathname)
        .set('content-type', 'application/json')
        .set('x-salla-security-strategy', 'Signature')
        .set('x-salla-signature', signature)
        .send(raw)
        .expect(200);
      found.StorePlatformDelivery = (
        await ask(`query($c: ID!) { storePlatformDeliveries(connectionId: $c) { edges { node { id } } } }`, { c: found.StorePlatformConnection })
      ).storePlatformDeliveries.edges[0].node.id;
      const empty = join(mkdtempSync(join(tmpdir(), 'rida-nodes-')), 'export.jsonl');
      writeFileSync(empty, '');
      found.ImportJob = (await new TicketImporter(t.app.get(TenantTransactions)).run(store.id, empty)).id;
    });
    afterAll(() => receiver?.stop());

    it.each(KINDS)('%s is a node for callers with %s, null without it and in another store', async (type, scope) => {
      const { allowed, refused } = callers[scope];
      const id = found[type];
      expect((await t.gqlOk(allowed, NODES, { ids: [id] })).nodes).toEqual([{ __typename: type, id }]);
      expect((await t.gqlOk(refused, NODES, { ids: [id] })).nodes).toEqual([null]);
      expect((await t.gqlOk(other.key, NODES, { ids: [id] })).nodes).toEqual([null]);
    });

    it('an admin fetches them all in one nodes(ids:) call, in the order asked, with their fields', async () => {
      const ids = KINDS.map(([type]) => found[type]);
      expect((await t.gqlOk(store.key, NODES, { ids })).nodes).toEqual(KINDS.map(([type], i) => ({ __typename: type, id: ids[i] })));
      const fields = `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on CsatSurveyInfo { answerToken } ... on Tenant { slug } ... on ImportJob { status progress }
        ... on RoutingRule { phrases } ... on MessageAttachment { filename } ... on Order { externalId orderStatus: status } } }`;
      const picked = ['CsatSurveyInfo', 'Tenant', 'ImportJob', 'RoutingRule', 'MessageAttachment', 'Order'].map((type) => found[type]);
      expect((await t.gqlOk(store.key, fields, { ids: picked })).nodes).toEqual([
        { id: found.CsatSurveyInfo, answerToken: expect.stringMatching(new RegExp(`^${found.CsatSurveyInfo}\\.`)) },
        { id: store.id, slug: store.slug },
        { id: found.ImportJob, status: 'COMPLETED', progress: 1 },
        { id: found.RoutingRule, phrases: ['دفع'] },
        { id: found.MessageAttachment, filename: 'فاتورة.pdf' },
        { id: found.Order, externalId: '7001', orderStatus: 'DELIVERED' },
      ]);
    });

    it('every object type with an id is a node fetched by these tests, or carries the id of one', () => {
      const schema = t.app.get(GraphQLSchemaHost).schema;
      const nodes = schema.getPossibleTypes(schema.getType('Node') as GraphQLInterfaceType).map((type) => type.name);
      const withIds = Object.values(schema.getTypeMap()).filter((type) => isObjectType(type) && 'id' in type.getFields());
      expect(
        withIds
          .map((type) => type.name)
          .filter((name) => !nodes.includes(name))
          .sort(),
      ).toEqual(Object.keys(NOT_NODES).sort());
      expect([...nodes].sort()).toEqual([...FETCHED_FIRST, ...KINDS.map(([type]) => type)].sort());
    });
  });
});
