import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { formatWhen, TEXTS } from '../../widget/src/texts';
import { launchBrowser, recordForeignRequests, seriousAccessibilityViolations } from './helpers/browser';
import { listenForSockets } from './helpers/live';
import { ADD_MESSAGE, eventuallyPasses, openAllWeek, TestApp, TestTenant } from './helpers/test-app';

const CREATE_CHANNEL = `mutation($input: CreateChatChannelInput!) {
  createChatChannel(input: $input) { identitySecret channel { id name allowedOrigins identityVerification askName askEmail askPhone active } } }`;
const SESSIONS_PER_MINUTE = 25;

/** A store's site on 127.0.0.1: every page embeds the widget with the one documented line. */
function storefront(script: (query: URLSearchParams) => string): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/favicon.ico') return void response.writeHead(204).end();
    const lang = url.searchParams.get('lang') ?? 'ar';
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>متجر الورد</title>
      <style>* { color: red !important; font-size: 40px !important; } div { display: none !important; }</style></head>
      <body><main><h1>متجر الورد — ورد طبيعي</h1><p>باقات ورد طبيعي بتوصيل في نفس اليوم داخل الرياض.</p></main>
      ${script(url.searchParams)}</body></html>`);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

describe('storefront chat widget (in a real browser)', () => {
  let t: TestApp;
  let store: TestTenant;
  let api: string;
  let shop: { server: Server; origin: string };
  let elsewhere: { server: Server; origin: string };
  let channel: { id: string };
  let secret: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  const scriptLine = (query: URLSearchParams) => {
    const extra = [...query.entries()].filter(([name]) => name.startsWith('data-')).map(([name, value]) => ` ${name}="${value}"`);
    return `<script src="${api}/widget.js" data-channel="${query.get('channel') ?? channel.id}"${extra.join('')} defer></script>`;
  };

  beforeAll(async () => {
    execFileSync(process.execPath, ['widget/build.mjs'], { cwd: `${__dirname}/../..` });
    t = await TestApp.start({ WIDGET_SESSIONS_PER_MINUTE: String(SESSIONS_PER_MINUTE) });
    api = (await listenForSockets(t)).replace(/^ws/, 'http').replace(/\/graphql$/, '');
    store = await t.createTenant('متجر الورد');
    await openAllWeek(t, store.key);
    shop = await storefront(scriptLine);
    elsewhere = await storefront(scriptLine);
    const created = (await t.gqlOk(store.key, CREATE_CHANNEL, { input: { name: 'متجر الورد', allowedOrigins: [`${shop.origin}/`], identityVerification: true, askPhone: true } })).createChatChannel;
    expect(created.channel).toMatchObject({ allowedOrigins: [shop.origin], identityVerification: true, askName: true, askEmail: true, askPhone: true, active: true });
    expect(created.identitySecret).toMatch(/^[0-9a-f]{64}$/);
    channel = created.channel;
    secret = created.identitySecret;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    shop?.server.close();
    elsewhere?.server.close();
    await t?.close();
  });

  async function newPage(): Promise<{ page: Page; foreign: string[]; context: BrowserContext }> {
    const context = await browser.newContext({ viewport: { width: 1000, height: 720 } });
    contexts.push(context);
    const page = await context.newPage();
    return { page, foreign: recordForeignRequests(page), context };
  }

  const session = (origin: string | undefined, body: Record<string, unknown>) => {
    const req = t.http.post('/api/v1/widget/sessions').set('content-type', 'application/json');
    if (origin) req.set('origin', origin);
    return req.send({ channel: channel.id, ...body });
  };

  it('serves widget.js with cache headers, under 30 kB gzipped', async () => {
    const script = await t.http.get('/widget.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.headers['cache-control']).toMatch(/public, max-age=\d+/);
    const body = Buffer.from(script.text);
    expect(gzipSync(body).length).toBeLessThanOrEqual(30 * 1024);
    const again = await t.http.get('/widget.js').set('if-none-match', script.headers.etag);
    expect(again.status).toBe(304);
  });

  it('opens sessions only for allowed origins, and signed identities only with the right signature', async () => {
    expect((await session(elsewhere.origin, {})).body.error.code).toBe('FORBIDDEN');
    expect((await session(undefined, {})).status).toBe(403);
    expect((await session(shop.origin, { channel: '00000000-0000-4000-8000-000000000000' })).body.error.code).toBe('NOT_FOUND');
    // A caller's mistakes are coded 400s, never a 5xx.
    for (const wrong of [{ channel: 'not-an-id' }, { token: 42 }, { customerId: ['a'] }, { extra: true }]) {
      const answer = await session(shop.origin, wrong);
      expect([answer.status, answer.body.error.code]).toEqual([400, 'BAD_USER_INPUT']);
    }

    const sign = (id: string, key = secret) => createHmac('sha256', key).update(id).digest('hex');
    expect((await session(shop.origin, { customerId: 'salla-1001' })).body.error.code).toBe('FORBIDDEN');
    expect((await session(shop.origin, { customerId: 'salla-1001', signature: sign('salla-1002') })).body.error.code).toBe('FORBIDDEN');
    expect((await session(shop.origin, { customerId: 'salla-1001', signature: sign('salla-1001', 'a'.repeat(64)) })).body.error.code).toBe('FORBIDDEN');
    expect((await session(shop.origin, { customerId: 'salla-1001', signature: 'not hex' })).body.error.code).toBe('FORBIDDEN');

    const signed = await session(shop.origin, { customerId: 'salla-1001', signature: sign('salla-1001') });
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ identified: true, channel: { name: 'متجر الورد', askName: true, askEmail: true, askPhone: true }, staffed: false });
    const identities = await t.app.get(DataSource).query(`SELECT kind, value FROM customer_identities WHERE customer_id = $1`, [signed.body.visitorId]);
    expect(identities).toEqual([{ kind: 'EXTERNAL', value: 'salla-1001' }]);
    // The same shopper signed again, as another integration knows them: one customer.
    expect((await session(shop.origin, { customerId: 'salla-1001', signature: sign('salla-1001').toUpperCase() })).body.visitorId).toBe(signed.body.visitorId);

    // An anonymous visitor gets a customer of their own; a renewal keeps it.
    const visitor = (await session(shop.origin, {})).body;
    expect(visitor).toMatchObject({ identified: false, staffed: false });
    expect(visitor.visitorId).not.toBe(signed.body.visitorId);
    expect((await session(shop.origin, { token: visitor.token })).body.visitorId).toBe(visitor.visitorId);
    // Another store's token is not renewed into this one: a new visitor.
    const other = await t.createTenant('متجر آخر');
    const theirs = (await t.gqlOk(other.key, `mutation { createCustomerToken(customerId: "${await customerOf(other)}") { token } }`)).createCustomerToken.token;
    expect((await session(shop.origin, { token: theirs })).body.visitorId).not.toBe(visitor.visitorId);

    // Browsers may call the API from the store's site (bearer tokens, no cookies).
    const preflight = await t.http.options('/graphql').set('origin', shop.origin).set('access-control-request-method', 'POST').set('access-control-request-headers', 'authorization,content-type');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(shop.origin);
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
  });

  async function customerOf(tenant: TestTenant): Promise<string> {
    const ticket = await t.gqlOk(tenant.key, `mutation { createTicket(input: { subject: "س", body: "سؤال", customer: { email: "x@other.sa" } }) { customer { id } } }`);
    return ticket.createTicket.customer.id;
  }

  it('with nobody online, shows "leave a message" with the expected reply time; the message becomes a ticket', async () => {
    const { page, foreign } = await newPage();
    const sessionAnswer = page.waitForResponse((r) => r.url().endsWith('/api/v1/widget/sessions'));
    await page.goto(`${shop.origin}/?lang=en`);
    const { expectedReplyAt, staffed } = await (await sessionAnswer).json();
    expect(staffed).toBe(false);
    await page.getByRole('button', { name: 'Chat with us' }).click();
    const notice = page.locator('.notice');
    await expect(notice.textContent()).resolves.toBe(`No one is available right now. Leave a message and we will reply by ${formatWhen(expectedReplyAt, TEXTS.en)}.`);
    await expect(page.locator('h2').textContent()).resolves.toBe('متجر الورد — Leave a message');

    await page.getByLabel('Name (optional)').fill('Sara');
    await page.getByLabel('Email (optional)').fill('sara@example.com');
    await page.getByPlaceholder('Write your message…').fill('Do you deliver to Jeddah?');
    await page.getByRole('button', { name: 'Leave a message' }).click();
    await page.locator('.msg.system').waitFor();
    await expect(page.locator('.msg.system').textContent()).resolves.toMatch(/^No one is available to chat right now; we received your message as #\d+/);

    const [ticket] = await t.app.get(DataSource).query(
      `SELECT t.channel, t.tags, c.name, (SELECT count(*)::int FROM customer_identities i WHERE i.customer_id = c.id) AS identities,
              (SELECT body FROM messages m WHERE m.ticket_id = t.id AND m.internal) AS note
         FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.subject = 'Do you deliver to Jeddah?'`,
    );
    // The typed email is a note for the agent, not an identity: nothing proves the visitor owns it.
    expect(ticket).toMatchObject({ channel: 'WEB_FORM', tags: ['leave-a-message'], name: 'Sara', identities: 0 });
    expect(ticket.note).toContain('sara@example.com');
    expect(foreign).toEqual([]);
  });

  it('carries a conversation live in Arabic: the agent answers through GraphQL and the answer shows within 2 s; a reload and a new tab continue it', async () => {
    const agent = (await t.gqlOk(store.key, `mutation { createAgent(input: { name: "خالد", email: "khaled@rose.sa", role: AGENT }) { id } }`)).createAgent;
    await t.gqlOk(store.key, `mutation($id: ID!) { updateAgent(id: $id, input: { availability: ONLINE }) { id } }`, { id: agent.id });
    const { page, foreign, context } = await newPage();
    await page.goto(`${shop.origin}/`);
    const launcher = page.getByRole('button', { name: 'تحدث معنا' });
    await launcher.click();
    await expect(page.locator('.root').getAttribute('dir')).resolves.toBe('rtl');
    await expect(page.locator('.status').textContent()).resolves.toMatch(/^نرد عادةً قبل /);

    await page.getByPlaceholder('اكتب رسالتك…').fill('السلام عليكم، هل عندكم باقة ورد جوري أحمر للتوصيل اليوم؟');
    await page.getByRole('button', { name: 'إرسال' }).click();
    await page.locator('.msg.me').waitFor();
    const [chat] = await t.app.get(DataSource).query(`SELECT id, channel FROM tickets WHERE subject LIKE 'السلام عليكم، هل عندكم باقة%'`);
    expect(chat.channel).toBe('CHAT');

    const answer = 'وعليكم السلام! نعم، باقة الجوري الأحمر متوفرة ونوصلها اليوم قبل الساعة 9 مساءً';
    await new Promise((resolve) => setTimeout(resolve, 300)); // the widget's subscription is running
    const sentAt = Date.now();
    await t.gqlOk(store.key, ADD_MESSAGE, { input: { ticketId: chat.id, body: answer, authorType: 'AGENT', internal: false } });
    await page.locator('.msg.them', { hasText: answer }).waitFor({ timeout: 2000 });
    expect(Date.now() - sentAt).toBeLessThan(2000);
    await t.gqlOk(store.key, ADD_MESSAGE, { input: { ticketId: chat.id, body: 'ملاحظة داخلية: العميل VIP', authorType: 'AGENT', internal: true } });
    // Typing and read marks: the agent's typing shows; the open panel marks the answer read.
    await t.gqlOk(store.key, `mutation($t: ID!) { chatTyping(ticketId: $t) }`, { t: chat.id });
    await page.locator('.meta', { hasText: 'يكتب…' }).waitFor({ timeout: 2000 });
    await eventuallyPasses(async () => {
      const marks = (await t.gqlOk(store.key, `query($t: ID!) { chatReadMarks(ticketId: $t) { reader messageId } }`, { t: chat.id })).chatReadMarks;
      expect(marks.map((m: { reader: string }) => m.reader)).toContain('CUSTOMER');
    }, 3000);

    // The widget inside the page: right to left, on the inline end (the left in Arabic), untouched by the page's CSS.
    const box = (await page.locator('.panel').boundingBox())!;
    expect(box.x).toBeLessThan(500);
    await expect(
      page.locator('.msg.them').evaluate((el) => {
        const style = (globalThis as any).getComputedStyle(el);
        return [style.display, style.fontSize];
      }),
    ).resolves.toEqual(['block', '15px']);
    const shot = await page.screenshot({ clip: { x: 0, y: 50, width: 420, height: 670 } });
    expect(shot.subarray(1, 4).toString()).toBe('PNG');
    // The README's picture: written when asked for, so a test run leaves the working tree alone.
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      mkdirSync(`${__dirname}/../../docs/screenshots`, { recursive: true });
      writeFileSync(`${__dirname}/../../docs/screenshots/chat-widget-ar.png`, shot);
    }
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // A reload, then a new tab: the same conversation, the token from localStorage.
    await page.reload();
    await page.getByRole('button', { name: 'تحدث معنا' }).click();
    await page.locator('.msg.them', { hasText: answer }).waitFor({ timeout: 3000 });
    const tab = await context.newPage();
    const tabForeign = recordForeignRequests(tab);
    await tab.goto(`${shop.origin}/`);
    await tab.getByRole('button', { name: 'تحدث معنا' }).click();
    await tab.locator('.msg.them', { hasText: answer }).waitFor({ timeout: 3000 });
    await tab.getByPlaceholder('اكتب رسالتك…').fill('ممتاز، أبغى واحدة 🌷');
    await tab.getByRole('button', { name: 'إرسال' }).click();
    await page.locator('.msg.me', { hasText: 'ممتاز، أبغى واحدة 🌷' }).waitFor({ timeout: 2000 }); // the first tab hears it too
    const bodies = await page.locator('.msg').allTextContents();
    expect(bodies).not.toContain('ملاحظة داخلية: العميل VIP');
    expect(await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM tickets WHERE id = $1 OR subject LIKE 'ممتاز%'`, [chat.id])).toEqual([{ n: 1 }]);
    expect([...foreign, ...tabForeign]).toEqual([]);
  });

  it('shows no widget on a page of another origin, nor with a forged identity signature', async () => {
    const { page, foreign } = await newPage();
    const refusedAt = page.waitForResponse((r) => r.url().endsWith('/api/v1/widget/sessions'));
    await page.goto(`${elsewhere.origin}/`);
    expect((await refusedAt).status()).toBe(403);
    await page.waitForTimeout(300);
    expect(await page.locator('[data-rida-chat]').count()).toBe(0);

    const forged = createHmac('sha256', 'guessed-secret').update('salla-2002').digest('hex');
    const forgedAt = page.waitForResponse((r) => r.url().endsWith('/api/v1/widget/sessions'));
    await page.goto(`${shop.origin}/?data-customer-id=salla-2002&data-signature=${forged}`);
    const refused = await forgedAt;
    expect(refused.status()).toBe(403);
    expect((await refused.json()).error.code).toBe('FORBIDDEN');
    await page.waitForTimeout(300);
    expect(await page.locator('[data-rida-chat]').count()).toBe(0);

    // Signed on the store's server with the channel secret: the shopper's own conversation.
    const signature = createHmac('sha256', secret).update('salla-2002').digest('hex');
    const okAt = page.waitForResponse((r) => r.url().endsWith('/api/v1/widget/sessions'));
    await page.goto(`${shop.origin}/?data-customer-id=salla-2002&data-signature=${signature}`);
    expect((await (await okAt).json()).identified).toBe(true);
    await page.getByRole('button', { name: 'تحدث معنا' }).click();
    await expect(page.locator('.fields').isHidden()).resolves.toBe(true); // a known shopper is not asked who they are
    expect(foreign).toEqual([]);
  });

  it("runs the README's channel operations as written", async () => {
    const admin = (await t.createTenant('متجر الورد ٢')).key;
    const created = (
      await t.gqlOk(
        admin,
        `mutation { createChatChannel(input: { name: "متجر الورد", allowedOrigins: ["https://rose.example.sa"], identityVerification: true, askPhone: true }) {
          identitySecret channel { id allowedOrigins identityVerification askName askEmail askPhone } } }`,
      )
    ).createChatChannel;
    const id = created.channel.id;
    expect((await t.gqlOk(admin, `{ chatChannels { id name allowedOrigins identityVerification active } }`)).chatChannels).toEqual([
      { id, name: 'متجر الورد', allowedOrigins: ['https://rose.example.sa'], identityVerification: true, active: true },
    ]);
    await t.gqlOk(admin, `mutation { updateChatChannel(id: "${id}", input: { allowedOrigins: ["https://rose.example.sa", "https://www.rose.example.sa"], askPhone: false }) { id } }`);
    const rotated = (await t.gqlOk(admin, `mutation { rotateChatChannelSecret(id: "${id}") { identitySecret } }`)).rotateChatChannelSecret.identitySecret;
    expect(rotated).not.toBe(created.identitySecret);
    await t.gqlOk(admin, `mutation { updateChatChannel(id: "${id}", input: { active: false }) { id } }`);
    const off = await t.http.post('/api/v1/widget/sessions').set('content-type', 'application/json').set('origin', 'https://rose.example.sa').send({ channel: id });
    expect(off.body.error.code).toBe('NOT_FOUND');
    const wrongOrigin = await t.gql(admin, `mutation { updateChatChannel(id: "${id}", input: { allowedOrigins: ["https://rose.example.sa/shop", "*"] }) { id } }`);
    expect(wrongOrigin.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { allowedOrigins: ['not an origin: https://rose.example.sa/shop', 'not an origin: *'] } });
    expect((await t.gqlOk(admin, `mutation { deleteChatChannel(id: "${id}") }`)).deleteChatChannel).toBe(true);
    // Another store's admin sees none of this store's channels.
    expect((await t.gqlOk(store.key, `{ chatChannels { id } }`)).chatChannels.map((c: { id: string }) => c.id)).not.toContain(id);
  });

  it('limits new visitor sessions per address; renewing a session is not limited', async () => {
    const kept = (await session(shop.origin, {})).body;
    let limited: any;
    for (let i = 0; i <= SESSIONS_PER_MINUTE && !limited; i++) {
      const answer = await session(shop.origin, {});
      if (answer.status === 429) limited = answer.body;
    }
    expect(limited.error.code).toBe('RATE_LIMITED');
    const renewed = await session(shop.origin, { token: kept.token });
    expect(renewed.status).toBe(200);
    expect(renewed.body.visitorId).toBe(kept.visitorId);
  });
});
