import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TransactionHooks } from '../database/transaction-hooks';
import { EventBus, PUB_SUB } from '../events/event-bus';

const SETTINGS_CHANGED = 'STORE_SETTINGS_CHANGED';

/**
 * A backstop only: a change is normally seen within milliseconds through the event bus; this
 * bounds how long an instance could keep settings whose change notice it missed (its LISTEN
 * connection was down at that moment).
 */
const MAX_AGE_MS = 5 * 60_000;

interface ChangeNotice {
  region: string;
  tenantId: string;
}

/**
 * One kind of store settings (routing rules, SLA calendar and policies, webhook endpoints …) kept
 * in memory per store on every instance, and dropped on every instance when an admin changes them.
 *
 * The change notice travels with the transaction that made the change (NOTIFY, delivered at
 * COMMIT) or right after its commit (Redis), so once a change has committed and been delivered no
 * instance uses the older settings. A load that was under way when a notice arrived is not kept
 * (the generation check), so a slow read of the old rows cannot bring them back.
 */
export class SettingsRegion<V> {
  private readonly entries = new Map<string, { value: V; loadedAt: number }>();
  private readonly loading = new Map<string, Promise<V>>();
  /** Stores with a change under way in some transaction: what is read now may be uncommitted. */
  private readonly changing = new Map<string, number>();
  private generation = 0;

  constructor(
    readonly name: string,
    private readonly announce: (manager: EntityManager, notice: ChangeNotice) => Promise<void>,
    private readonly afterEnd: (manager: EntityManager, hook: () => void) => Promise<void>,
  ) {}

  /** The store's settings, loaded by `load` on a miss (concurrent misses share one load). */
  async get(tenantId: string, load: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(tenantId);
    if (entry && Date.now() - entry.loadedAt < MAX_AGE_MS) return entry.value;
    let pending = this.loading.get(tenantId);
    if (!pending) {
      const generation = this.generation;
      pending = load()
        .then((value) => {
          if (this.generation === generation && !this.changing.has(tenantId)) this.entries.set(tenantId, { value, loadedAt: Date.now() });
          return value;
        })
        .finally(() => this.loading.delete(tenantId));
      this.loading.set(tenantId, pending);
    }
    return pending;
  }

  /** Called inside the transaction that changes the settings: every instance drops them once it commits. */
  async changedIn(manager: EntityManager, tenantId: string): Promise<void> {
    this.drop(tenantId);
    // Until that transaction ends nothing of this store is kept here: a read inside it (or racing
    // it) may see the change before it commits — or a change that then rolls back.
    this.changing.set(tenantId, (this.changing.get(tenantId) ?? 0) + 1);
    await this.afterEnd(manager, () => {
      const left = (this.changing.get(tenantId) ?? 1) - 1;
      if (left > 0) this.changing.set(tenantId, left);
      else this.changing.delete(tenantId);
      this.drop(tenantId);
    });
    await this.announce(manager, { region: this.name, tenantId });
  }

  /** Forgets one store's settings here (a change notice arrived). */
  drop(tenantId: string): void {
    this.generation++;
    this.entries.delete(tenantId);
    this.loading.delete(tenantId);
  }
}

/** The regions of store settings, and the wire that keeps them current across instances. */
@Injectable()
export class StoreSettingsCache implements OnModuleInit {
  private readonly regions = new Map<string, SettingsRegion<unknown>>();

  constructor(
    @Inject(PUB_SUB) private readonly bus: EventBus,
    private readonly hooks: TransactionHooks,
  ) {}

  async onModuleInit() {
    await this.bus.subscribe(SETTINGS_CHANGED, (payload) => {
      const { region, tenantId } = payload as ChangeNotice;
      this.regions.get(region)?.drop(tenantId);
    });
  }

  region<V>(name: string): SettingsRegion<V> {
    if (this.regions.has(name)) throw new Error(`Settings region ${name} exists already`);
    const region = new SettingsRegion<V>(
      name,
      (manager, notice) => this.announce(manager, notice),
      (manager, hook) => this.hooks.afterEnd(manager, hook),
    );
    this.regions.set(name, region as SettingsRegion<unknown>);
    return region;
  }

  private async announce(manager: EntityManager, notice: ChangeNotice): Promise<void> {
    if (this.bus.transactional) await this.bus.publishWithin(manager, SETTINGS_CHANGED, notice);
    else await this.hooks.afterCommit(manager, () => this.bus.publish(SETTINGS_CHANGED, notice));
  }
}
