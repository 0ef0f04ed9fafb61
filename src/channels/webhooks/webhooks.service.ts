import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'crypto';
import { STATUS_CODES } from 'http';
import { EntityManager, In } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AppConfig } from '../../common/config/app-config';
import { SecretBox, SecretUnreadable } from '../../common/crypto/secret-box';
import { SettingsRegion, StoreSettingsCache } from '../../common/cache/store-settings-cache';
import { TenantTransactions } from '../../common/database/tenant-transactions';
import { TransactionHooks } from '../../common/database/transaction-hooks';
import { definedFields } from '../../common/defined-fields';
import { badInput, notFound } from '../../common/errors/domain-error';
import { Connection, newestFirstPage, PageArgs } from '../../common/graphql/connection';
import { OutboundGuard, OutboundTargetRefused } from '../../common/net/outbound-guard';
import { OutboundHttp, OutboundTimeout } from '../../common/net/outbound-http';
import type { JsonObject, RequestContext } from '../../common/request-context';
import type { TicketEvent } from '../../tickets/entities/ticket-event.entity';
import { TicketEventNotice, TicketEventStream } from '../../tickets/ticket-event-stream';
import { CreateWebhookEndpointInput, UpdateWebhookEndpointInput } from './dto/webhook-endpoint.input';
import { WebhookDelivery, WebhookDeliveryStatus } from './entities/webhook-delivery.entity';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity';
import { WebhookDispatcher } from './webhook-dispatcher';
import { nextAttemptAt, RetryPolicy, signWebhook } from './webhook-signature';

/** Beyond the receiver's time-out, how long a claimed delivery stays with its worker. */
const LEASE_MARGIN_SECONDS = 30;
/** Due rows locked per claim beyond those asked for, so that rows found waiting (and parked) do not leave the claim short. */
const CLAIM_LOOKAHEAD = 16;

/** A delivery taken for one attempt, with what the attempt needs. */
interface ClaimedDelivery {
  id: string;
  endpoint_id: string;
  payload: JsonObject;
  url: string;
  secret: Buffer;
}

/**
 * Outbound webhooks. Each committed ticket event becomes one delivery row per subscribed endpoint,
 * written in the transaction of the change (the outbox); the row is also the delivery's place in
 * the queue: PENDING with next_attempt_at due means "send it", and WebhookDispatcher shares each
 * instance's sending between stores. Deliveries of one ticket to one endpoint go out in event
 * order: a delivery waits (parked, next_attempt_at null) while an earlier one is pending, and each
 * finished delivery hands over to the next. Failures are retried with exponential back-off for
 * WEBHOOK_RETRY_FOR_SECONDS; a delivery failing that long is FAILED and disables its endpoint (its
 * later deliveries wait for it to be re-enabled).
 */
@Injectable()
export class WebhooksService implements OnModuleInit, OnApplicationBootstrap {
  private readonly policy: RetryPolicy;
  private readonly logger = new Logger(WebhooksService.name);
  /** Each store's endpoints that collect deliveries: every committed ticket change reads them. */
  private readonly collectingEndpoints: SettingsRegion<CollectingEndpoint[]>;

  constructor(
    private readonly db: TenantTransactions,
    private readonly dispatcher: WebhookDispatcher,
    private readonly hooks: TransactionHooks,
    private readonly stream: TicketEventStream,
    private readonly config: AppConfig,
    private readonly guard: OutboundGuard,
    private readonly http: OutboundHttp,
    private readonly box: SecretBox,
    cache: StoreSettingsCache,
  ) {
    this.collectingEndpoints = cache.region('webhook-endpoints');
    this.policy = { baseMs: config.WEBHOOK_RETRY_BASE_MS, maxDelayMs: 3_600_000, retryForMs: config.WEBHOOK_RETRY_FOR_SECONDS * 1000 };
  }

  onModuleInit() {
    this.stream.onCommitting((manager, events, notices) => this.writeOutbox(manager, events, notices));
  }

  onApplicationBootstrap() {
    this.dispatcher.start<ClaimedDelivery>(
      (tenantId, count) => this.claim(tenantId, count),
      (tenantId, claimed) => this.attempt(tenantId, claimed),
    );
  }

  // ── endpoints ─────────────────────────────────────────────────────────────────────────────

  list(ctx: RequestContext): Promise<WebhookEndpoint[]> {
    return this.db.read(ctx, (m) => m.find(WebhookEndpoint, { where: { tenantId: ctx.tenantId }, order: { createdAt: 'ASC' } }));
  }

  async create(ctx: RequestContext, input: CreateWebhookEndpointInput): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    await this.checkUrl(input.url);
    const id = uuidv7();
    const secret = newSecret();
    const endpoint = await this.db.run(ctx, async (m) => {
      const saved = await m.save(
        m.create(WebhookEndpoint, {
          tenantId: ctx.tenantId,
          id,
          url: input.url,
          description: input.description ?? null,
          events: [...new Set(input.events ?? [])],
          secret: this.box.seal(secret, secretLabel(id)),
          enabled: true,
          disabledReason: null,
        }),
      );
      await this.collectingEndpoints.changedIn(m, ctx.tenantId);
      return saved;
    });
    return { endpoint, secret };
  }

  /** Re-enabling an endpoint sends what waited while it was disabled, in order. */
  async update(ctx: RequestContext, id: string, input: UpdateWebhookEndpointInput): Promise<WebhookEndpoint> {
    if (input.url) await this.checkUrl(input.url);
    return this.db.run(ctx, async (m) => {
      const endpoint = await this.lockEndpoint(m, ctx, id);
      const reenabled = input.enabled === true && !endpoint.enabled;
      Object.assign(endpoint, definedFields({ ...input, events: input.events && [...new Set(input.events)] }));
      if (input.enabled !== undefined) endpoint.disabledReason = null;
      await m.save(endpoint);
      await this.collectingEndpoints.changedIn(m, ctx.tenantId);
      if (reenabled) await this.kickWaiting(m, ctx.tenantId, id);
      return endpoint;
    });
  }

  async rotateSecret(ctx: RequestContext, id: string): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const secret = newSecret();
    const endpoint = await this.db.run(ctx, async (m) => {
      const endpoint = await this.lockEndpoint(m, ctx, id);
      endpoint.secret = this.box.seal(secret, secretLabel(id));
      return m.save(endpoint);
    });
    return { endpoint, secret };
  }

  async delete(ctx: RequestContext, id: string): Promise<boolean> {
    return this.db.run(ctx, async (m) => {
      await this.lockEndpoint(m, ctx, id);
      await m.delete(WebhookEndpoint, { tenantId: ctx.tenantId, id });
      await this.collectingEndpoints.changedIn(m, ctx.tenantId);
      return true;
    });
  }

  // ── delivery log ──────────────────────────────────────────────────────────────────────────

  async deliveries(ctx: RequestContext, endpointId: string, status: WebhookDeliveryStatus | undefined, page: PageArgs): Promise<Connection<WebhookDelivery>> {
    const readPage = newestFirstPage(page, 100);
    const where = (m: EntityManager) => {
      const q = m.createQueryBuilder(WebhookDelivery, 'd').where('d.tenant_id = :tenantId AND d.endpoint_id = :endpointId', { tenantId: ctx.tenantId, endpointId });
      if (status) q.andWhere('d.status = :status', { status });
      return q;
    };
    return this.db.read(ctx, async (m) => {
      if (!(await m.existsBy(WebhookEndpoint, { tenantId: ctx.tenantId, id: endpointId }))) throw notFound('Webhook endpoint', endpointId);
      return readPage(where(m), () => this.db.read(ctx, (r) => where(r).getCount()));
    });
  }

  /** Sends a delivery's event again as a new delivery (same event id, so receivers can de-duplicate). */
  async replay(ctx: RequestContext, deliveryId: string): Promise<WebhookDelivery> {
    return this.db.run(ctx, async (m) => {
      const original = await m.findOneBy(WebhookDelivery, { tenantId: ctx.tenantId, id: deliveryId });
      if (!original) throw notFound('Webhook delivery', deliveryId);
      const replay = m.create(WebhookDelivery, {
        ...pick(original, ['tenantId', 'endpointId', 'eventId', 'eventType', 'ticketId', 'payload']),
        id: uuidv7(),
        status: WebhookDeliveryStatus.PENDING,
        attempts: 0,
        nextAttemptAt: new Date(),
        replayOfId: original.id,
      });
      await m.insert(WebhookDelivery, replay);
      await this.sendSoon(m);
      return m.findOneByOrFail(WebhookDelivery, { tenantId: ctx.tenantId, id: replay.id });
    });
  }

  // ── outbox and dispatch ───────────────────────────────────────────────────────────────────

  /**
   * Inside the transaction of the change: one delivery per subscribed endpoint, due at once. An
   * endpoint disabled for failing keeps collecting deliveries (parked), sent in order once it is
   * re-enabled; one an admin switched off collects nothing.
   */
  private async writeOutbox(manager: EntityManager, events: readonly TicketEvent[], readNotices: () => Promise<TicketEventNotice[]>): Promise<void> {
    const tenants = [...new Set(events.map((e) => e.tenantId))];
    const endpoints = (
      await Promise.all(
        tenants.map((tenantId) =>
          this.collectingEndpoints.get(tenantId, () =>
            manager.query(`SELECT tenant_id, id, events, enabled FROM webhook_endpoints WHERE tenant_id = $1 AND (enabled OR disabled_reason IS NOT NULL)`, [tenantId]),
          ),
        ),
      )
    ).flat();
    if (endpoints.length === 0) return;
    const notices = await readNotices();
    const now = new Date();
    const rows = notices.flatMap((notice) =>
      endpoints
        .filter((e) => e.tenant_id === notice.tenantId && (e.events.length === 0 || e.events.includes(notice.type)))
        .map((e) => ({
          enabled: e.enabled,
          tenantId: notice.tenantId,
          id: uuidv7(),
          endpointId: e.id,
          eventId: notice.id,
          eventType: notice.type,
          ticketId: notice.ticketId,
          payload: bodyOf(notice),
          status: WebhookDeliveryStatus.PENDING,
          attempts: 0,
          nextAttemptAt: e.enabled ? now : null,
        })),
    );
    if (rows.length === 0) return;
    await manager.insert(
      WebhookDelivery,
      rows.map(({ enabled: _enabled, ...row }) => row),
    );
    if (rows.some((r) => r.enabled)) await this.sendSoon(manager);
  }

  /** Once the transaction commits, this instance looks for due deliveries at once (others find them at their next poll). */
  private sendSoon(manager: EntityManager): Promise<void> {
    return this.hooks.afterCommit(manager, () => this.dispatcher.wake());
  }

  /**
   * One attempt of a claimed delivery: call the receiver outside any transaction (a slow receiver
   * holds no database connection), then record the outcome.
   */
  async attempt(tenantId: string, claimed: ClaimedDelivery): Promise<void> {
    const outcome = await this.postSigned(claimed);
    await this.record(tenantId, claimed.id, outcome);
  }

  /** A signing secret no configured key opens fails the attempt (retried with back-off), not the worker. */
  private async postSigned(claimed: ClaimedDelivery): Promise<{ ok: boolean; status: number | null; error: string | null }> {
    let secret: string;
    try {
      secret = this.box.open(claimed.secret, secretLabel(claimed.endpoint_id));
    } catch (error) {
      if (!(error instanceof SecretUnreadable)) throw error;
      return { ok: false, status: null, error: `Signing secret: ${error.message}` };
    }
    return this.post(claimed.url, secret, claimed.payload, claimed.id);
  }

  /**
   * Takes up to `count` of one store's due deliveries for an attempt each. A due delivery whose
   * endpoint is disabled, or with an earlier delivery of the same ticket to the same endpoint still
   * pending, is parked instead (next_attempt_at null): the earlier one hands over when it is done
   * (kickNext), re-enabling hands over to the endpoint's waiting deliveries (kickWaiting). The
   * claim is a lease: next_attempt_at moves past the attempt's time-out, so no other worker takes
   * it meanwhile, and it comes due again if this process dies.
   *
   * Two statements: the first locks due rows (skipping those another claim or a hand-over holds),
   * the second, with a fresh snapshot taken after the locks, looks for earlier pending deliveries.
   * A hand-over always writes the row it hands to, so either it waited for this claim's lock (and
   * un-parks what the claim parked) or the claim skipped the row or saw the earlier delivery done.
   */
  private claim(tenantId: string, count: number): Promise<ClaimedDelivery[]> {
    return this.db.run(tenantId, async (m) => {
      // No tie-break on id: a burst of deliveries shares one timestamp, and the index scan must stop at the limit.
      const locked: Array<{ id: string }> = await m.query(
        `SELECT id FROM webhook_deliveries WHERE tenant_id = $1 AND status = 'PENDING' AND next_attempt_at <= now()
          ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [tenantId, count + CLAIM_LOOKAHEAD],
      );
      if (locked.length === 0) return [];
      const leaseEnd = new Date(Date.now() + (this.config.WEBHOOK_TIMEOUT_SECONDS + LEASE_MARGIN_SECONDS) * 1000);
      const [rows]: [Array<ClaimedDelivery & { waits: boolean }>, number] = await m.query(
        `WITH verdict AS (
           SELECT d.id, d.next_attempt_at,
                  NOT e.enabled OR (d.ticket_id IS NOT NULL AND EXISTS (
                    SELECT 1 FROM webhook_deliveries p
                     WHERE p.tenant_id = d.tenant_id AND p.endpoint_id = d.endpoint_id AND p.ticket_id = d.ticket_id
                       AND p.status = 'PENDING' AND (p.event_id, p.id) < (d.event_id, d.id))) AS waits
             FROM webhook_deliveries d JOIN webhook_endpoints e ON e.tenant_id = d.tenant_id AND e.id = d.endpoint_id
            WHERE d.tenant_id = $1 AND d.id = ANY($2::uuid[]) AND d.status = 'PENDING'
         ), chosen AS (
           SELECT id, waits, row_number() OVER (PARTITION BY waits ORDER BY next_attempt_at, id) AS n FROM verdict
         )
         UPDATE webhook_deliveries d SET next_attempt_at = CASE WHEN c.waits THEN NULL ELSE $3::timestamptz END
           FROM chosen c, webhook_endpoints e
          WHERE d.tenant_id = $1 AND d.id = c.id AND (c.waits OR c.n <= $4) AND e.tenant_id = d.tenant_id AND e.id = d.endpoint_id
          RETURNING d.id, d.endpoint_id, d.payload, e.url, e.secret, c.waits`,
        [tenantId, locked.map((l) => l.id), leaseEnd, count],
      );
      return rows.filter((r) => !r.waits);
    });
  }

  private record(tenantId: string, deliveryId: string, outcome: { ok: boolean; status: number | null; error: string | null }): Promise<void> {
    return this.db.run(tenantId, async (m) => {
      const [row] = await m.query(`SELECT id, endpoint_id, ticket_id, attempts, created_at FROM webhook_deliveries WHERE tenant_id = $1 AND id = $2 AND status = 'PENDING' FOR UPDATE`, [
        tenantId,
        deliveryId,
      ]);
      if (!row) return; // its endpoint was deleted meanwhile
      const attempts = (row.attempts as number) + 1;
      const now = new Date();
      if (outcome.ok) {
        await m.update(
          WebhookDelivery,
          { tenantId, id: deliveryId },
          { status: WebhookDeliveryStatus.DELIVERED, attempts, lastAttemptAt: now, deliveredAt: now, responseStatus: outcome.status, lastError: null, nextAttemptAt: null },
        );
        await this.kickNext(m, tenantId, row.endpoint_id as string, row.ticket_id as string | null);
        return;
      }
      const next = nextAttemptAt(this.policy, row.created_at as Date, attempts, now, Math.random());
      await m.update(
        WebhookDelivery,
        { tenantId, id: deliveryId },
        { status: next ? WebhookDeliveryStatus.PENDING : WebhookDeliveryStatus.FAILED, attempts, lastAttemptAt: now, nextAttemptAt: next, responseStatus: outcome.status, lastError: outcome.error },
      );
      if (next) return;
      const reason = `Deliveries failed for ${Math.round(this.policy.retryForMs / 3_600_000)} h (last: ${outcome.error}); re-enable the endpoint to send what is waiting`;
      await m.update(WebhookEndpoint, { tenantId, id: row.endpoint_id }, { enabled: false, disabledReason: reason });
      await this.collectingEndpoints.changedIn(m, tenantId);
      this.logger.warn(`Webhook endpoint ${row.endpoint_id} of tenant ${tenantId} disabled: ${reason}`);
    });
  }

  /**
   * What the delivery log keeps of an attempt: the status code and its standard reason, or our own
   * account of a connection that failed or was refused. Never the receiver's body or reason phrase:
   * admins read the log, and an answer from some other server must not be readable through it.
   */
  private async post(url: string, secret: string, payload: JsonObject, deliveryId: string): Promise<{ ok: boolean; status: number | null; error: string | null }> {
    const body = JSON.stringify(payload);
    try {
      const response = await this.http.request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Rida-Webhooks/1',
          'rida-webhook-id': deliveryId,
          'rida-event-id': String(payload.id),
          'rida-event-type': String(payload.type),
          'rida-signature': signWebhook(secret, body, Math.floor(Date.now() / 1000)),
        },
        body,
        timeoutMs: this.config.WEBHOOK_TIMEOUT_SECONDS * 1000,
        maxBytes: 0, // the answer's status is all we need
      });
      if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status, error: null };
      return { ok: false, status: response.status, error: `HTTP ${response.status}${STATUS_CODES[response.status] ? ` ${STATUS_CODES[response.status]}` : ''}` };
    } catch (error) {
      if (error instanceof OutboundTimeout) return { ok: false, status: null, error: 'Timed out' };
      // Refusals and Node's network errors ("connect ECONNREFUSED …") are our own words, safe to keep.
      return { ok: false, status: null, error: (error as Error).message };
    }
  }

  /**
   * Hands over to the next pending delivery of the same ticket: due at once if it was parked
   * waiting for this one. It always writes that row (a claim holding it is waited for; see claim).
   */
  private async kickNext(m: EntityManager, tenantId: string, endpointId: string, ticketId: string | null) {
    if (!ticketId) return;
    await m.query(
      // now() as a subquery inside coalesce: Citus refuses a non-immutable function there.
      `UPDATE webhook_deliveries SET next_attempt_at = coalesce(next_attempt_at, (SELECT now()))
        WHERE tenant_id = $1 AND status = 'PENDING' AND id = (
          SELECT id FROM webhook_deliveries WHERE tenant_id = $1 AND endpoint_id = $2 AND ticket_id = $3 AND status = 'PENDING'
           ORDER BY event_id, id LIMIT 1)`,
      [tenantId, endpointId, ticketId],
    );
  }

  /** After re-enabling: the oldest waiting delivery of each ticket (the rest follow one by one). */
  private async kickWaiting(m: EntityManager, tenantId: string, endpointId: string) {
    const waiting: Array<{ id: string }> = await m.query(
      `SELECT DISTINCT ON (ticket_id) id FROM webhook_deliveries WHERE tenant_id = $1 AND endpoint_id = $2 AND status = 'PENDING'
        ORDER BY ticket_id, event_id, id`,
      [tenantId, endpointId],
    );
    if (waiting.length === 0) return;
    await m.update(WebhookDelivery, { tenantId, id: In(waiting.map((w) => w.id)) }, { nextAttemptAt: new Date() });
    await this.sendSoon(m);
  }

  private async lockEndpoint(m: EntityManager, ctx: RequestContext, id: string): Promise<WebhookEndpoint> {
    const endpoint = await m.findOne(WebhookEndpoint, { where: { tenantId: ctx.tenantId, id }, lock: { mode: 'pessimistic_write' } });
    if (!endpoint) throw notFound('Webhook endpoint', id);
    return endpoint;
  }

  /** No credentials in the URL, and — unless private targets are allowed — a host on the public internet. */
  private async checkUrl(raw: string) {
    const url = new URL(raw); // the input's @IsUrl already refused anything but an absolute http(s) URL
    if (url.username || url.password) throw badInput('Webhook URLs carry no credentials; verify our signature instead', { url: ['must not contain a user or password'] });
    try {
      await this.guard.checkHost(url.hostname);
    } catch (error) {
      if (error instanceof OutboundTargetRefused) throw badInput('Webhook URLs must be reachable on the public internet', { url: [error.message] });
      throw error;
    }
  }
}

/** An endpoint that collects deliveries: enabled, or disabled for failing (it sends them once re-enabled). */
interface CollectingEndpoint {
  tenant_id: string;
  id: string;
  events: string[];
  enabled: boolean;
}

/** The body receivers get: the event, the ticket as committed, and who acted. */
function bodyOf(notice: TicketEventNotice): JsonObject {
  return {
    id: notice.id,
    type: notice.type,
    occurredAt: notice.at,
    actor: { type: notice.actorType, id: notice.actorId },
    ticket: { id: notice.ticketId, ...notice.ticket },
    data: notice.data,
  };
}

function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export const secretLabel = (endpointId: string) => `webhook:${endpointId}`;

function pick<T, K extends keyof T>(value: T, keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, value[k]])) as Pick<T, K>;
}
