import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const MAIN = join(resolve(__dirname, '../../..'), 'dist/src/main.js');

/** The environment a compiled server needs in production, on the given database and port. */
export function productionEnv(databaseUrl: string, port: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '10',
    JWT_SECRET: 'crash-test-secret-crash-test-secret-0123456789',
    SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
    ALLOW_PRIVATE_NETWORK_TARGETS: 'true',
    LOG_LEVEL: process.env.CRASH_LOG_LEVEL ?? 'error',
    RATE_LIMIT_PER_MINUTE: '0',
    EMAIL_POLL_INTERVAL_SECONDS: '0',
    EMAIL_IDLE: 'false',
    SLA_SWEEP_INTERVAL_SECONDS: '0',
    ASSIGNMENT_SWEEP_INTERVAL_SECONDS: '0',
    KPI_ROLLUP_INTERVAL_SECONDS: '0',
    ...extra,
  };
}

/**
 * `node dist/src/main.js` as a real child process, as production runs it: started, killed with a
 * real signal (SIGKILL leaves no chance to finish a request or close a connection) and started again.
 */
export class ServerProcess {
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.stdout!.on('data', (chunk) => (this.output += chunk));
    child.stderr!.on('data', (chunk) => (this.output += chunk));
  }

  static async start(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
    if (!existsSync(MAIN)) throw new Error('dist/ is missing: run `npx tsc -p tsconfig.json` (npm test does) before this suite');
    const server = new ServerProcess(spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] }), Number(env.PORT));
    const deadline = Date.now() + timeoutMs;
    while (!server.output.includes('Rida is listening')) {
      if (!server.alive) throw new Error(`the server exited while starting (code ${server.child.exitCode}):\n${server.log}`);
      if (Date.now() > deadline) {
        await server.kill();
        throw new Error(`the server did not start within ${timeoutMs} ms:\n${server.log}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return server;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** What the server printed (the last part, for failure messages). */
  get log(): string {
    return this.output.slice(-4000);
  }

  /** Sends the signal now (synchronously, so the kill lands at a precise point of the traffic). */
  signal(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.alive) this.child.kill(signal);
  }

  /** Kills the process (SIGKILL by default) and waits until it is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill(signal);
    await exited;
  }

  /** A graceful stop (SIGTERM), falling back to SIGKILL after a few seconds. */
  async stop(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
