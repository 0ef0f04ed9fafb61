import { GraphQLSchemaHost } from '@nestjs/graphql';
import { grantsOf, Permission } from '../../src/auth/permissions';
import type { Role } from '../../src/common/request-context';
import { arabicTicket, CREATE_TICKET, TestApp, TestTenant } from './helpers/test-app';

type Access = Permission | 'public' | 'signed-in agent';
const NO_ID = '01900000-0000-7000-8000-000000000000';
let n = 0;
const unique = () => `${Date.now().toString(36)}${n++}`;
const digits = () => `${Date.now()}${n++}`;

/**
 * Operation → what it needs, and a call that passes validation. The walk below checks every caller
 * kind against it; the first test fails when the schema has an operation this table lacks.
 */
const OPERATIONS: Record<string, { access: Access | Access[]; doc: (ids: Ids) => string }> = {
  // queries
  tickets: { access: 'tickets:read', doc: () => `{ tickets { totalCount } }` },
  ticket: { access: 'tickets:read', doc: (ids) => `{ ticket(id: "${ids.ticket}") { id } }` },
  ticketByNumber: { access: 'tickets:read', doc: () => `{ ticketByNumber(number: 1001) { id } }` },
  cannedReplies: { access: 'tickets:read', doc: () => `{ cannedReplies { id } }` },
  cannedReplyPlaceholders: { access: 'tickets:read', doc: () => `{ cannedReplyPlaceholders }` },
  renderCannedReply: { access: 'tickets:read', doc: (ids) => `{ renderCannedReply(id: "${NO_ID}", ticketId: "${ids.ticket}") { text } }` },
  createCannedReply: { access: 'admin', doc: () => `mutation { createCannedReply(input: { title: "t", shortcut: "/${unique()}", body: "مرحبا {{customer.name}}" }) { id } }` },
  updateCannedReply: { access: 'admin', doc: () => `mutation { updateCannedReply(id: "${NO_ID}", input: { title: "t" }) { id } }` },
  deleteCannedReply: { access: 'admin', doc: () => `mutation { deleteCannedReply(id: "${NO_ID}") }` },
  applyMacro: { access: 'tickets:write', doc: (ids) => `mutation { applyMacro(ticketId: "${ids.ticket}", macroId: "${NO_ID}") { message { id } } }` },
  mergeTickets: { access: 'tickets:write', doc: (ids) => `mutation { mergeTickets(sourceId: "${NO_ID}", targetId: "${ids.ticket}") { id } }` },
  mergeCustomers: { access: 'tickets:write', doc: (ids) => `mutation { mergeCustomers(sourceId: "${NO_ID}", targetId: "${ids.customer}") { id } }` },
  recordCompensation: { access: 'tickets:write', doc: () => `mutation { recordCompensation(input: { ticketId: "${NO_ID}", kind: COUPON, amount: 10 }) { id } }` },
  compensationTotals: { access: 'kpis:read', doc: () => `{ compensationTotals(filter: { from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z" }) { key } }` },
  searchTickets: { access: 'tickets:read', doc: () => `{ searchTickets(query: "شحن") { totalCount } }` },
  importJob: { access: 'admin', doc: () => `{ importJob(id: "${NO_ID}") { id } }` },
  importJobs: { access: 'admin', doc: () => `{ importJobs { id } }` },
  articles: { access: 'tickets:read', doc: () => `{ articles { id } }` },
  article: { access: 'tickets:read', doc: () => `{ article(id: "${NO_ID}") { id } }` },
  searchArticles: { access: 'tickets:read', doc: () => `{ searchArticles(query: "الدفع") { confidence } }` },
  suggestArticles: { access: 'tickets:read', doc: () => `{ suggestArticles(text: "وين طلبي") { confidence } }` },
  createArticle: { access: 'admin', doc: () => `mutation { createArticle(input: { title: "سؤال ${unique()}", body: "جواب" }) { id } }` },
  updateArticle: { access: 'admin', doc: () => `mutation { updateArticle(id: "${NO_ID}", input: { title: "t" }) { id } }` },
  publishArticle: { access: 'admin', doc: () => `mutation { publishArticle(id: "${NO_ID}") { id } }` },
  deleteArticle: { access: 'admin', doc: () => `mutation { deleteArticle(id: "${NO_ID}") }` },
  knowledgeBaseSettings: { access: 'tickets:read', doc: () => `{ knowledgeBaseSettings { autoAnswerChannels } }` },
  updateKnowledgeBaseSettings: { access: 'admin', doc: () => `mutation { updateKnowledgeBaseSettings(input: { autoAnswerMinConfidence: 0.8 }) { autoAnswerMinConfidence } }` },
  faqDeflection: { access: 'kpis:read', doc: () => `{ faqDeflection(filter: { from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z" }) { answered } }` },
  customer: { access: 'tickets:read', doc: (ids) => `{ customer(id: "${ids.customer}") { id } }` },
  agents: { access: 'tickets:read', doc: () => `{ agents { id } }` },
  agent: { access: 'tickets:read', doc: (ids) => `{ agent(id: "${ids.agent}") { id } }` },
  teams: { access: 'tickets:read', doc: () => `{ teams { id } }` },
  team: { access: 'tickets:read', doc: () => `{ team(id: "${NO_ID}") { id } }` },
  teamQueue: { access: 'tickets:read', doc: () => `{ teamQueue(teamId: "${NO_ID}") { id } }` },
  currentTenant: { access: 'tickets:read', doc: () => `{ currentTenant { id } }` },
  apiKeys: { access: 'admin', doc: () => `{ apiKeys { id } }` },
  me: { access: 'signed-in agent', doc: () => `{ me { id } }` },
  portalTickets: { access: 'portal', doc: () => `{ portalTickets { totalCount } }` },
  node: { access: ['tickets:read', 'portal'], doc: (ids) => `{ node(id: "${ids.ticket}") { id } }` },
  nodes: { access: ['tickets:read', 'portal'], doc: (ids) => `{ nodes(ids: ["${ids.ticket}", "${NO_ID}"]) { id } }` },
  portalTicket: { access: 'portal', doc: (ids) => `{ portalTicket(id: "${ids.ticket}") { id } }` },
  businessCalendar: { access: 'tickets:read', doc: () => `{ businessCalendar { timeZone } }` },
  slaPolicies: { access: 'tickets:read', doc: () => `{ slaPolicies { id } }` },
  kpis: { access: 'kpis:read', doc: () => `{ kpis(filter: { from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z" }) { created } }` },
  mailboxes: { access: 'admin', doc: () => `{ mailboxes { id } }` },
  emailIngestFailures: { access: 'admin', doc: () => `{ emailIngestFailures(mailboxId: "${NO_ID}") { id } }` },
  createMailbox: {
    access: 'admin',
    doc: () => `mutation { createMailbox(input: { name: "د", address: "${unique()}@x.sa", imapHost: "127.0.0.1", imapUser: "u", imapPassword: "p", smtpHost: "127.0.0.1" }) { id } }`,
  },
  updateMailbox: { access: 'admin', doc: () => `mutation { updateMailbox(id: "${NO_ID}", input: { active: false }) { id } }` },
  deleteMailbox: { access: 'admin', doc: () => `mutation { deleteMailbox(id: "${NO_ID}") }` },
  recordStoreEvent: {
    access: 'tickets:write',
    doc: () => `mutation { recordStoreEvent(input: { type: ORDER_PAID, orderId: "${unique()}", customer: { email: "${unique()}@x.sa" }, totalAmount: 10 }) { duplicate } }`,
  },
  setCustomerTier: { access: 'tickets:write', doc: () => `mutation { setCustomerTier(customerId: "${NO_ID}", tier: VIP) { id } }` },
  cancelAutomation: { access: 'tickets:write', doc: () => `mutation { cancelAutomation(id: "${NO_ID}") { id } }` },
  storeSettings: { access: 'tickets:read', doc: () => `{ storeSettings { delayNotices tierRules { tier } } }` },
  updateStoreSettings: { access: 'admin', doc: () => `mutation { updateStoreSettings(input: { delayNotices: true }) { delayNotices } }` },
  kpiGoals: { access: 'kpis:read', doc: () => `{ kpiGoals { csat } }` },
  updateKpiGoals: { access: 'admin', doc: () => `mutation { updateKpiGoals(input: { csat: 0.9 }) { csat } }` },
  webhookEndpoints: { access: 'admin', doc: () => `{ webhookEndpoints { id } }` },
  webhookDeliveries: { access: 'admin', doc: () => `{ webhookDeliveries(endpointId: "${NO_ID}") { totalCount } }` },
  createWebhookEndpoint: { access: 'admin', doc: () => `mutation { createWebhookEndpoint(input: { url: "https://erp.example.sa/${unique()}" }) { secret } }` },
  updateWebhookEndpoint: { access: 'admin', doc: () => `mutation { updateWebhookEndpoint(id: "${NO_ID}", input: { enabled: false }) { id } }` },
  rotateWebhookSecret: { access: 'admin', doc: () => `mutation { rotateWebhookSecret(id: "${NO_ID}") { secret } }` },
  deleteWebhookEndpoint: { access: 'admin', doc: () => `mutation { deleteWebhookEndpoint(id: "${NO_ID}") }` },
  replayWebhookDelivery: { access: 'admin', doc: () => `mutation { replayWebhookDelivery(id: "${NO_ID}") { id } }` },
  messagingChannels: { access: 'admin', doc: () => `{ messagingChannels { id } }` },
  connectWhatsApp: {
    access: 'admin',
    doc: () =>
      `mutation { connectWhatsApp(input: { phoneNumberId: "${digits()}", displayPhoneNumber: "+966 11 234 5678", accessToken: "EAAG-token-123", appSecret: "app-secret-1", verifyToken: "verify-token-1" }) { id } }`,
  },
  connectMetaChannel: {
    access: 'admin',
    doc: () => `mutation { connectMetaChannel(input: { kind: INSTAGRAM, accountId: "${digits()}", accessToken: "EAAG-token-123", appSecret: "app-secret-1", verifyToken: "verify-token-1" }) { id } }`,
  },
  connectX: { access: 'admin', doc: () => `mutation { connectX(input: { userId: "${digits()}", accessToken: "x-user-token-123", consumerSecret: "consumer-secret" }) { id } }` },
  connectTwilio: { access: 'admin', doc: () => `mutation { connectTwilio(input: { accountSid: "AC${digits().padStart(32, '0').slice(-32)}", authToken: "twilio-auth-token-0123" }) { id } }` },
  storePlatformConnections: { access: 'admin', doc: () => `{ storePlatformConnections { id } }` },
  connectStorePlatform: { access: 'admin', doc: () => `mutation { connectStorePlatform(input: { platform: ZID, accountId: "${digits()}" }) { webhookUrl } }` },
  setStorePlatformActive: { access: 'admin', doc: () => `mutation { setStorePlatformActive(id: "${NO_ID}", active: false) { id } }` },
  disconnectStorePlatform: { access: 'admin', doc: () => `mutation { disconnectStorePlatform(id: "${NO_ID}") }` },
  syncStorePlatform: { access: 'admin', doc: () => `mutation { syncStorePlatform(id: "${NO_ID}") { orders } }` },
  storePlatformDeliveries: { access: 'admin', doc: () => `{ storePlatformDeliveries(connectionId: "${NO_ID}") { totalCount } }` },
  updateMessagingChannel: { access: 'admin', doc: () => `mutation { updateMessagingChannel(id: "${NO_ID}", input: { active: false }) { id } }` },
  deleteMessagingChannel: { access: 'admin', doc: () => `mutation { deleteMessagingChannel(id: "${NO_ID}") }` },
  chatChannels: { access: 'admin', doc: () => `{ chatChannels { id } }` },
  createChatChannel: { access: 'admin', doc: () => `mutation { createChatChannel(input: { name: "الموقع", allowedOrigins: ["https://rose.example.sa"] }) { channel { id } } }` },
  updateChatChannel: { access: 'admin', doc: () => `mutation { updateChatChannel(id: "${NO_ID}", input: { askPhone: true }) { id } }` },
  rotateChatChannelSecret: { access: 'admin', doc: () => `mutation { rotateChatChannelSecret(id: "${NO_ID}") { identitySecret } }` },
  deleteChatChannel: { access: 'admin', doc: () => `mutation { deleteChatChannel(id: "${NO_ID}") }` },
  whatsAppTemplates: { access: 'tickets:read', doc: () => `{ whatsAppTemplates(channelId: "${NO_ID}") { name } }` },
  sendWhatsAppTemplate: { access: 'tickets:write', doc: () => `mutation { sendWhatsAppTemplate(ticketId: "${NO_ID}", name: "order_update", language: "ar") { message { id } } }` },
  replyPublicly: { access: 'tickets:write', doc: () => `mutation { replyPublicly(ticketId: "${NO_ID}", body: "تم التواصل معك بالخاص") { message { id } } }` },
  replyPrivately: { access: 'tickets:write', doc: () => `mutation { replyPrivately(ticketId: "${NO_ID}", body: "أهلاً، نعتذر") { message { id } } }` },
  logCall: {
    access: 'tickets:write',
    doc: () =>
      `mutation { logCall(input: { direction: INBOUND, outcome: MISSED, from: "05${String(n++ % 100000000).padStart(8, '0')}", to: "0112345678", startedAt: "2026-11-25T09:00:00Z" }) { created } }`,
  },
  customerByPhone: { access: 'tickets:read', doc: () => `{ customerByPhone(phone: "0501234567") { id } }` },
  frictionPoints: { access: 'kpis:read', doc: () => `{ frictionPoints(filter: { from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z" }, dimension: KEYWORD) { key } }` },
  topProducts: { access: 'kpis:read', doc: () => `{ topProducts(filter: { from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z" }) { key } }` },
  agentScorecards: { access: 'kpis:read', doc: () => `{ agentScorecards(filter: { from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z" }) { agentId } }` },
  teamScorecards: { access: 'kpis:read', doc: () => `{ teamScorecards(filter: { from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z" }) { teamId } }` },
  expectedFirstReplyAt: { access: 'tickets:read', doc: () => `{ expectedFirstReplyAt(channel: EMAIL) }` },
  routingRules: { access: 'tickets:read', doc: () => `{ routingRules { id } }` },
  routingSettings: { access: 'tickets:read', doc: () => `{ routingSettings { urgentPhrases } }` },
  previewRouting: { access: 'tickets:read', doc: () => `{ previewRouting(input: { body: "الشحن متأخر" }) { category } }` },
  // mutations
  createTicket: { access: 'tickets:write', doc: () => `mutation { createTicket(input: { subject: "س", body: "ب", customer: { email: "${unique()}@x.sa" } }) { id } }` },
  addMessage: { access: 'tickets:write', doc: (ids) => `mutation { addMessage(input: { ticketId: "${ids.ticket}", body: "رد", authorType: AGENT, internal: true }) { message { id } } }` },
  updateTicket: { access: 'tickets:write', doc: (ids) => `mutation { updateTicket(id: "${ids.ticket}", input: { tags: ["m${unique()}"] }) { id } }` },
  transferTicket: { access: 'tickets:write', doc: (ids) => `mutation { transferTicket(id: "${ids.ticket}", input: { assigneeId: "${ids.agent}", note: "تحويل" }) { id } }` },
  createAgent: { access: 'admin', doc: () => `mutation { createAgent(input: { name: "و", email: "${unique()}@x.sa" }) { id } }` },
  updateAgent: { access: 'admin', doc: () => `mutation { updateAgent(id: "${NO_ID}", input: { capacity: 5 }) { id } }` },
  createTeam: { access: 'admin', doc: () => `mutation { createTeam(input: { name: "ف${unique()}" }) { id } }` },
  updateTeam: { access: 'admin', doc: () => `mutation { updateTeam(id: "${NO_ID}", input: { name: "x" }) { id } }` },
  addTeamMember: { access: 'admin', doc: (ids) => `mutation { addTeamMember(teamId: "${NO_ID}", agentId: "${ids.agent}") { id } }` },
  removeTeamMember: { access: 'admin', doc: (ids) => `mutation { removeTeamMember(teamId: "${NO_ID}", agentId: "${ids.agent}") { id } }` },
  createApiKey: { access: 'admin', doc: () => `mutation { createApiKey(input: { name: "k", role: "reporting" }) { key } }` },
  rotateApiKey: { access: 'admin', doc: () => `mutation { rotateApiKey(id: "${NO_ID}") { key } }` },
  revokeApiKey: { access: 'admin', doc: () => `mutation { revokeApiKey(id: "${NO_ID}") }` },
  createPasswordReset: { access: 'admin', doc: () => `mutation { createPasswordReset(agentId: "${NO_ID}") { token } }` },
  updateBusinessCalendar: { access: 'admin', doc: () => `mutation { updateBusinessCalendar(input: { timeZone: "Asia/Riyadh" }) { timeZone } }` },
  createSlaPolicy: { access: 'admin', doc: () => `mutation { createSlaPolicy(input: { name: "p", firstResponse: { seconds: 600, clock: CALENDAR } }) { id } }` },
  updateSlaPolicy: { access: 'admin', doc: () => `mutation { updateSlaPolicy(id: "${NO_ID}", input: { name: "p" }) { id } }` },
  deleteSlaPolicy: { access: 'admin', doc: () => `mutation { deleteSlaPolicy(id: "${NO_ID}") }` },
  createRoutingRule: { access: 'admin', doc: () => `mutation { createRoutingRule(input: { name: "r", category: PRODUCT, phrases: ["عطر"] }) { id } }` },
  updateRoutingRule: { access: 'admin', doc: () => `mutation { updateRoutingRule(id: "${NO_ID}", input: { name: "r" }) { id } }` },
  deleteRoutingRule: { access: 'admin', doc: () => `mutation { deleteRoutingRule(id: "${NO_ID}") }` },
  updateRoutingSettings: { access: 'admin', doc: () => `mutation { updateRoutingSettings(input: { urgentPhrases: ["عاجل"] }) { urgentPhrases } }` },
  createCustomerToken: { access: 'customer-tokens:create', doc: (ids) => `mutation { createCustomerToken(customerId: "${ids.customer}") { token } }` },
  startChat: { access: 'portal', doc: () => `mutation { startChat(input: { body: "مرحبا" }) { staffed } }` },
  sendChatMessage: { access: 'portal', doc: () => `mutation { sendChatMessage(ticketId: "${NO_ID}", body: "مرحبا") { id } }` },
  chatTyping: { access: ['tickets:write', 'portal'], doc: (ids) => `mutation { chatTyping(ticketId: "${ids.ticket}") }` },
  markChatRead: { access: ['tickets:read', 'portal'], doc: (ids) => `mutation { markChatRead(ticketId: "${ids.ticket}", messageId: "${NO_ID}") { readAt } }` },
  chatReadMarks: { access: ['tickets:read', 'portal'], doc: (ids) => `{ chatReadMarks(ticketId: "${ids.ticket}") { readAt } }` },
  portalCreateTicket: { access: 'portal', doc: () => `mutation { portalCreateTicket(input: { subject: "س", body: "ب" }) { id } }` },
  portalReply: { access: 'portal', doc: (ids) => `mutation { portalReply(input: { ticketId: "${ids.ticket}", body: "شكراً" }) { id } }` },
  changePassword: { access: 'signed-in agent', doc: () => `mutation { changePassword(input: { currentPassword: "wrong-wrong", newPassword: "new-password-123" }) }` },
  setMyAvailability: { access: 'signed-in agent', doc: () => `mutation { setMyAvailability(availability: AWAY) { id } }` },
  login: { access: 'public', doc: (ids) => `mutation { login(input: { tenant: "${ids.slug}", email: "nobody@x.sa", password: "wrong" }) { accessToken } }` },
  refreshToken: { access: 'public', doc: () => `mutation { refreshToken(refreshToken: "unknown") { accessToken } }` },
  logout: { access: 'public', doc: () => `mutation { logout(refreshToken: "unknown") }` },
  answerCsatSurvey: { access: 'public', doc: () => `mutation { answerCsatSurvey(token: "unknown.token", input: { rating: 5 }) }` },
  resetPassword: { access: 'public', doc: () => `mutation { resetPassword(input: { token: "unknown", newPassword: "new-password-123" }) }` },
};

interface Ids {
  ticket: string;
  customer: string;
  agent: string;
  slug: string;
}

interface Caller {
  name: string;
  credential?: string;
  role?: Role;
  agent?: boolean;
}

function allowed(access: Access | Access[], caller: Caller): boolean {
  if (Array.isArray(access)) return access.some((one) => allowed(one, caller));
  if (access === 'public') return true;
  if (access === 'signed-in agent') return Boolean(caller.agent);
  return caller.role ? grantsOf(caller.role).includes(access) : false;
}

describe('permission matrix: every operation × every kind of caller', () => {
  let t: TestApp;
  let store: TestTenant;
  let ids: Ids;
  const callers: Caller[] = [];

  beforeAll(async () => {
    t = await TestApp.start();
    store = await t.createTenant();
    const ticket = (await t.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(1) })).createTicket;
    const password = 'matrix-password-1';
    for (const role of ['ADMIN', 'SUPERVISOR', 'AGENT']) {
      const email = `${role.toLowerCase()}@matrix.sa`;
      await t.gqlOk(store.key, `mutation { createAgent(input: { name: "${role}", email: "${email}", role: ${role}, password: "${password}" }) { id } }`);
      const session = await t.gqlOk(undefined as never, `mutation { login(input: { tenant: "${store.slug}", email: "${email}", password: "${password}" }) { accessToken } }`);
      callers.push({ name: `${role.toLowerCase()} (signed in)`, credential: session.login.accessToken, role: role.toLowerCase() as Role, agent: true });
    }
    for (const role of ['admin', 'agent', 'integration', 'reporting'] as Role[]) {
      callers.push({ name: `${role} key`, credential: await t.createKey(store.id, role), role });
    }
    const customerToken = await t.gqlOk(store.key, `mutation($c: ID!) { createCustomerToken(customerId: $c) { token } }`, { c: ticket.customer.id });
    callers.push({ name: 'customer token', credential: customerToken.createCustomerToken.token, role: 'customer' });
    callers.push({ name: 'no credentials' });
    const agentId = (await t.gqlOk(store.key, `{ agents { id } }`)).agents[0].id;
    ids = { ticket: ticket.id, customer: ticket.customer.id, agent: agentId, slug: store.slug };
  });
  afterAll(() => t.close());

  it('lists every query and mutation of the schema', () => {
    const { schema } = t.app.get(GraphQLSchemaHost);
    const operations = [...Object.keys(schema.getQueryType()!.getFields()), ...Object.keys(schema.getMutationType()!.getFields())];
    expect(operations.filter((op) => !OPERATIONS[op])).toEqual([]);
    expect(Object.keys(OPERATIONS).filter((op) => !operations.includes(op))).toEqual([]);
  });

  it('allows and denies exactly as the role grants say', async () => {
    const mismatches: string[] = [];
    for (const [operation, { access, doc }] of Object.entries(OPERATIONS)) {
      for (const caller of callers) {
        const res = await t.gql(caller.credential, doc(ids));
        const error = res.errors?.[0];
        const code = error?.extensions.code;
        const refusedByGuard = code === 'FORBIDDEN' || (code === 'UNAUTHENTICATED' && /Credentials are required/.test(error!.message));
        const expectAllowed = allowed(access, caller);
        if (expectAllowed && refusedByGuard) mismatches.push(`${caller.name} should be allowed ${operation}: ${error!.message}`);
        if (!expectAllowed) {
          const expected = caller.credential ? 'FORBIDDEN' : 'UNAUTHENTICATED';
          if (code !== expected) mismatches.push(`${caller.name} should get ${expected} on ${operation}, got ${code ?? 'success'}`);
        }
        if (code === 'INTERNAL_SERVER_ERROR') mismatches.push(`${caller.name} → ${operation}: internal error`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
