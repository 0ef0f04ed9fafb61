import { GraphQLSchemaHost } from '@nestjs/graphql';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

  it('"Your first hour" runs as written: team, agent, sign-in, availability, a routed ticket, reply, solve, KPIs', async () => {
    const section = /<!-- first-hour:start -->\n```sh\n([\s\S]*?)```\n<!-- first-hour:end -->/.exec(README);
    expect(section).not.toBeNull();
    const store = await t.createTenant('متجر الورد');
    expect(store.slug).toBe('mtjr-al-wrd'); // what tenant:create prints for the README's store
    const { port } = t.app.getHttpServer().address() as { port: number };
    const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', section![1]], {
      env: { PATH: process.env.PATH, API: `http://127.0.0.1:${port}`, KEY: store.key, SLUG: store.slug },
    });
    expect(stdout).toContain('"assignee": {\n      "name": "ريم الشمري"');
    expect(stdout).toContain('"category": "SHIPPING"');
    expect(stdout).toContain('"status": "SOLVED"');
    expect(stdout.replace(/^\uFEFF/m, '')).toMatch(/^key,created,solved,/m);
    expect(stdout).toMatch(/^,1,1,/m); // one ticket created and solved in the last 30 days
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
