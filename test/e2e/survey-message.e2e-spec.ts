import type { Browser } from 'playwright-core';
import { DataSource } from 'typeorm';
import { metaSignature } from '../../src/channels/messaging/platform-signatures';
import { FakeGraphApi } from '../fakes/meta-graph-api';
import { waContact, waText, waWebhook, wamid } from '../fakes/whatsapp-payloads';
import { launchBrowser, recordForeignRequests } from './helpers/browser';
import { TestSmtpServer } from './helpers/mail-servers';
import { freePort } from './helpers/ports';
import { CREATE_TICKET, eventuallyPasses, TestApp, TestTenant, UPDATE_TICKET } from './helpers/test-app';

const TOKEN = 'EAAG-survey-message-token';
const APP_SECRET = 'survey-message-app-secret';
const PHONE_NUMBER_ID = '106540352247777';
const SETTINGS = `mutation($input: UpdateStoreSettingsInput!) { updateStoreSettings(input: $input) { csatAfterSolveMinutes csatAfterSolveMessage csatAfterSolveMessageEn } }`;
const TICKET = `query($id: ID!) { ticket(id: $id) { status tags messages { body authorType internal channel deliveryStatus } csatSurvey { id rating answeredAt } } }`;

/** Solving a ticket sends the survey link on its channel, by itself, once. */
describe('the survey message after a solve', () => {
  let t: TestApp;
  let fake: FakeGraphApi;
  let smtp: TestSmtpServer;
  let store: TestTenant;
  let db: DataSource;
  let base: string;
  let webhookPath: string;
  let browser: Browser;
  let n = 0;

  beforeAll(async () => {
    fake = await FakeGraphApi.start();
    fake.tokens.add(TOKEN);
    smtp = await TestSmtpServer.start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await TestApp.start({ WHATSAPP_API_BASE_URL: fake.baseUrl, CHANNEL_RETRY_DELAY_SECONDS: '1', PUBLIC_URL: base });
    db = t.app.get(DataSource);
    store = await t.createTenant('متجر الورد');
    webhookPath = (
      await t.gqlOk(store.key, `mutation($input: ConnectWhatsAppInput!) { connectWhatsApp(input: $input) { webhookPath } }`, {
        input: { phoneNumberId: PHONE_NUMBER_ID, displayPhoneNumber: '+966 11 234 7777', accessToken: TOKEN, appSecret: APP_SECRET, verifyToken: 'verify-survey' },
      })
    ).connectWhatsApp.webhookPath;
    // Mail goes out by SMTP to the test server (IMAP is not read in this test).
    await t.gqlOk(store.key, `mutation($input: CreateMailboxInput!) { createMailbox(input: $input) { id } }`, {
      input: {
        name: 'دعم متجر الورد',
        address: 'support@alward.test',
        imapHost: '127.0.0.1',
        imapPort: 1,
        imapSecurity: 'NONE',
        imapUser: 'support',
        imapPassword: 'unused',
        smtpHost: '127.0.0.1',
        smtpPort: smtp.port,
        smtpSecurity: 'NONE',
        smtpUser: 'relay',
        smtpPassword: 'smtp-password-1',
        autoAcknowledge: 'OFF',
      },
    });
    // At once, so that the test need not wait the default hour.
    await t.gqlOk(store.key, SETTINGS, { input: { csatAfterSolveMinutes: 0 } });
    await t.app.listen({ port, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
    await fake.stop();
    await smtp?.stop();
  });

  /** A customer writes on WhatsApp; returns their ticket. */
  async function whatsAppTicket(body = 'السلام عليكم، متى يوصل طلبي رقم 4512؟', name = 'نورة') {
    n += 1;
    const from = `96650777${String(n).padStart(4, '0')}`;
    const id = wamid();
    const raw = JSON.stringify(waWebhook({ phoneNumberId: PHONE_NUMBER_ID }, { contacts: [waContact(from, name)], messages: [waText(from, body, { id })] }));
    expect((await t.http.post(webhookPath).set('content-type', 'application/json').set('x-hub-signature-256', metaSignature(raw, APP_SECRET)).send(raw)).status).toBe(200);
    const [row] = await db.query(`SELECT ticket_id FROM messages WHERE external_id = $1`, [id]);
    return { id: row.ticket_id as string, to: from };
  }

  const solve = (id: string) => t.gqlOk(store.key, UPDATE_TICKET, { id, input: { status: 'SOLVED' } });
  const sentTo = (to: string) => fake.sent((r) => r.body?.to === to);
  const linkIn = (text: string) => text.match(/https?:\/\/\S+\/survey\/[\w.-]+/)?.[0];

  it('reaches the customer on WhatsApp with a link whose page records a tap and thanks them, in Arabic', async () => {
    const { id, to } = await whatsAppTicket();
    await solve(id);
    await eventuallyPasses(() => expect(sentTo(to)).toHaveLength(1));
    const [sent] = sentTo(to);
    expect(sent.body).toMatchObject({ type: 'text', text: { body: expect.stringContaining('مرحباً نورة') } });
    const link = linkIn(sent.body.text.body)!;
    expect(link.startsWith(`${base}/survey/`)).toBe(true);
    const view = (await t.gqlOk(store.key, TICKET, { id })).ticket;
    expect(view.status).toBe('SOLVED');
    expect(view.messages.at(-1)).toMatchObject({ authorType: 'SYSTEM', internal: false, channel: 'WHATSAPP', body: expect.stringContaining(link) });

    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
    const page = await context.newPage();
    const foreign = recordForeignRequests(page);
    await page.goto(link);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    await page.getByRole('button', { name: /جيد/ }).first().click();
    await expect(page.locator('[role=status]').textContent()).resolves.toContain('وصلنا تقييمك');
    expect(foreign).toEqual([]);
    await context.close();
    expect((await t.gqlOk(store.key, TICKET, { id })).ticket.csatSurvey.rating).toBe(4);
  });

  it('reaches an email customer by mail, with the link to the survey page', async () => {
    const ticket = (
      await t.gqlOk(store.key, CREATE_TICKET, { input: { subject: 'استفسار عن الاسترجاع', body: 'كيف أرجع المنتج؟', channel: 'EMAIL', customer: { email: 'huda@customer.test', name: 'هدى' } } })
    ).createTicket;
    await solve(ticket.id);
    await eventuallyPasses(() => expect(smtp.received.filter((m) => m.envelopeTo.includes('huda@customer.test'))).toHaveLength(1), 15_000);
    const mail = smtp.received.find((m) => m.envelopeTo.includes('huda@customer.test'))!.mail;
    expect(mail.text).toContain('مرحباً هدى');
    const link = linkIn(mail.text ?? '')!;
    const page = await t.http.get(new URL(link).pathname);
    expect(page.status).toBe(200);
    expect(page.text).toContain('استفسار عن الاسترجاع');
  });

  it('writes in English to a customer who wrote in English', async () => {
    const { id, to } = await whatsAppTicket('Hi, where is my order 4513?', 'Sarah');
    await solve(id);
    await eventuallyPasses(() => expect(sentTo(to)).toHaveLength(1));
    expect(sentTo(to)[0].body.text.body).toMatch(/^Hello Sarah, how did we do with your request #\d+\? Rate us with one tap: http/);
  });

  it('goes once per ticket: a reopened and solved-again ticket gets no second message', async () => {
    const { id, to } = await whatsAppTicket();
    await solve(id);
    await eventuallyPasses(() => expect(sentTo(to)).toHaveLength(1));
    await t.gqlOk(store.key, UPDATE_TICKET, { id, input: { status: 'OPEN' } });
    await solve(id);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(sentTo(to)).toHaveLength(1);
  });

  it('sends nothing for spam, self-served or merged tickets, nor when the store switched it off', async () => {
    const spam = await whatsAppTicket('ربح سريع اضغط هنا');
    await t.gqlOk(store.key, UPDATE_TICKET, { id: spam.id, input: { status: 'SOLVED', tags: ['spam'] } });
    const selfServed = await whatsAppTicket('وين طلبي');
    await t.gqlOk(store.key, UPDATE_TICKET, { id: selfServed.id, input: { status: 'SOLVED', tags: ['self-served'] } });
    const source = await whatsAppTicket('طلب مكرر');
    const target = await whatsAppTicket('الطلب الأصلي');
    await t.gqlOk(store.key, `mutation($s: ID!, $t: ID!) { mergeTickets(sourceId: $s, targetId: $t) { id } }`, { s: source.id, t: target.id });
    await t.gqlOk(store.key, SETTINGS, { input: { csatAfterSolveMinutes: null } });
    const off = await whatsAppTicket('سؤال آخر');
    await solve(off.id);
    await t.gqlOk(store.key, SETTINGS, { input: { csatAfterSolveMinutes: 0 } });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    for (const { to } of [spam, selfServed, source, off]) expect(sentTo(to)).toHaveLength(0);
    // The merged ticket's source is closed; its target, once solved, gets its own message.
    await solve(target.id);
    await eventuallyPasses(() => expect(sentTo(target.to)).toHaveLength(1));
  });

  it('waits the store delay (default an hour) as a durable job', async () => {
    await t.gqlOk(store.key, SETTINGS, { input: { csatAfterSolveMinutes: 60 } });
    const { id, to } = await whatsAppTicket();
    await solve(id);
    const [job] = await db.query(`SELECT start_after FROM pgboss.job WHERE name = 'csat-after-solve' AND data->>'tenantId' = $1 ORDER BY created_on DESC LIMIT 1`, [store.id]);
    const minutes = (new Date(job.start_after).getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(59);
    expect(minutes).toBeLessThanOrEqual(60);
    expect(sentTo(to)).toHaveLength(0);
    await t.gqlOk(store.key, SETTINGS, { input: { csatAfterSolveMinutes: 0 } });
  });

  it("goes as the store's approved template once the 24-hour window has closed, the link as a parameter", async () => {
    const settings = await t.gql(store.key, `mutation($input: UpdateStoreSettingsInput!) { updateStoreSettings(input: $input) { whatsappTemplates { kind name } } }`, {
      input: { whatsappTemplates: [{ kind: 'SOLVED_CSAT', name: 'survey_after_solve', language: 'ar', parameters: ['customer.name', 'ticket.number', 'survey.link'] }] },
    });
    expect(settings.errors).toBeUndefined();
    const { id, to } = await whatsAppTicket();
    await db.query(`UPDATE tickets SET last_customer_message_at = now() - interval '2 days' WHERE id = $1`, [id]);
    await db.query(`UPDATE messages SET created_at = now() - interval '2 days' WHERE ticket_id = $1`, [id]);
    await solve(id);
    await eventuallyPasses(() => expect(sentTo(to)).toHaveLength(1));
    const [sent] = sentTo(to);
    expect(sent.body).toMatchObject({ type: 'template', template: { name: 'survey_after_solve', language: { code: 'ar' } } });
    const parameters = sent.body.template.components[0].parameters.map((p: { text: string }) => p.text);
    expect(parameters[0]).toBe('نورة');
    expect(linkIn(parameters[2])).toBeDefined();
  });

  it('refuses a survey message without its link or with an unknown placeholder', async () => {
    const wrong = await t.gql(store.key, SETTINGS, { input: { csatAfterSolveMessage: 'شكراً {{customer.name}}', csatAfterSolveMessageEn: 'Rate {{order.id}} {{survey.link}}' } });
    expect(wrong.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: { csatAfterSolveMessage: ['must contain {{survey.link}}'], csatAfterSolveMessageEn: [expect.stringContaining('unknown placeholder {{order.id}}')] },
    });
  });

  it('in live chat the message appears in the conversation (the widget shows it)', async () => {
    const chat = (await t.gqlOk(store.key, CREATE_TICKET, { input: { subject: 'محادثة', body: 'هل المقاس L متوفر؟', channel: 'CHAT', customer: { email: 'chat-survey@x.sa', name: 'ريم' } } }))
      .createTicket;
    await solve(chat.id);
    await eventuallyPasses(async () => {
      const messages = (await t.gqlOk(store.key, TICKET, { id: chat.id })).ticket.messages;
      expect(messages.at(-1)).toMatchObject({ authorType: 'SYSTEM', internal: false, channel: 'CHAT', body: expect.stringContaining(`${base}/survey/`) });
    });
  });
});
