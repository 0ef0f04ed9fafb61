import { Logger } from '@nestjs/common';
import { PubSub, PubSubEngine } from 'graphql-subscriptions';
import Redis from 'ioredis';
import { Client, Pool } from 'pg';
import type { EntityManager } from 'typeorm';
import { deferWrite } from '../database/batch';

/** Carries serialised events between the app instances (every instance, the sender included, receives each one). */
export interface BusTransport {
  readonly name: string;
  /** When the transport can send inside a database transaction (delivered only if it commits, in order). */
  sendWithin?(manager: EntityManager, raws: string[]): Promise<void>;
  start(onMessage: (raw: string) => void): Promise<void>;
  send(raw: string): Promise<void>;
  stop(): Promise<void>;
}

/** A transport with nothing behind it but this process (one instance, CLI commands). */
export class InProcessTransport implements BusTransport {
  readonly name = 'in-process';
  private onMessage?: (raw: string) => void;
  async start(onMessage: (raw: string) => void) {
    this.onMessage = onMessage;
  }
  async send(raw: string) {
    this.onMessage?.(raw);
  }
  async stop() {
    this.onMessage = undefined;
  }
}

const CHANNEL = 'rida_events';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
export const MAX_NOTIFY_BYTES = 7900;

function checkedSize(raw: string): string {
  const bytes = Buffer.byteLength(raw);
  if (bytes > MAX_NOTIFY_BYTES) throw new Error(`Event of ${bytes} bytes exceeds the NOTIFY limit`);
  return raw;
}

/**
 * PostgreSQL LISTEN/NOTIFY: one listening connection per instance, reconnected with back-off
 * (events raised while it is down are missed: subscribers are live views, durable effects go
 * through the outbox and the job queue).
 */
export class PgNotifyTransport implements BusTransport {
  readonly name = 'postgres';
  private client?: Client;
  private stopping = false;
  private retryMs = 500;
  private readonly logger = new Logger('EventBus');

  constructor(private readonly pool: Pool) {}

  async start(onMessage: (raw: string) => void) {
    this.stopping = false;
    await this.listen(onMessage);
  }

  private async listen(onMessage: (raw: string) => void): Promise<void> {
    const client = new Client((this.pool as unknown as { options: object }).options);
    client.on('notification', (n) => n.channel === CHANNEL && n.payload !== undefined && onMessage(n.payload));
    const reconnect = (error?: Error) => {
      if (this.stopping || this.client !== client) return;
      this.client = undefined;
      this.logger.warn(`LISTEN connection lost (${error?.message ?? 'ended'}); reconnecting in ${this.retryMs} ms`);
      setTimeout(() => void this.listen(onMessage).catch(() => reconnect()), this.retryMs).unref();
      this.retryMs = Math.min(this.retryMs * 2, 30_000);
    };
    client.on('error', reconnect);
    client.on('end', () => reconnect());
    this.client = client;
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.retryMs = 500;
  }

  async send(raw: string) {
    await this.pool.query('SELECT pg_notify($1, $2)', [CHANNEL, checkedSize(raw)]);
  }

  /** NOTIFY inside a transaction is delivered at COMMIT, in commit order, and not at all on ROLLBACK; several in one round trip. */
  async sendWithin(manager: EntityManager, raws: string[]) {
    if (raws.length === 0) return;
    const payloads = raws.map(checkedSize);
    // Nothing waits for its outcome: it rides with the transaction's next statement, at the latest COMMIT.
    await deferWrite(manager, { sql: `SELECT ${payloads.map((_, i) => `pg_notify($1, $${i + 2})`).join(', ')}`, parameters: [CHANNEL, ...payloads] });
  }

  async stop() {
    this.stopping = true;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}

/** Redis PUBLISH/SUBSCRIBE, when REDIS_URL is set (ioredis reconnects and resubscribes by itself). */
export class RedisTransport implements BusTransport {
  readonly name = 'redis';
  private readonly publisher: Redis;
  private readonly subscriber: Redis;

  constructor(url: string) {
    this.publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    this.subscriber = new Redis(url, { lazyConnect: true });
  }

  async start(onMessage: (raw: string) => void) {
    this.subscriber.on('message', (channel: string, raw: string) => channel === CHANNEL && onMessage(raw));
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
    await this.subscriber.subscribe(CHANNEL);
  }

  async send(raw: string) {
    await this.publisher.publish(CHANNEL, raw);
  }

  async stop() {
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }
}

/**
 * The events behind GraphQL subscriptions, fanned out to every app instance: `publish` sends
 * through the transport, and what the transport delivers is handed to this instance's subscribers.
 * Payloads must be JSON (dates travel as ISO strings).
 */
export class EventBus extends PubSubEngine {
  private readonly local = new PubSub();
  private readonly logger = new Logger('EventBus');
  private started?: Promise<void>;

  constructor(private readonly transport: BusTransport) {
    super();
  }

  get transportName() {
    return this.transport.name;
  }

  start(): Promise<void> {
    this.started ??= this.transport.start((raw) => this.deliver(raw));
    return this.started;
  }

  async publish(topic: string, payload: unknown): Promise<void> {
    await this.start();
    await this.transport.send(JSON.stringify({ topic, payload }));
  }

  /** Whether `publishWithin` is available: the event then travels with the transaction's commit. */
  get transactional(): boolean {
    return this.transport.sendWithin !== undefined;
  }

  async publishWithin(manager: EntityManager, topic: string, ...payloads: unknown[]): Promise<void> {
    if (!this.transport.sendWithin) throw new Error(`The ${this.transport.name} transport cannot publish inside a transaction`);
    await this.transport.sendWithin(
      manager,
      payloads.map((payload) => JSON.stringify({ topic, payload })),
    );
  }

  subscribe(topic: string, onMessage: (payload: unknown) => void): Promise<number> {
    return this.local.subscribe(topic, onMessage);
  }

  unsubscribe(id: number): void {
    this.local.unsubscribe(id);
  }

  async stop(): Promise<void> {
    if (this.started) await this.transport.stop();
    this.started = undefined;
  }

  // Nest lifecycle: listen once the app is up, let go on shutdown.
  onApplicationBootstrap() {
    return this.start();
  }

  onApplicationShutdown() {
    return this.stop();
  }

  private deliver(raw: string) {
    try {
      const { topic, payload } = JSON.parse(raw) as { topic: string; payload: unknown };
      void this.local.publish(topic, payload);
    } catch (error) {
      this.logger.error(`Unreadable event on the bus: ${(error as Error).message}`);
    }
  }
}

export const PUB_SUB = Symbol('PUB_SUB');

export function createEventBus(redisUrl: string | undefined, pool: Pool): EventBus {
  return new EventBus(redisUrl ? new RedisTransport(redisUrl) : new PgNotifyTransport(pool));
}
