import { createServer, Server, Socket } from 'node:net';
import { AddressInfo } from 'node:net';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

/**
 * Used by the benchmark and by test/e2e/round-trips (it lives here because the build compiles src,
 * migrations and bench, not test).
 *
 * A TCP proxy in front of PostgreSQL that counts round trips the way the server sees them: each
 * simple query (`Q`) and each extended-protocol `Sync` (`S`, which closes a
 * Parse/Bind/Describe/Execute batch) is one trip. Counted in the wire protocol rather than inside
 * `pg`, so nothing the app does (TypeORM, pg-boss, a raw client) can hide a statement from it.
 * Only connections whose `application_name` matches are counted (the app's pool, not the job
 * queue's pollers).
 */
export class PgRoundTripCounter {
  private trips = 0;
  private lastCountedAt = 0;
  /** The statements counted since the last reset, for a readable failure message. */
  private readonly statements: string[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(databaseUrl: string, applicationName = 'rida'): Promise<PgRoundTripCounter> {
    const target = new URL(databaseUrl);
    const created: { counter?: PgRoundTripCounter } = {}; // the server's handler needs the counter made after it
    const server = createServer((client) => created.counter?.proxy(client, target, applicationName));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxied = new URL(databaseUrl);
    proxied.hostname = '127.0.0.1';
    proxied.port = String((server.address() as AddressInfo).port);
    created.counter = new PgRoundTripCounter(server, proxied.toString());
    return created.counter;
  }

  reset(): void {
    this.trips = 0;
    this.statements.length = 0;
  }

  /** Round trips since the last reset, and what they carried. */
  get count(): number {
    return this.trips;
  }

  get log(): readonly string[] {
    return this.statements;
  }

  /** Counts the round trips `work` makes. */
  async measure<T>(work: () => Promise<T>): Promise<{ result: T; trips: number; statements: readonly string[] }> {
    this.reset();
    const result = await work();
    return { result, trips: this.trips, statements: [...this.statements] };
  }

  /**
   * Waits until no counted statement has passed for `quietMs` (at most `maxMs`): work the app does
   * in the background (a queued delivery running) then stays out of the next measurement.
   */
  async quiet(quietMs = 250, maxMs = 5000): Promise<void> {
    const deadline = Date.now() + maxMs;
    while (Date.now() - this.lastCountedAt < quietMs && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * The job queue's workers and the webhook dispatcher poll on the same pool on their own timers; a
   * poll is one statement outside any transaction (on the job schema, or marked
   * `/* background: … *\/`), never part of a request, so it is not counted.
   */
  private record(sql: string, inTransaction: boolean): void {
    const poll = /\bpgboss\./.test(sql) || /^\s*\/\* background: /.test(sql);
    if (!inTransaction && poll && !/^\s*(BEGIN|COMMIT|ROLLBACK)/i.test(sql)) return;
    this.trips++;
    this.lastCountedAt = Date.now();
    this.statements.push(sql);
  }

  private proxy(client: Socket, target: URL, applicationName: string): void {
    const upstream = new Socket();
    this.sockets.add(client).add(upstream);
    upstream.connect(Number(target.port || 5432), target.hostname);
    let buffered = Buffer.alloc(0);
    let awaitingStartup = true;
    let counted = false;
    let pendingParse: string[] = [];
    let inTransaction = false;

    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        if (awaitingStartup) {
          if (buffered.length < 8) return;
          const length = buffered.readInt32BE(0);
          if (buffered.length < length) return;
          const code = buffered.readInt32BE(4);
          // After an SSL or GSS request the server answers one byte and the startup message follows.
          if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) {
            awaitingStartup = false;
            counted = startupParameter(buffered.subarray(8, length), 'application_name') === applicationName;
          }
          buffered = buffered.subarray(length);
          continue;
        }
        if (buffered.length < 5) return;
        const type = String.fromCharCode(buffered[0]);
        const length = buffered.readInt32BE(1);
        if (buffered.length < 1 + length) return;
        const body = buffered.subarray(5, 1 + length);
        buffered = buffered.subarray(1 + length);
        if (!counted) continue;
        if (type === 'Q') {
          const sql = body.toString('utf8', 0, body.length - 1);
          inTransaction = transactionStateAfter(sql, inTransaction);
          this.record(sql, inTransaction);
        } else if (type === 'P') {
          // Parse: a statement name (C string), then the statement's text.
          const nameEnd = body.indexOf(0);
          pendingParse.push(body.toString('utf8', nameEnd + 1, body.indexOf(0, nameEnd + 1)));
        } else if (type === 'S') {
          const sql = pendingParse.length ? pendingParse.join(' ; ') : '(prepared statement)';
          pendingParse = [];
          inTransaction = transactionStateAfter(sql, inTransaction);
          this.record(sql, inTransaction);
        }
      }
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  }
}

function startupParameter(body: Buffer, name: string): string | undefined {
  const parts = body.toString('utf8').split('\0');
  for (let i = 0; i + 1 < parts.length; i += 2) if (parts[i] === name) return parts[i + 1];
  return undefined;
}

/** Whether a connection is inside a transaction block after `sql` (as far as its text tells). */
function transactionStateAfter(sql: string, inTransaction: boolean): boolean {
  const statements = sql
    .split(';')
    .map((part) => part.trim().toUpperCase())
    .filter(Boolean);
  let state = inTransaction;
  for (const statement of statements) {
    if (/^(BEGIN|START TRANSACTION)/.test(statement)) state = true;
    else if (/^(COMMIT|ROLLBACK|END)\b/.test(statement) && !/^ROLLBACK TO/.test(statement)) state = false;
  }
  return state;
}
