import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../common/config/app-config';
import { AllStores } from '../../common/database/all-stores';
import { shareSlots } from './fair-share';

/** How often an instance looks for due deliveries when nothing woke it (new deliveries of this instance wake it at once). */
export const WEBHOOK_POLL_MS = 500;

/**
 * The stores with a delivery due, one index probe per store (a loose scan of
 * webhook_deliveries_due_idx), however long a store's backlog is.
 */
const DUE_STORES = `/* background: webhook poll */
  WITH RECURSIVE due AS (
    (SELECT tenant_id FROM webhook_deliveries WHERE status = 'PENDING' AND next_attempt_at <= now() ORDER BY tenant_id LIMIT 1)
    UNION ALL
    SELECT (SELECT d.tenant_id FROM webhook_deliveries d
             WHERE d.status = 'PENDING' AND d.next_attempt_at <= now() AND d.tenant_id > due.tenant_id ORDER BY d.tenant_id LIMIT 1)
      FROM due WHERE due.tenant_id IS NOT NULL
  )
  SELECT tenant_id FROM due WHERE tenant_id IS NOT NULL`;
/** The same on Citus, which runs a recursive CTE only within one store: each shard finds its own through its index. */
const DUE_STORES_DISTRIBUTED = `SELECT DISTINCT tenant_id FROM webhook_deliveries WHERE status = 'PENDING' AND next_attempt_at <= now()`;

/** Claims up to `count` due deliveries of one store (as that store) and returns them. */
export type ClaimDeliveries<T> = (tenantId: string, count: number) => Promise<T[]>;
/** Sends one claimed delivery and records its outcome. */
export type SendDelivery<T> = (tenantId: string, claimed: T) => Promise<void>;

/**
 * Sends each instance's webhook deliveries, fairly between stores. The deliveries table is the
 * queue (a due PENDING row is work; a claim leases it past the receiver's time-out, so a dead
 * instance's deliveries come due again). Each round finds the stores with deliveries due and shares
 * the free slots (WEBHOOK_CONCURRENCY per instance) between them round-robin, at most
 * WEBHOOK_CONCURRENCY_PER_STORE in flight for one store (see shareSlots). A store with a backlog,
 * or with receivers that hang until the time-out, only ever holds its own share: another store's
 * new delivery takes a free slot at the next round.
 */
@Injectable()
export class WebhookDispatcher implements BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly inFlight = new Map<string, number>();
  private readonly lastServed = new Map<string, number>();
  private readonly sending = new Set<Promise<void>>();
  private running = 0;
  private served = 0;
  private stopped = true;
  private timer?: NodeJS.Timeout;
  private round?: Promise<void>;
  private again = false;
  private claim?: ClaimDeliveries<unknown>;
  private send?: SendDelivery<unknown>;

  constructor(
    private readonly allStores: AllStores,
    private readonly config: AppConfig,
  ) {}

  start<T>(claim: ClaimDeliveries<T>, send: SendDelivery<T>): void {
    this.claim = claim as ClaimDeliveries<unknown>;
    this.send = send as SendDelivery<unknown>;
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), WEBHOOK_POLL_MS);
    this.wake();
  }

  /** Looks for due deliveries now (a round already under way runs once more when it ends). */
  wake(): void {
    if (this.stopped) return;
    if (this.round) {
      this.again = true;
      return;
    }
    this.round = this.dispatch()
      .catch((error: Error) => this.logger.error(`Webhook dispatch failed: ${error.message}`))
      .finally(() => {
        this.round = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async dispatch(): Promise<void> {
    const free = this.config.WEBHOOK_CONCURRENCY - this.running;
    if (free <= 0) return;
    // Across stores: finding which stores have deliveries due; each store's claim runs as that store.
    const due: Array<{ tenant_id: string }> = await this.allStores.query((await this.allStores.distributed()) ? DUE_STORES_DISTRIBUTED : DUE_STORES);
    const stores = due.map((d) => d.tenant_id);
    for (const store of this.lastServed.keys()) if (!this.inFlight.has(store) && !stores.includes(store)) this.lastServed.delete(store);
    const shares = shareSlots(stores, free, this.config.WEBHOOK_CONCURRENCY_PER_STORE, this.inFlight, this.lastServed);
    for (const [tenantId, count] of shares) {
      if (this.stopped) return;
      this.lastServed.set(tenantId, ++this.served);
      let claimed: unknown[];
      try {
        claimed = await this.claim!(tenantId, count);
      } catch (error) {
        this.logger.error(`Claiming webhook deliveries of tenant ${tenantId} failed: ${(error as Error).message}`);
        continue;
      }
      for (const delivery of claimed) this.launch(tenantId, delivery);
    }
  }

  private launch(tenantId: string, delivery: unknown) {
    this.running++;
    this.inFlight.set(tenantId, (this.inFlight.get(tenantId) ?? 0) + 1);
    const sent: Promise<void> = this.send!(tenantId, delivery)
      // The lease runs out and the delivery comes due again; nothing is lost.
      .catch((error: Error) => this.logger.error(`Webhook delivery of tenant ${tenantId} failed: ${error.message}`))
      .finally(() => {
        this.running--;
        const left = this.inFlight.get(tenantId)! - 1;
        if (left === 0) this.inFlight.delete(tenantId);
        else this.inFlight.set(tenantId, left);
        this.sending.delete(sent);
        this.wake();
      });
    this.sending.add(sent);
  }

  /** Before the pool closes: no new claims, and the deliveries in flight finish (each within the receiver's time-out). */
  async beforeApplicationShutdown() {
    this.stopped = true;
    clearInterval(this.timer);
    await this.round;
    await Promise.allSettled([...this.sending]);
  }
}
