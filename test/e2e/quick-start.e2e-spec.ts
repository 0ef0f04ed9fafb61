import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { makeThrowawayDir } from '../../src/common/database/embedded-postgres';
import { freePort } from './helpers/ports';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
const MAIN = join(ROOT, 'dist/src/main.js');
const CLI = join(ROOT, 'dist/src/cli.js');

/**
 * The README's quick start, for real: the compiled server starts its own embedded PostgreSQL,
 * the CLI joins that running cluster to create a store, and the printed key works.
 * `npm test` compiles first (`npm run typecheck` emits dist/).
 */
describe('quick start: npm start on embedded PostgreSQL, then the CLI', () => {
  const dir = makeThrowawayDir('rida-quick-start-');
  // Ports the kernel just handed out as free (a random pick can land on another test's connection).
  let port = 0;
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    JWT_SECRET: 'quick-start-secret-quick-start-secret-0123',
    SECRETS_KEY: Buffer.alloc(32, 3).toString('base64'),
    PUBLIC_URL: 'https://support.example.sa',
    LOG_LEVEL: 'warn',
    DATABASE_URL: '',
    PORT: '',
    EMBEDDED_PG_PORT: '',
    EMBEDDED_PG_DATA_DIR: join(dir, 'postgres'),
  };
  let server: ChildProcess;
  let output = '';

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error('dist/ is missing: run `npm run typecheck` (npm test does) before this suite');
    port = await freePort();
    env.PORT = String(port);
    env.EMBEDDED_PG_PORT = String(await freePort());
    server = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (chunk) => (output += chunk));
    server.stderr!.on('data', (chunk) => (output += chunk));
    for (let i = 0; i < 300 && !output.includes('Rida is listening'); i++) {
      if (server.exitCode !== null) throw new Error(`server exited: ${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 60_000);

  afterAll(async () => {
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts, applies migrations and tells a new user how to get in', async () => {
    // The hint follows "listening" once the server has counted its stores.
    for (let i = 0; i < 100 && !output.includes('tenant:create'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(output).toContain('using embedded PostgreSQL');
    expect(output).toContain('Applied migrations: InitialSchema');
    expect(output).toContain('npm run cli -- tenant:create');
  });

  it('tenant:create prints an admin key once; the key works against the running server', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'tenant:create', 'متجر الورد', '--timezone', 'Asia/Riyadh'], { env });
    const key = /rida_[A-Za-z0-9_-]+/.exec(stdout)?.[0];
    expect(key).toBeDefined();
    expect(stdout).toContain('Slug (agents sign in with it; --slug chooses another): mtjr-al-wrd'); // as the README says
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: '{ currentTenant { name timezone } }' }),
    });
    expect(await res.json()).toEqual({ data: { currentTenant: { name: 'متجر الورد', timezone: 'Asia/Riyadh' } } });

    const another = await run(process.execPath, [CLI, 'apikey:create', '--tenant', 'store-does-not-exist'], { env }).catch((e) => e);
    expect(another.code).toBe(1);
    expect(another.stderr).toContain('not found');
  });

  it('refuses a bad configuration with a clear message', async () => {
    const result = await run(process.execPath, [MAIN], { env: { ...env, PORT: 'eighty', DATABASE_URL: 'mysql://nope' } }).catch((e) => e);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Invalid configuration/);
    expect(result.stderr).toMatch(/PORT="eighty"/);
    expect(result.stderr).toMatch(/DATABASE_URL must look like postgres:\/\//);
  });

  it('stops its embedded PostgreSQL on SIGTERM', async () => {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    expect(server.exitCode).toBe(0);
    expect(existsSync(join(dir, 'postgres', 'postmaster.pid'))).toBe(false);
  });
});
