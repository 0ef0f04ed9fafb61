import { ChildProcess, spawn, spawnSync } from 'child_process';
import { accepts, freePort } from './ports';

const BINARY = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((path) => spawnSync(path, ['--version']).status === 0);

/** Whether a Redis server can be started for tests (`.ci/run` installs redis-server). */
export const redisAvailable = BINARY !== undefined;

/** A throwaway redis-server on a free port, nothing persisted. */
export class TestRedisServer {
  private constructor(
    private readonly process: ChildProcess,
    readonly url: string,
  ) {}

  static async start(): Promise<TestRedisServer> {
    if (!BINARY) throw new Error('redis-server is not installed (apt-get install redis-server)');
    const port = await freePort();
    const child = spawn(BINARY, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (const end = Date.now() + 10_000; !(await accepts(port));) {
      if (Date.now() > end || child.exitCode !== null) throw new Error(`redis-server did not start on port ${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return new TestRedisServer(child, `redis://127.0.0.1:${port}`);
  }

  async stop(): Promise<void> {
    if (this.process.exitCode !== null) return;
    const exited = new Promise((r) => this.process.once('exit', r));
    this.process.kill('SIGTERM');
    await exited;
  }
}
