import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { makeThrowawayDir, startEmbeddedPostgres } from '../src/common/database/embedded-postgres';
import { APP_SCHEMA } from '../src/app-schema';
import { runMigrations } from '../src/common/database/typeorm-options';

/**
 * Shared by jest's global set-up/tear-down and by the e2e helpers. A run has one PostgreSQL
 * (TEST_DATABASE_URL's server, or an embedded throwaway cluster), one migrated template database,
 * and one database per test file cloned from the template in milliseconds.
 */
const STATE_FILE = join(tmpdir(), `rida-test-${process.ppid}-${process.pid}.json`);
export const STATE_ENV = 'RIDA_TEST_STATE';

interface TestDatabaseState {
  serverUrl: string;
  template: string;
  dataDir?: string;
  prefix: string;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

// globalSetup and globalTeardown share only globals (jest loads each module separately).
const holder = globalThis as { __ridaStopEmbedded?: () => Promise<void> };

export async function setUpTestDatabase(): Promise<void> {
  const prefix = `rida_test_${Date.now().toString(36)}`;
  let serverUrl = process.env.TEST_DATABASE_URL;
  let dataDir: string | undefined;
  if (!serverUrl) {
    dataDir = makeThrowawayDir('rida-test-pg-');
    const port = 20000 + Math.floor(Math.random() * 20000);
    const handle = await startEmbeddedPostgres({ dataDir: join(dataDir, 'data'), port, ephemeral: true }, 'postgres');
    serverUrl = handle.url;
    holder.__ridaStopEmbedded = handle.stop;
  }
  const template = `${prefix}_template`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${template}"`);
  await admin.end();
  await runMigrations(withDatabase(serverUrl, template), APP_SCHEMA);

  const state: TestDatabaseState = { serverUrl, template, dataDir, prefix };
  writeFileSync(STATE_FILE, JSON.stringify(state));
  process.env[STATE_ENV] = STATE_FILE;
}

export async function tearDownTestDatabase(): Promise<void> {
  const file = process.env[STATE_ENV];
  if (!file || !existsSync(file)) return;
  const state = JSON.parse(readFileSync(file, 'utf8')) as TestDatabaseState;
  if (holder.__ridaStopEmbedded) {
    await holder.__ridaStopEmbedded();
  } else {
    const admin = new Client({ connectionString: state.serverUrl });
    await admin.connect();
    const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${state.prefix}%`]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.end();
  }
  if (state.dataDir) rmSync(state.dataDir, { recursive: true, force: true });
  rmSync(file, { force: true });
}

/** `work` on a connection of its own to `url`, closed afterwards whatever happens. */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new, migrated, empty database for one test file. */
export async function createTestDatabase(): Promise<string> {
  const file = process.env[STATE_ENV];
  if (!file) throw new Error('The test database is not set up: run tests through jest (npm test)');
  const state = JSON.parse(readFileSync(file, 'utf8')) as TestDatabaseState;
  const name = `${state.prefix}_${Math.random().toString(36).slice(2, 10)}`;
  await withClient(state.serverUrl, async (admin) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${state.template}"`);
        break;
      } catch (error) {
        // Two files cloning the template at the same instant can collide; try again shortly.
        if (attempt >= 10 || !/being accessed by other users/.test(String(error))) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
  });
  return withDatabase(state.serverUrl, name);
}
