import { DataSource } from 'typeorm';
import { listenForSockets, LiveSubscription, subscribe, until } from './helpers/live';
import { ADD_MESSAGE, arabicTicket, CREATE_TICKET, openAllWeek, TestApp, TestTenant } from './helpers/test-app';

const START = `mutation($input: StartChatInput!) { startChat(input: $input) { staffed expectedReplyAt ticket { id number channel status } } }`;
const SEND = `mutation($t: ID!, $body: String!) { sendChatMessage(ticketId: $t, body: $body) { id status } }`;
const MESSAGES = `subscription($ticketId: ID!) { ticketMessages(ticketId: $ticketId) { body authorType internal } }`;
const PORTAL = `query($id: ID!) { portalTicket(id: $id) { channel messages { authorType body } } }`;

describe('live chat', () => {
  let t: TestApp;
  let store: TestTenant;
  let url: string;
  const live: LiveSubscription<any>[] = [];

  beforeAll(async () => {
    t = await TestApp.start();
    url = await listenForSockets(t);
    store = await t.createTenant();
    await openAllWeek(t, store.key);
  });
  afterAll(async () => {
    await Promise.all(live.map((s) => s.client.dispose()));
    await t.close();
  });

  async function customerToken(n: number) {
    const seed = (await t.gqlOk(store.key, CREATE_TICKET, { input: arabicTicket(n, { customer: { email: `chat${n}@example.sa`, name: 'مها' } }) })).createTicket;
    await t.gqlOk(store.key, `mutation($id: ID!) { updateTicket(id: $id, input: { status: SOLVED }) { id } }`, { id: seed.id }).catch(() => undefined);
    return (await t.gqlOk(store.key, `mutation($c: ID!) { createCustomerToken(customerId: $c) { token } }`, { c: seed.customer.id })).createCustomerToken.token as string;
  }

  it('with nobody online, leaves the chat as a message and tells the customer when to expect the reply', async () => {
    const token = await customerToken(1);
    const started = (await t.gqlOk(token, START, { input: { body: 'مرحبا، أبغى أعرف هل المقاس L متوفر باللون الأسود؟' } })).startChat;
    expect(started).toMatchObject({ staffed: false, ticket: { channel: 'WEB_FORM', status: 'NEW' } });
    expect(new Date(started.expectedReplyAt).getTime()).toBeGreaterThan(Date.now());

    const { portalTicket } = await t.gqlOk(token, PORTAL, { id: started.ticket.id });
    expect(portalTicket.messages.map((m: any) => m.authorType)).toEqual(['CUSTOMER', 'SYSTEM']);
    expect(portalTicket.messages[1].body).toMatch(new RegExp(`^لا يوجد موظف متاح للمحادثة الآن، وقد استلمنا رسالتك برقم #${started.ticket.number}\\. سنرد عليك قبل `));
  });

  it("with nobody online, a chat that joins the customer's open conversation still tells them when to expect the reply, and leaves its channel alone", async () => {
    // Joined to an email conversation: it stays an email ticket, the customer hears when to expect the answer.
    const email = (
      await t.gqlOk(store.key, CREATE_TICKET, { input: { subject: 'تأخر الشحنة', body: 'الشحنة متأخرة', channel: 'EMAIL', category: 'SHIPPING', customer: { email: 'offline-joined@example.sa' } } })
    ).createTicket;
    const token = (await t.gqlOk(store.key, `mutation($c: ID!) { createCustomerToken(customerId: $c) { token } }`, { c: email.customer.id })).createCustomerToken.token;
    const joined = (await t.gqlOk(token, START, { input: { body: 'متى توصل الشحنة؟ الشحن متأخر' } })).startChat;
    expect(joined).toMatchObject({ staffed: false, ticket: { id: email.id, channel: 'EMAIL' } });
    expect(new Date(joined.expectedReplyAt).getTime()).toBeGreaterThan(Date.now());
    const onEmail = (await t.gqlOk(token, PORTAL, { id: email.id })).portalTicket;
    expect(onEmail.channel).toBe('EMAIL');
    expect(onEmail.messages.map((m: any) => m.authorType)).toEqual(['CUSTOMER', 'CUSTOMER', 'SYSTEM']);
    expect(onEmail.messages[2].body).toMatch(new RegExp(`^لا يوجد موظف متاح للمحادثة الآن، وقد أضفنا رسالتك إلى طلبك السابق رقم #${email.number}\\. سنرد عليك قبل `));

    // Trying the chat again after leaving a message: joins that message, told again, still a web form.
    const again = await customerToken(4);
    const first = (await t.gqlOk(again, START, { input: { body: 'هل المقاس L متوفر باللون الأسود؟' } })).startChat;
    expect(first).toMatchObject({ staffed: false, ticket: { channel: 'WEB_FORM' } });
    const second = (await t.gqlOk(again, START, { input: { body: 'هل المقاس L متوفر باللون الأسود؟' } })).startChat;
    expect(second).toMatchObject({ staffed: false, ticket: { id: first.ticket.id, channel: 'WEB_FORM' } });
    expect(new Date(second.expectedReplyAt).getTime()).toBeGreaterThan(Date.now());
    const messages = (await t.gqlOk(again, PORTAL, { id: first.ticket.id })).portalTicket.messages;
    expect(messages.map((m: any) => m.authorType)).toEqual(['CUSTOMER', 'SYSTEM', 'CUSTOMER', 'SYSTEM']);
    expect(messages[3].body).toMatch(/^لا يوجد موظف متاح للمحادثة الآن/);
  });

  it('with an agent online, carries the conversation both ways in real time', async () => {
    const agent = (await t.gqlOk(store.key, `mutation { createAgent(input: { name: "خالد", email: "khaled@store.sa", role: AGENT }) { id } }`)).createAgent;
    await t.gqlOk(store.key, `mutation($id: ID!) { updateAgent(id: $id, input: { availability: ONLINE }) { id } }`, { id: agent.id });
    const token = await customerToken(2);
    const started = (await t.gqlOk(token, START, { input: { body: 'السلام عليكم، عندي سؤال عن الدفع بتمارا' } })).startChat;
    expect(started).toMatchObject({ staffed: true, ticket: { channel: 'CHAT' } });
    const fiveMinutes = Date.now() + 5 * 60_000;
    expect(Math.abs(new Date(started.expectedReplyAt).getTime() - fiveMinutes)).toBeLessThan(60_000);

    const customerSide = subscribe(url, token, MESSAGES, { ticketId: started.ticket.id });
    const agentSide = subscribe(url, store.key, MESSAGES, { ticketId: started.ticket.id });
    live.push(customerSide, agentSide);
    await Promise.all([customerSide.ready, agentSide.ready]);

    await t.gqlOk(store.key, ADD_MESSAGE, { input: { ticketId: started.ticket.id, body: 'تحويل لقسم المدفوعات', authorType: 'AGENT', internal: true } });
    await t.gqlOk(store.key, ADD_MESSAGE, { input: { ticketId: started.ticket.id, body: 'وعليكم السلام، أكيد! تمارا متاحة لكل الطلبات فوق 100 ريال', authorType: 'AGENT', internal: false } });
    await t.gqlOk(token, SEND, { t: started.ticket.id, body: 'ممتاز، شكراً 🌷' });

    await until(() => customerSide.received.length >= 2 && agentSide.received.length >= 3);
    expect(customerSide.received).toEqual([
      { body: 'وعليكم السلام، أكيد! تمارا متاحة لكل الطلبات فوق 100 ريال', authorType: 'AGENT', internal: false },
      { body: 'ممتاز، شكراً 🌷', authorType: 'CUSTOMER', internal: false },
    ]);
    expect(agentSide.received.map((m) => m.internal)).toEqual([true, false, false]);

    const someoneElse = await customerToken(3);
    const refused = await t.gql(someoneElse, SEND, { t: started.ticket.id, body: 'مرحبا' });
    expect(refused.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const blank = await t.gql(token, SEND, { t: started.ticket.id, body: '   ' });
    expect(blank.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("joins the customer's open conversation on another channel, and says whether someone is online", async () => {
    const email = (
      await t.gqlOk(store.key, CREATE_TICKET, { input: { subject: 'تأخر الشحنة', body: 'الشحنة متأخرة', channel: 'EMAIL', category: 'SHIPPING', customer: { email: 'joined@example.sa' } } })
    ).createTicket;
    const token = (await t.gqlOk(store.key, `mutation($c: ID!) { createCustomerToken(customerId: $c) { token } }`, { c: email.customer.id })).createCustomerToken.token;
    const started = (await t.gqlOk(token, START, { input: { body: 'متى توصل الشحنة؟ الشحن متأخر' } })).startChat;
    expect(started).toMatchObject({ staffed: true, ticket: { id: email.id, channel: 'EMAIL' } }); // the agent of the previous test is online
  });

  it('shows typing and read marks to the other side as they happen, and keeps how far each side has read', async () => {
    const token = await customerToken(4);
    const started = (await t.gqlOk(token, START, { input: { body: 'هل يوجد خصم على الطلب الثاني؟' } })).startChat;
    const ticketId = started.ticket.id;
    const ACTIVITY = `subscription($t: ID!) { chatActivity(ticketId: $t) { ticketId kind by messageId } }`;
    const customerSide = subscribe(url, token, ACTIVITY, { t: ticketId });
    const agentSide = subscribe(url, store.key, ACTIVITY, { t: ticketId });
    const stranger = subscribe(url, await customerToken(5), ACTIVITY, { t: ticketId });
    live.push(customerSide, agentSide, stranger);
    await Promise.all([customerSide.ready, agentSide.ready, stranger.ready]);

    expect((await t.gqlOk(store.key, `mutation($t: ID!) { chatTyping(ticketId: $t) }`, { t: ticketId })).chatTyping).toBe(true);
    await until(() => customerSide.received.length >= 1);
    expect(customerSide.received[0]).toEqual({ ticketId, kind: 'TYPING', by: 'AGENT', messageId: null });

    const reply = (await t.gqlOk(store.key, ADD_MESSAGE, { input: { ticketId, body: 'نعم، خصم ١٠٪ على الطلب الثاني', authorType: 'AGENT', internal: false } })).addMessage.message;
    const READ = `mutation($t: ID!, $m: ID!) { markChatRead(ticketId: $t, messageId: $m) { reader messageId } }`;
    expect((await t.gqlOk(token, READ, { t: ticketId, m: reply.id })).markChatRead).toEqual({ reader: 'CUSTOMER', messageId: reply.id });
    await until(() => agentSide.received.some((a) => a.kind === 'READ'));
    expect(agentSide.received.find((a) => a.kind === 'READ')).toEqual({ ticketId, kind: 'READ', by: 'CUSTOMER', messageId: reply.id });

    // An older message does not move the mark back; the marks are there for a window opened later.
    const first = (await t.gqlOk(token, PORTAL, { id: ticketId })).portalTicket.messages.length;
    expect(first).toBeGreaterThan(1);
    const [oldest] = await t.app.get(DataSource).query(`SELECT id FROM messages WHERE ticket_id = $1 ORDER BY created_at LIMIT 1`, [ticketId]);
    expect((await t.gqlOk(token, READ, { t: ticketId, m: oldest.id })).markChatRead.messageId).toBe(reply.id);
    expect((await t.gqlOk(store.key, `query($t: ID!) { chatReadMarks(ticketId: $t) { reader messageId } }`, { t: ticketId })).chatReadMarks).toEqual([{ reader: 'CUSTOMER', messageId: reply.id }]);

    // Another customer neither hears this conversation nor can mark it.
    expect(stranger.received).toEqual([]);
    await until(() => stranger.errors.length > 0);
    expect(JSON.stringify(stranger.errors)).toMatch(/NOT_FOUND/);
    const other = await customerToken(6);
    expect((await t.gql(other, `mutation($t: ID!) { chatTyping(ticketId: $t) }`, { t: ticketId })).errors?.[0].extensions.code).toBe('NOT_FOUND');
  });
});
