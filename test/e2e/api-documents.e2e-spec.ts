import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TestApp } from './helpers/test-app';

const run = promisify(execFile);
const REDOCLY = join(__dirname, '../../node_modules/.bin/redocly');

/**
 * Warnings of Redocly's recommended rules that stay, each for a reason (errors are never accepted):
 * - the API is proprietary: there is no licence text at a URL to link;
 * - the health probes answer 200 or 503 to anyone and have no 4xx answer to document.
 */
const ACCEPTED_WARNINGS = ['info-license-strict #/info/license/url', 'operation-4xx-response #/paths/~1health/get/responses', 'operation-4xx-response #/paths/~1health~1live/get/responses'];

interface RedoclyReport {
  totals: { errors: number; warnings: number };
  problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer: string }> }>;
}

/** promtool reads the exposition from standard input; it prints nothing and exits 0 when every metric passes its lint. */
function promtoolCheckMetrics(text: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => reject(new Error(`promtool is needed (Debian's prometheus package, installed by .ci/run): ${error.message}`)));
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(text);
  });
}

describe('OpenAPI and metrics pass the tools integrators and operators use', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    t = await TestApp.start();
    await t.createTenant();
    dir = mkdtempSync(join(tmpdir(), 'rida-api-documents-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  it('/api/docs/openapi.json has no error under @redocly/cli lint (recommended rules) and only the accepted warnings', async () => {
    const document = (await t.http.get('/api/docs/openapi.json').expect(200)).body;
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document, null, 2));
    // Exit code 1 when there are errors; the JSON report is on stdout either way.
    const { stdout } = await run(REDOCLY, ['lint', '--format=json', file], {
      cwd: dir,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      maxBuffer: 10 * 1024 * 1024,
    }).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as RedoclyReport;
    const found = report.problems.map((p) => `${p.ruleId} ${p.location[0]?.pointer}`);
    expect(report.problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`)).toEqual([]);
    expect(found.sort()).toEqual([...ACCEPTED_WARNINGS].sort());
  });

  it('documents the channel webhooks, open operations and the CSV exports with their period', async () => {
    const document = (await t.http.get('/api/docs/openapi.json').expect(200)).body;
    for (const path of ['/webhooks/whatsapp/{channelId}', '/webhooks/meta/{channelId}', '/webhooks/x/{channelId}']) {
      expect(Object.keys(document.paths[path]).sort()).toEqual(['get', 'post']);
      expect(document.paths[path].post.security).toEqual([]);
    }
    expect(document.paths['/webhooks/stores/{connectionId}'].post.security).toEqual([]);
    expect(document.paths['/webhooks/twilio/{channelId}/voice'].post.parameters.map((p: { name: string }) => p.name)).toContain('X-Twilio-Signature');
    expect(document.paths['/api/v1/help-centre/{tenantSlug}/articles'].get.security).toEqual([]);
    expect(document.paths['/api/v1/tickets'].post.security).toEqual([{ bearer: [] }]);
    expect(document.paths['/metrics'].get.security).toEqual([{ metrics: [] }, {}]);
    for (const csv of ['/api/v1/kpis.csv', '/api/v1/friction.csv', '/api/v1/scorecards.csv']) {
      const parameters = document.paths[csv].get.parameters as Array<{ name: string; in: string; schema: { format?: string } }>;
      expect(parameters.filter((p) => ['from', 'to'].includes(p.name)).map((p) => [p.name, p.in, p.schema.format])).toEqual([
        ['from', 'query', 'date-time'],
        ['to', 'query', 'date-time'],
      ]);
    }
    expect(document.servers).toHaveLength(1);
  });

  it('/metrics passes promtool check metrics', async () => {
    await t.http.get('/health/live').expect(200); // a request, so request metrics have series
    const res = await t.http.get('/metrics').expect(200);
    expect(await promtoolCheckMetrics(res.text)).toEqual({ code: 0, output: '' });
  });
});
