import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { DataSource } from 'typeorm';
import { launchBrowser, recordForeignRequests, seriousAccessibilityViolations } from './helpers/browser';
import { CREATE_TICKET, TestApp, TestTenant, UPDATE_TICKET } from './helpers/test-app';

const SURVEY = `query($id: ID!) { ticket(id: $id) { tags csatSurvey { id answerToken answeredAt rating comment nps } events { type data } } }`;
const SETTINGS = `mutation($input: UpdateStoreSettingsInput!) { updateStoreSettings(input: $input) { surveyLogoUrl surveyAccentColor csatAfterSolveMinutes } }`;

/** The page's laid-out width: more than the viewport means a horizontal scroll bar. */
const pageWidth = () => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth;

/** `UPDATE_SCREENSHOTS=1 npx jest test/e2e/survey-page.e2e-spec.ts` rewrites the README's pictures. */
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS ? join(__dirname, '../../docs/screenshots') : null;

describe('survey page (server-rendered, in a real browser)', () => {
  let t: TestApp;
  let store: TestTenant;
  let base: string;
  let browser: Browser;
  let n = 0;

  beforeAll(async () => {
    t = await TestApp.start();
    store = await t.createTenant('متجر الورد');
    // The message after a solve is tested in survey-message.e2e-spec.ts.
    await t.gqlOk(store.key, SETTINGS, { input: { csatAfterSolveMinutes: null, surveyAccentColor: '#7c3aed' } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  async function solvedTicket(body = 'وصلتني العباية بمقاس خاطئ، أبغى أستبدلها', subject = 'استبدال مقاس العباية') {
    n += 1;
    const ticket = (await t.gqlOk(store.key, CREATE_TICKET, { input: { subject, body, customer: { email: `page${n}@x.sa`, name: 'نورة' } } })).createTicket;
    await t.gqlOk(store.key, UPDATE_TICKET, { id: ticket.id, input: { status: 'SOLVED' } });
    const survey = (await t.gqlOk(store.key, SURVEY, { id: ticket.id })).ticket.csatSurvey;
    return { id: ticket.id as string, number: ticket.number as number, token: survey.answerToken as string };
  }

  it('shows the store, the ticket and five rating buttons, in Arabic right to left, escaped, with no script and no JSON', async () => {
    const { number, token } = await solvedTicket('وصلتني العباية بمقاس خاطئ', '<script>alert(1)</script> مقاس');
    const page = await t.http.get(`/survey/${token}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.text).toContain('<html lang="ar" dir="rtl">');
    expect(page.text).toContain('متجر الورد');
    expect(page.text).toContain(`الطلب رقم ${number}`);
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; مقاس');
    expect(page.text).not.toContain('<script');
    for (let rating = 1; rating <= 5; rating++) expect(page.text).toContain(`name="rating" value="${rating}"`);
    expect(page.text).toContain('--accent:#7c3aed');
  });

  it('speaks English to a customer who wrote in English, and either language on request', async () => {
    const { token } = await solvedTicket('The abaya arrived in the wrong size, I want to exchange it', 'Wrong size');
    const page = await t.http.get(`/survey/${token}`);
    expect(page.text).toContain('<html lang="en" dir="ltr">');
    expect(page.text).toContain('How did we do with your request?');
    expect((await t.http.get(`/survey/${token}?lang=ar`)).text).toContain('<html lang="ar" dir="rtl">');
  });

  it('records a rating posted by a plain form (JavaScript off), then takes the optional comment and 0–10 once', async () => {
    const { id, token } = await solvedTicket();
    const rated = await t.http.post(`/survey/${token}?lang=ar`).type('form').send({ rating: '4' });
    expect(rated.status).toBe(303);
    expect(rated.headers.location).toBe(`/survey/${token}?lang=ar`);
    const thanks = await t.http.get(rated.headers.location);
    expect(thanks.text).toContain('وصلنا تقييمك: 4 من 5');
    expect(thanks.text).toContain('name="nps"');
    const details = await t.http.post(`/survey/${token}/details?lang=ar`).type('form').send({ nps: '9', comment: 'خدمة سريعة <b>شكراً</b>' });
    expect(details.status).toBe(303);
    expect((await t.http.get(details.headers.location)).text).toContain('وصلتنا ملاحظاتك');
    const view = (await t.gqlOk(store.key, SURVEY, { id })).ticket;
    expect(view.csatSurvey).toMatchObject({ rating: 4, nps: 9, comment: 'خدمة سريعة <b>شكراً</b>' });
    expect(view.events.filter((e: { type: string }) => e.type === 'CSAT_RECEIVED')).toHaveLength(2);
    // Once: a second set of details, or a second rating, gets the friendly "already rated" page.
    expect((await t.http.post(`/survey/${token}/details`).type('form').send({ nps: '1' })).status).toBe(409);
    const again = await t.http.post(`/survey/${token}`).type('form').send({ rating: '1' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('وصلنا تقييمك من قبل');
    expect((await t.http.get(`/survey/${token}`)).text).toContain('وصلنا تقييمك من قبل');
  });

  it('answers a bad rating, an unknown, a forged and an expired token with a friendly page, never JSON or a 5xx', async () => {
    const { token } = await solvedTicket();
    const bad = await t.http.post(`/survey/${token}`).type('form').send({ rating: '9' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('اختر تقييماً من 1 إلى 5');
    expect((await t.http.post(`/survey/${token}`).type('form').send({})).status).toBe(400);
    const [surveyId] = token.split('.');
    for (const wrong of ['nothing', `${surveyId}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`, '019aaaaa-0000-7000-8000-000000000000.x', '%E2%80%8F']) {
      const page = await t.http.get(`/survey/${wrong}`);
      expect(page.status).toBe(404);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('لم نجد هذا الاستبيان');
    }
    await t.app.get(DataSource).query(`UPDATE csat_surveys SET expires_at = now() - interval '1 minute' WHERE id = $1`, [surveyId]);
    const expired = await t.http.get(`/survey/${token}`);
    expect(expired.status).toBe(200);
    expect(expired.text).toContain('انتهت مدة هذا الاستبيان');
    expect((await t.http.post(`/survey/${token}`).type('form').send({ rating: '5' })).status).toBe(409);
  });

  it('a link carrying a score (e.g. a WhatsApp button) shows it chosen; only the tap records it', async () => {
    const { id, token } = await solvedTicket();
    const page = await t.http.get(`/survey/${token}?rating=5`);
    expect(page.text).toContain('اخترت 5 من 5');
    expect(page.text).toContain('class="rating chosen"');
    expect((await t.gqlOk(store.key, SURVEY, { id })).ticket.csatSurvey.answeredAt).toBeNull();
  });

  it('shows the logo the store set, and refuses a logo that is not https or a colour that is not #rrggbb', async () => {
    const wrong = await t.gql(store.key, SETTINGS, { input: { surveyLogoUrl: 'http://shop.example.sa/logo.png', surveyAccentColor: 'purple' } });
    expect(wrong.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    await t.gqlOk(store.key, SETTINGS, { input: { surveyLogoUrl: 'https://cdn.alward.example.sa/logo.png' } });
    const { token } = await solvedTicket();
    expect((await t.http.get(`/survey/${token}`)).text).toContain('<img src="https://cdn.alward.example.sa/logo.png" alt=""');
    await t.gqlOk(store.key, SETTINGS, { input: { surveyLogoUrl: null } });
  });

  it('in Chromium: right to left, fits 360 px, one tap records the rating and thanks, a used link shows the friendly page, axe-clean, nothing leaves the machine', async () => {
    const { id, token } = await solvedTicket();
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 1, javaScriptEnabled: false });
    const page = await context.newPage();
    const foreign = recordForeignRequests(page);
    await page.goto(`${base}/survey/${token}`);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    expect(await page.evaluate(pageWidth)).toBeLessThanOrEqual(360);
    // Every rating button is large enough to tap and wholly on screen.
    for (const box of await page.locator('button.rating').evaluateAll((buttons) => buttons.map((b) => b.getBoundingClientRect().toJSON()))) {
      expect(box.height).toBeGreaterThanOrEqual(44);
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(360);
    }
    if (SCREENSHOTS) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, 'survey-ar-360.png'), fullPage: true });
    }
    // axe-core is a script: the same page in a context with JavaScript on, past the page's own CSP (which allows no script).
    const checked = await browser.newContext({ viewport: { width: 360, height: 740 }, bypassCSP: true });
    const axePage = await checked.newPage();
    await axePage.goto(`${base}/survey/${token}`);
    expect(await seriousAccessibilityViolations(axePage)).toEqual([]);

    await page.getByRole('button', { name: /ممتاز/ }).click();
    await page.waitForURL(/\/survey\/.+\?lang=ar$/);
    await expect(page.locator('[role=status]').textContent()).resolves.toContain('وصلنا تقييمك: 5 من 5');
    expect(await page.evaluate(pageWidth)).toBeLessThanOrEqual(360);
    expect((await t.gqlOk(store.key, SURVEY, { id })).ticket.csatSurvey.rating).toBe(5);
    await axePage.goto(page.url());
    expect(await seriousAccessibilityViolations(axePage)).toEqual([]);

    // The optional questions, then the used link: the friendly page, in the same style.
    await page.locator('input[name=nps][value="9"]').check();
    await page.getByLabel('تعليقك').fill('شكراً على سرعة الاستبدال');
    await page.getByRole('button', { name: 'إرسال' }).click();
    await expect(page.locator('[role=status]').textContent()).resolves.toContain('وصلتنا ملاحظاتك');
    await page.goto(`${base}/survey/${token}`);
    await expect(page.locator('h1').textContent()).resolves.toContain('وصلنا تقييمك من قبل');
    await axePage.goto(`${base}/survey/${token}`);
    expect(await seriousAccessibilityViolations(axePage)).toEqual([]);
    expect((await t.gqlOk(store.key, SURVEY, { id })).ticket.csatSurvey).toMatchObject({ rating: 5, nps: 9, comment: 'شكراً على سرعة الاستبدال' });
    expect(foreign).toEqual([]);
    await context.close();
    await checked.close();
  });

  it('in Chromium on a desktop: the five buttons on one row, axe-clean', async () => {
    const { token } = await solvedTicket();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const page = await context.newPage();
    const foreign = recordForeignRequests(page);
    await page.goto(`${base}/survey/${token}`);
    const tops = await page.locator('button.rating').evaluateAll((buttons) => buttons.map((b) => Math.round(b.getBoundingClientRect().top)));
    expect(new Set(tops).size).toBe(1);
    if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, 'survey-ar-desktop.png') });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(foreign).toEqual([]);
    await context.close();
  });

  it('rate-limits the public survey endpoints per client address', async () => {
    const limited = await TestApp.start({ PUBLIC_RATE_LIMIT_PER_MINUTE: '3' }, undefined, t.databaseUrl);
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await limited.http.get('/survey/nothing')).status);
      expect(statuses).toEqual([404, 404, 404, 429]);
      expect((await limited.http.get('/api/v1/csat/nothing')).body.error.code).toBe('RATE_LIMITED');
      const answer = await limited.gql(undefined, `mutation { answerCsatSurvey(token: "nothing", input: { rating: 5 }) }`);
      expect(answer.errors?.[0].extensions.code).toBe('RATE_LIMITED');
    } finally {
      await limited.app.close();
    }
  });
});
