import type { Browser } from 'playwright-core';
import { GRAPHIQL_ASSETS_PATH } from '../../src/common/graphql/graphiql';
import { launchBrowser } from './helpers/browser';
import { TestApp } from './helpers/test-app';

/** GraphiQL from the server's own packages: it works on a machine with no internet. */
describe('GraphiQL offline', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await TestApp.start();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  it('serves the page and its files from this server only, files cached by version', async () => {
    const page = await t.http.get('/graphql').set('accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain(`${GRAPHIQL_ASSETS_PATH}/graphiql.min.js`);
    expect(page.text).not.toMatch(/https?:\/\//);
    const script = await t.http.get(`${GRAPHIQL_ASSETS_PATH}/graphiql.min.js`);
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.headers['cache-control']).toContain('immutable');
    expect((await t.http.get(`${GRAPHIQL_ASSETS_PATH}/package.json`)).status).toBe(404);
    expect((await t.http.get(`${GRAPHIQL_ASSETS_PATH}/..%2F..%2Fpackage.json`)).status).toBe(404);
    expect((await t.http.get('/graphiql/0.0.1/graphiql.min.js')).status).toBe(404);
  });

  it('renders its editor in Chromium with no request leaving 127.0.0.1, the header editor showing where the bearer token goes', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const hosts = new Set<string>();
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol !== 'data:' && url.protocol !== 'blob:') hosts.add(url.hostname);
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${base}/graphql`, { waitUntil: 'networkidle' });
    await page.locator('.graphiql-query-editor .CodeMirror').waitFor({ timeout: 15_000 });
    await expect(page.locator('.graphiql-query-editor').textContent()).resolves.toContain('tickets(first: 5)');
    await expect(page.locator('.graphiql-editor-tool').textContent()).resolves.toContain('Authorization');
    expect(errors).toEqual([]);
    expect([...hosts]).toEqual(['127.0.0.1']);
    await context.close();
  });
});
