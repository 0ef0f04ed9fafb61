import { arabicTicket, CREATE_TICKET, TestApp, TestTenant } from './helpers/test-app';

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

  it("keeps stores and callers apart: another store's key gets null; a customer gets only its own tickets, as PortalTicket", async () => {
    expect((await t.gqlOk(other.key, NODE, { id: ticket.id })).node).toBeNull();
    expect((await t.gqlOk(other.key, NODES, { ids: [ticket.id, ids.agent] })).nodes).toEqual([null, null]);

    const token = (await t.gqlOk(store.key, `mutation($c: ID!) { createCustomerToken(customerId: $c) { token } }`, { c: ticket.customer.id })).createCustomerToken.token;
    expect((await t.gqlOk(token, NODE, { id: ticket.id })).node).toEqual({ __typename: 'PortalTicket', id: ticket.id, number: ticket.number });
    // Staff-only objects, even of the customer's own ticket, are not reachable with a customer token.
    expect((await t.gqlOk(token, NODES, { ids: [noteId, ticket.customer.id, ids.agent] })).nodes).toEqual([null, null, null]);
    const stranger = (await t.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(2, { customer: { email: 'other@example.sa', name: 'غيره' } }) })).createTicket;
    expect((await t.gqlOk(token, NODE, { id: stranger.id })).node).toBeNull();
  });
});
