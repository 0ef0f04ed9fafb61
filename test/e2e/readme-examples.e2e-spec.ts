import { GraphQLSchemaHost } from '@nestjs/graphql';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LoneAnonymousOperationRule, parse, specifiedRules, validate } from 'graphql';
import { TestApp } from './helpers/test-app';

const README = readFileSync(join(__dirname, '../../README.md'), 'utf8');

/** The README's fenced blocks of one language, with the line each starts on. */
function blocks(language: string): Array<{ line: number; code: string }> {
  const found: Array<{ line: number; code: string }> = [];
  const fence = new RegExp('^```' + language + '\\n([\\s\\S]*?)^```$', 'gm');
  for (const match of README.matchAll(fence)) found.push({ line: README.slice(0, match.index).split('\n').length, code: match[1] });
  return found;
}

/**
 * The README's examples cannot drift from the code: the "first hour" walk-through runs as written
 * against a fresh store, and every GraphQL operation the README shows is valid against the schema
 * the server serves (its "…" placeholders stand for ids and secrets the reader has).
 */
describe('the README examples', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
    await t.app.listen(0, '127.0.0.1');
  });
  afterAll(() => t.close());

  it('"Your first hour", then every curl example, run as written and in order on one fresh store', async () => {
    const section = /<!-- first-hour:start -->\n```sh\n([\s\S]*?)```\n<!-- first-hour:end -->/.exec(README);
    expect(section).not.toBeNull();
    const store = await t.createTenant('متجر الورد');
    expect(store.slug).toBe('mtjr-al-wrd'); // what tenant:create prints for the README's store
    const { port } = t.app.getHttpServer().address() as { port: number };
    const base = `http://127.0.0.1:${port}`;
    const bash = (script: string, env: Record<string, string>) => promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], { env: { PATH: process.env.PATH, ...env }, cwd: tmpdir() });

    const { stdout } = await bash(section![1], { API: base, KEY: store.key, SLUG: store.slug });
    expect(stdout).toContain('"assignee": {\n      "name": "ريم الشمري"');
    expect(stdout).toContain('"category": "SHIPPING"');
    expect(stdout).toContain('"status": "SOLVED"');
    expect(stdout.replace(/^\uFEFF/m, '')).toMatch(/^key,created,solved,/m);
    expect(stdout).toMatch(/^,1,1,/m); // one ticket created and solved in the last 30 days

    // What the other examples stand for: the reader's keys, the survey of the solved ticket, a
    // published article, a public chat channel for the example's storefront.
    const solved = (await t.gqlOk(store.key, `{ tickets(first: 1, filter: { status: [SOLVED] }) { edges { node { csatSurvey { answerToken } } } } }`)).tickets.edges[0].node;
    await t.gqlOk(store.key, `mutation { createArticle(input: { title: "أين طلبي؟", slug: "wayn-talabi", body: "تتبع شحنتك من صفحة الطلب: وين طلبي؟", status: PUBLISHED }) { id } }`);
    const channel = (await t.gqlOk(store.key, `mutation { createChatChannel(input: { name: "متجر الورد", allowedOrigins: ["https://rose.example.sa"] }) { channel { id } } }`)).createChatChannel
      .channel.id;
    const env = { KEY: store.key, REPORTING_KEY: await t.createKey(store.id, 'reporting'), TOKEN: solved.csatSurvey.answerToken };
    const examples = blocks('(?:sh|bash)').filter(({ code }) => /\bcurl /.test(code) && !code.includes('first-hour') && !code.includes('KEY=${KEY:?'));
    const ran: number[] = [];
    for (const { line, code } of examples) {
      if (/https:\/\/api\.zid\.sa/.test(code)) continue; // a call to Zid's own API, not to this server
      const script = code
        .replace(/^KEY=rida_….*$/m, '') // the reader's key: given in the environment
        .replace(/http:\/\/127\.0\.0\.1:3000|(?<![\w/])localhost:3000/g, base)
        .replaceAll('<store-slug>', store.slug)
        .replaceAll('<article-slug>', 'wayn-talabi')
        .replaceAll('<public channel id>', channel);
      // Every request must succeed: curl fails on an HTTP error status, showing the answer.
      const failed = await bash(`curl() { command curl -sS --fail-with-body "$@"; }\n${script}`, env).then(
        () => '',
        (error: { stderr: string; stdout: string }) => `${error.stderr} ${error.stdout}`,
      );
      expect({ line, failed }).toEqual({ line, failed: '' });
      ran.push(line);
    }
    expect(ran.length).toBeGreaterThanOrEqual(8);
  });

  it('every GraphQL operation in the README is valid against the served schema', () => {
    const schema = t.app.get(GraphQLSchemaHost).schema;
    const graphqlBlocks = blocks('graphql');
    expect(graphqlBlocks.length).toBeGreaterThan(20);
    // A block may show several anonymous operations side by side; each is checked on its own terms.
    const rules = specifiedRules.filter((rule) => rule !== LoneAnonymousOperationRule);
    const problems = graphqlBlocks.flatMap(({ line, code }) => {
      try {
        return validate(schema, parse(code), rules).map((error) => `README.md:${line + (error.locations?.[0]?.line ?? 0)}: ${error.message}`);
      } catch (error) {
        return [`README.md:${line}: ${(error as Error).message}`];
      }
    });
    expect(problems).toEqual([]);
  });
});
