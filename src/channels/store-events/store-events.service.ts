import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DateTime } from 'luxon';
import { EntityManager, In } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { TenantScope, TenantTransactions, tenantOf } from '../../common/database/tenant-transactions';
import { definedFields } from '../../common/defined-fields';
import { badInput, conflict, DomainError, notFound } from '../../common/errors/domain-error';
import { JobQueue } from '../../common/jobs/job-queue';
import { RequestContext, systemContext } from '../../common/request-context';
import { CsatService } from '../../metrics/csat.service';
import { CustomersService } from '../../tickets/customers.service';
import { Customer } from '../../tickets/entities/customer.entity';
import { AuthorType, Channel, CustomerTier, TIER_RANK, TicketCategory, TicketPriority } from '../../tickets/ticket-enums';
import { TicketsService } from '../../tickets/tickets.service';
import { automationChannel, Reach } from './automation-channel';
import { automationTiming, SURVEY_AFTER_FOLLOW_UP_MS } from './automation-timing';
import { DEFAULT_TIER_RULES, TierRule, tierFor } from './customer-tier';
import { StoreEventInput, StoreEventResult } from './dto/store-event.input';
import { UpdateStoreSettingsInput } from './dto/store-settings.input';
import { Order, OrderStatus } from './entities/order.entity';
import { AutomationKind, AutomationStatus, ScheduledAutomation } from './entities/scheduled-automation.entity';
import { StoreEvent, StoreEventType } from './entities/store-event.entity';
import { StoreSettings } from './entities/store-settings.entity';
import { applyStoreEvent, fillPlaceholders } from './order-lifecycle';
import { checkAutomationMessage, checkAutomationTemplates, checkTierRules, MESSAGE_PLACEHOLDERS } from './store-settings-rules';

const QUEUE = 'store-automation';

/** The orders lifetime value and order count add up (with the store's currency). */
const COUNTED_ORDERS = `paid_at IS NOT NULL AND status NOT IN ('RETURNED','CANCELLED')`;

export const DEFAULT_SETTINGS = {
  csatAfterSolveMessage: 'مرحباً {{customer.name}}، يهمّنا رأيك في خدمتنا في طلبك رقم {{ticket.number}}. قيّمنا بلمسة واحدة من هنا: {{survey.link}} — شكراً لك!',
  csatAfterSolveMessageEn: 'Hello {{customer.name}}, how did we do with your request #{{ticket.number}}? Rate us with one tap: {{survey.link}} — thank you!',
  followUpMessage: 'مرحباً {{customer.name}} 👋 وصلك طلبك رقم {{order.id}}، إن شاء الله وصل كل شيء سليماً وعلى ما يرام؟ إن احتجت أي مساعدة فقط ردّ على هذه الرسالة ونحن في خدمتك.',
  csatMessage: 'مرحباً {{customer.name}}، يهمّنا رأيك في تجربتك مع طلبك رقم {{order.id}}. قيّمنا من 1 إلى 5 من هنا: {{survey.link}} — شكراً لك!',
  delayMessage:
    'مرحباً {{customer.name}}، نعتذر منك: شحنة طلبك رقم {{order.id}} تأخرت عن موعدها، والموعد المتوقع الآن {{order.expectedDeliveryAt}}. نتابعها مع شركة الشحن وسنبلغك بأي جديد، وإن كان لديك أي سؤال ردّ على هذه الرسالة.',
};

/** The ticket each automation opens (its message text comes from the store's settings). */
const OPENS: Record<
  Exclude<AutomationKind, AutomationKind.SOLVED_CSAT>,
  { subject: (orderId: string) => string; template: 'delayMessage' | 'followUpMessage' | 'csatMessage'; category: TicketCategory; tag: string; priority?: TicketPriority }
> = {
  DELAY_NOTICE: { subject: (o) => `تأخر شحنة الطلب رقم ${o}`, template: 'delayMessage', category: TicketCategory.SHIPPING, tag: 'shipment-delay', priority: TicketPriority.HIGH },
  DELIVERY_FOLLOW_UP: { subject: (o) => `متابعة بعد توصيل الطلب رقم ${o}`, template: 'followUpMessage', category: TicketCategory.GENERAL, tag: 'delivery-follow-up' },
  DELIVERY_CSAT: { subject: (o) => `رأيك في طلبك رقم ${o}`, template: 'csatMessage', category: TicketCategory.GENERAL, tag: 'csat-after-delivery' },
};

interface AutomationJob {
  tenantId: string;
  automationId: string;
}

/**
 * Store events in: each event updates its order, the customer's lifetime value and order count,
 * their tier (when the store's rules decide it), and sets automations in motion — durable delayed
 * pg-boss jobs whose row in `scheduled_automations` decides whether they still run (cancelled
 * when the order is returned or cancelled, or by hand), so each runs at most once.
 */
@Injectable()
export class StoreEventsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(StoreEventsService.name);

  constructor(
    private readonly db: TenantTransactions,
    private readonly customers: CustomersService,
    private readonly tickets: TicketsService,
    private readonly csat: CsatService,
    private readonly jobs: JobQueue,
  ) {}

  async onApplicationBootstrap() {
    await this.jobs.queue(QUEUE, { retryLimit: 5, retryDelay: 30, retryBackoff: true });
    await this.jobs.work<AutomationJob>(QUEUE, (job) => this.runAutomation(job.data), { pollingIntervalSeconds: 1 });
  }

  async record(ctx: RequestContext, input: StoreEventInput): Promise<StoreEventResult> {
    const occurredAt = input.occurredAt ?? new Date();
    const externalId = input.eventId ?? `${input.orderId}:${input.type}:${occurredAt.toISOString()}`;
    return this.db.run(ctx, (m) => this.recordIn(m, ctx, { ...input, occurredAt, eventId: externalId }));
  }

  /**
   * record() inside the caller's transaction (a store platform's webhook records its delivery and
   * its events together). The event id, when given, makes a repeat harmless.
   */
  async recordIn(m: EntityManager, ctx: RequestContext, input: StoreEventInput): Promise<StoreEventResult> {
    const { event, duplicate } = await this.applyIn(m, ctx, input);
    return this.resultOf(m, ctx, event, duplicate);
  }

  /** recordIn() without reading back what it did (a platform webhook answers only whether it was new). */
  async applyIn(m: EntityManager, ctx: RequestContext, input: StoreEventInput): Promise<{ event: StoreEvent; duplicate: boolean; customerId: string }> {
    const occurredAt = input.occurredAt ?? new Date();
    const externalId = input.eventId ?? `${input.orderId}:${input.type}:${occurredAt.toISOString()}`;
    const seen = await m.findOneBy(StoreEvent, { tenantId: ctx.tenantId, externalId });
    if (seen) return { event: seen, duplicate: true, customerId: (await m.findOneByOrFail(Order, { tenantId: ctx.tenantId, id: seen.orderId })).customerId };

    const customer = await this.customers.resolve(m, ctx, input.customer);
    let order = await m.findOne(Order, { where: { tenantId: ctx.tenantId, externalId: input.orderId }, lock: { mode: 'pessimistic_write' } });
    if (order && order.customerId !== customer.id) {
      throw new DomainError('CONFLICT', `Order ${input.orderId} belongs to another customer`, { customer: ['does not match the order'] });
    }
    order ??= m.create(Order, {
      tenantId: ctx.tenantId,
      id: uuidv7(),
      externalId: input.orderId,
      customerId: customer.id,
      status: OrderStatus.CREATED,
      totalAmount: null,
      currency: 'SAR',
      items: [],
      placedAt: occurredAt,
      paidAt: null,
      shippedAt: null,
      deliveredAt: null,
      expectedDeliveryAt: null,
      returnedAt: null,
    });
    Object.assign(order, applyStoreEvent(order, input.type, occurredAt, input.expectedDeliveryAt ?? null));
    if (input.totalAmount !== undefined) order.totalAmount = input.totalAmount;
    if (input.currency) order.currency = input.currency;
    if (input.items) order.items = input.items.map((i) => ({ productId: i.productId, name: i.name, quantity: i.quantity, price: i.price ?? null }));
    await m.save(order);

    const event = m.create(StoreEvent, { tenantId: ctx.tenantId, id: uuidv7(), externalId, type: input.type, orderId: order.id, occurredAt });
    const inserted = await m.createQueryBuilder().insert().into(StoreEvent).values(event).orIgnore().execute();
    if ((inserted.raw as unknown[]).length === 0) throw conflict(`Store event ${externalId} is being recorded by another request; retry`);

    const settings = await this.settingsIn(m, ctx.tenantId);
    await this.refreshCustomer(m, ctx, customer.id, settings);
    await this.automate(m, ctx, order, input.type, settings);
    return { event, duplicate: false, customerId: customer.id };
  }

  /** The integrator decides the tier (MANUAL), or hands it back to the store's rules (null). */
  async setCustomerTier(ctx: RequestContext, customerId: string, tier: CustomerTier | null): Promise<Customer> {
    return this.db.run(ctx, async (m) => {
      const customer = await m.findOne(Customer, { where: { tenantId: ctx.tenantId, id: customerId }, lock: { mode: 'pessimistic_write' } });
      if (!customer) throw notFound('Customer', customerId);
      if (tier) {
        await m.update(Customer, { tenantId: ctx.tenantId, id: customerId }, { tier, tierSource: 'MANUAL' });
        if (tier !== customer.tier) await this.tickets.customerTierChanged(m, ctx, customerId);
      } else {
        await m.update(Customer, { tenantId: ctx.tenantId, id: customerId }, { tierSource: 'RULES' });
        await this.refreshCustomer(m, ctx, customerId, await this.settingsIn(m, ctx.tenantId));
      }
      return m.findOneByOrFail(Customer, { tenantId: ctx.tenantId, id: customerId });
    });
  }

  settings(ctx: RequestContext): Promise<StoreSettings> {
    return this.db.run(ctx, (m) => this.settingsIn(m, ctx.tenantId));
  }

  /**
   * Changes what store events set in motion. Automations already scheduled keep their time; new
   * tier rules re-tier at once every customer whose tier the rules decide.
   */
  async updateSettings(ctx: RequestContext, input: UpdateStoreSettingsInput): Promise<StoreSettings> {
    const problems: Record<string, string[]> = {};
    for (const field of Object.keys(MESSAGE_PLACEHOLDERS) as Array<keyof typeof MESSAGE_PLACEHOLDERS>) {
      const problem = input[field] === undefined ? null : checkAutomationMessage(field, input[field]!);
      if (problem) problems[field] = [problem];
    }
    const tierProblem = input.tierRules ? checkTierRules(input.tierRules) : null;
    if (tierProblem) problems.tierRules = [tierProblem];
    const templateProblem = input.whatsappTemplates ? checkAutomationTemplates(input.whatsappTemplates) : null;
    if (templateProblem) problems.whatsappTemplates = [templateProblem];
    if (Object.keys(problems).length) throw badInput('Invalid store settings', problems);
    return this.db.run(ctx, async (m) => {
      const before = await this.settingsIn(m, ctx.tenantId);
      const changes = definedFields(input) as Partial<StoreSettings>;
      if (input.tierRules) changes.tierRules = input.tierRules.map((r) => ({ tier: r.tier, minLifetimeValue: r.minLifetimeValue ?? null, minOrders: r.minOrders ?? null }));
      if (input.whatsappTemplates) changes.whatsappTemplates = input.whatsappTemplates.map(({ kind, name, language, parameters }) => ({ kind, name, language, parameters }));
      if (Object.keys(changes).length) await m.update(StoreSettings, { tenantId: ctx.tenantId }, changes);
      const after = await m.findOneByOrFail(StoreSettings, { tenantId: ctx.tenantId });
      if (after.currency !== before.currency) await this.recountAll(m, ctx.tenantId, after.currency);
      if (changes.tierRules || after.currency !== before.currency) await this.retierAll(m, ctx.tenantId, after.tierRules);
      return after;
    });
  }

  async cancelAutomation(ctx: RequestContext, id: string): Promise<ScheduledAutomation> {
    return this.db.run(ctx, async (m) => {
      const automation = await m.findOne(ScheduledAutomation, { where: { tenantId: ctx.tenantId, id }, lock: { mode: 'pessimistic_write' } });
      if (!automation) throw notFound('Automation', id);
      if (automation.status !== AutomationStatus.SCHEDULED) throw conflict(`The automation is already ${automation.status}`);
      await m.update(ScheduledAutomation, { tenantId: ctx.tenantId, id }, { status: AutomationStatus.CANCELLED, note: 'Cancelled by hand' });
      return m.findOneByOrFail(ScheduledAutomation, { tenantId: ctx.tenantId, id });
    });
  }

  /** The 20 latest orders of each customer, newest first. */
  ordersOf(scope: TenantScope, customerIds: readonly string[]): Promise<Order[]> {
    const tenantId = tenantOf(scope);
    return this.db.read(scope, async (m) => {
      const latest: Array<{ id: string }> = await m.query(
        `SELECT o.id FROM unnest($2::uuid[]) c(id) CROSS JOIN LATERAL (
           SELECT id FROM orders WHERE tenant_id = $1 AND customer_id = c.id ORDER BY placed_at DESC LIMIT 20) o`,
        [tenantId, customerIds],
      );
      return m.find(Order, { where: { tenantId, id: In(latest.map((o) => o.id)) }, order: { placedAt: 'DESC' } });
    });
  }

  ordersByExternalIds(scope: TenantScope, externalIds: readonly string[]): Promise<Order[]> {
    const tenantId = tenantOf(scope);
    return this.db.read(scope, (m) => m.createQueryBuilder(Order, 'o').where('o.tenant_id = :tenantId AND o.external_id = ANY(:ids)', { tenantId, ids: externalIds }).getMany());
  }

  automationsOf(scope: TenantScope, orderIds: readonly string[]): Promise<ScheduledAutomation[]> {
    const tenantId = tenantOf(scope);
    return this.db.read(scope, (m) =>
      m.createQueryBuilder(ScheduledAutomation, 'a').where('a.tenant_id = :tenantId AND a.order_id = ANY(:ids)', { tenantId, ids: orderIds }).orderBy('a.run_at').getMany(),
    );
  }

  // ── internals ─────────────────────────────────────────────────────────────────────────────

  private async resultOf(m: EntityManager, ctx: RequestContext, event: StoreEvent, duplicate: boolean): Promise<StoreEventResult> {
    const order = await m.findOneByOrFail(Order, { tenantId: ctx.tenantId, id: event.orderId });
    return {
      event: await m.findOneByOrFail(StoreEvent, { tenantId: ctx.tenantId, id: event.id }),
      order,
      customer: await m.findOneByOrFail(Customer, { tenantId: ctx.tenantId, id: order.customerId }),
      duplicate,
      automations: await m.find(ScheduledAutomation, { where: { tenantId: ctx.tenantId, orderId: order.id }, order: { runAt: 'ASC' } }),
    };
  }

  /** The store's settings, created with the defaults on first use. */
  async settingsIn(m: EntityManager, tenantId: string): Promise<StoreSettings> {
    await m
      .createQueryBuilder()
      .insert()
      .into(StoreSettings)
      .values({ tenantId, ...DEFAULT_SETTINGS, tierRules: DEFAULT_TIER_RULES })
      .orIgnore()
      .execute();
    return m.findOneByOrFail(StoreSettings, { tenantId });
  }

  /** Lifetime value and order count from the customer's paid orders in the store's currency, not returned or cancelled; the tier from the rules. */
  private async refreshCustomer(m: EntityManager, ctx: RequestContext, customerId: string, settings: StoreSettings) {
    const { tenantId } = ctx;
    const [[row]]: [[{ lifetime_value: string; order_count: number; tier_source: string; tier: CustomerTier }]] = await m.query(
      `UPDATE customers c SET lifetime_value = t.value, order_count = t.orders, updated_at = now()
         FROM (SELECT coalesce(sum(total_amount), 0) AS value, count(*)::int AS orders FROM orders
                WHERE tenant_id = $1 AND customer_id = $2 AND ${COUNTED_ORDERS} AND currency = $3) t
        WHERE c.tenant_id = $1 AND c.id = $2
        RETURNING c.lifetime_value, c.order_count, c.tier_source, c.tier`,
      [tenantId, customerId, settings.currency],
    );
    if (row.tier_source !== 'RULES') return;
    const tier = tierFor(settings.tierRules, Number(row.lifetime_value), row.order_count);
    if (tier === row.tier) return;
    await m.update(Customer, { tenantId, id: customerId }, { tier });
    await this.tickets.customerTierChanged(m, ctx, customerId);
  }

  /** refreshCustomer()'s lifetime value and order count for every customer of the store, in one statement. */
  private async recountAll(m: EntityManager, tenantId: string, currency: string) {
    await m.query(
      `UPDATE customers c SET lifetime_value = coalesce(o.value, 0), order_count = coalesce(o.orders, 0), updated_at = now()
         FROM customers c2 LEFT JOIN (
                SELECT customer_id, sum(total_amount) AS value, count(*)::int AS orders FROM orders
                 WHERE tenant_id = $1 AND ${COUNTED_ORDERS} AND currency = $2 GROUP BY 1) o ON o.customer_id = c2.id
        WHERE c.tenant_id = $1 AND c2.tenant_id = $1 AND c2.id = c.id
          AND (c.lifetime_value, c.order_count) IS DISTINCT FROM (coalesce(o.value, 0), coalesce(o.orders, 0))`,
      [tenantId, currency],
    );
  }

  /** tierFor() over every rules-tiered customer of the store, in one statement. */
  private async retierAll(m: EntityManager, tenantId: string, rules: TierRule[]) {
    const ranked = rules.map((r) => ({ ...r, rank: TIER_RANK[r.tier] }));
    await m.query(
      `UPDATE customers c SET tier = n.tier, updated_at = now()
         FROM (SELECT c2.id, coalesce((
                 SELECT r.tier FROM jsonb_to_recordset($2::jsonb) r(tier text, "minLifetimeValue" numeric, "minOrders" int, rank int)
                  WHERE c2.lifetime_value >= r."minLifetimeValue" OR c2.order_count >= r."minOrders" ORDER BY r.rank DESC LIMIT 1), 'STANDARD') AS tier
                 FROM customers c2 WHERE c2.tenant_id = $1 AND c2.tier_source = 'RULES') n
        WHERE c.tenant_id = $1 AND c.id = n.id AND c.tier <> n.tier`,
      [tenantId, JSON.stringify(ranked)],
    );
  }

  private async automate(m: EntityManager, ctx: RequestContext, order: Order, type: StoreEventType, settings: StoreSettings) {
    // Events arrive late and out of order: a delivery reported after the return, or a delay after
    // the delivery, no longer sets anything in motion (applyStoreEvent never moves status back).
    if (type === StoreEventType.ORDER_DELIVERED && order.status === OrderStatus.DELIVERED && order.deliveredAt) {
      if (settings.followUpAfterDeliveryHours !== null) {
        await this.schedule(m, ctx.tenantId, order, AutomationKind.DELIVERY_FOLLOW_UP, new Date(order.deliveredAt.getTime() + settings.followUpAfterDeliveryHours * 3_600_000));
      }
      if (settings.csatAfterDeliveryDays !== null) {
        await this.schedule(m, ctx.tenantId, order, AutomationKind.DELIVERY_CSAT, new Date(order.deliveredAt.getTime() + settings.csatAfterDeliveryDays * 86_400_000));
      }
    }
    if (type === StoreEventType.ORDER_DELAYED && order.status === OrderStatus.DELAYED && settings.delayNotices) {
      // Delayed again to a new date: another notice; the same delay reported twice: none.
      await this.schedule(m, ctx.tenantId, order, AutomationKind.DELAY_NOTICE, new Date(), order.expectedDeliveryAt?.toISOString() ?? '');
    }
    if (type === StoreEventType.ORDER_RETURNED || type === StoreEventType.ORDER_CANCELLED) {
      await m.update(
        ScheduledAutomation,
        { tenantId: ctx.tenantId, orderId: order.id, status: AutomationStatus.SCHEDULED },
        { status: AutomationStatus.CANCELLED, note: `Order ${type === StoreEventType.ORDER_RETURNED ? 'returned' : 'cancelled'}` },
      );
    }
  }

  private async openTicketOfEarlierNotice(m: EntityManager, tenantId: string, automation: ScheduledAutomation): Promise<string | null> {
    const [row]: Array<{ id: string }> = await m.query(
      `SELECT t.id FROM scheduled_automations a JOIN tickets t ON t.tenant_id = a.tenant_id AND t.id = a.ticket_id
        WHERE a.tenant_id = $1 AND a.order_id = $2 AND a.kind = $3 AND a.status = 'DONE' AND a.id <> $4 AND t.status IN ('NEW','OPEN','PENDING','ON_HOLD')
        ORDER BY a.done_at DESC LIMIT 1`,
      [tenantId, automation.orderId, automation.kind, automation.id],
    );
    return row?.id ?? null;
  }

  /** One automation of a kind per order and occurrence (a repeated DELIVERED does not schedule twice). */
  private async schedule(m: EntityManager, tenantId: string, order: Order, kind: AutomationKind, runAt: Date, occurrence = '') {
    // Past due by more than the grace period (a backdated event): recorded as SKIPPED, never run.
    const timing = automationTiming(runAt, new Date());
    const [row]: Array<{ id: string }> = await m.query(
      `INSERT INTO scheduled_automations (tenant_id, id, kind, order_id, run_at, occurrence, status, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (tenant_id, order_id, kind, occurrence) DO NOTHING RETURNING id`,
      [tenantId, uuidv7(), kind, order.id, runAt, occurrence, timing.run ? AutomationStatus.SCHEDULED : AutomationStatus.SKIPPED, timing.run ? null : timing.note],
    );
    if (row && timing.run) await this.jobs.send<AutomationJob>(m, QUEUE, { tenantId, automationId: row.id }, { startAfter: runAt });
  }

  /**
   * The survey never goes before the order's follow-up: while the follow-up still waits, the
   * survey moves to an hour after it (its job is sent again for then). True when it was moved.
   */
  private async surveyWaitsForFollowUp(m: EntityManager, tenantId: string, automation: ScheduledAutomation): Promise<boolean> {
    if (automation.kind !== AutomationKind.DELIVERY_CSAT) return false;
    const followUp = await m.findOneBy(ScheduledAutomation, { tenantId, orderId: automation.orderId, kind: AutomationKind.DELIVERY_FOLLOW_UP, status: AutomationStatus.SCHEDULED });
    if (!followUp) return false;
    const runAt = new Date(Math.max(followUp.runAt.getTime(), Date.now()) + SURVEY_AFTER_FOLLOW_UP_MS);
    await m.update(ScheduledAutomation, { tenantId, id: automation.id }, { runAt });
    await this.jobs.send<AutomationJob>(m, QUEUE, { tenantId, automationId: automation.id }, { startAfter: runAt });
    return true;
  }

  /** How the store can reach the customer now: their phone and email, the store's connected WhatsApp and mailboxes. */
  async reachOf(m: EntityManager, tenantId: string, customerId: string): Promise<Reach> {
    const [reach]: Reach[] = await m.query(
      `SELECT EXISTS (SELECT 1 FROM customer_identities WHERE tenant_id = $1 AND customer_id = $2 AND kind = 'PHONE') AS phone,
              EXISTS (SELECT 1 FROM customer_identities WHERE tenant_id = $1 AND customer_id = $2 AND kind = 'EMAIL') AS email,
              EXISTS (SELECT 1 FROM messaging_channels WHERE tenant_id = $1 AND kind = 'WHATSAPP' AND active) AS "whatsappConnected",
              EXISTS (SELECT 1 FROM mailboxes WHERE tenant_id = $1 AND active) AS "mailboxConnected"`,
      [tenantId, customerId],
    );
    return reach;
  }

  /**
   * Runs a due automation once: its ticket and DONE commit together under the automation's row
   * lock, so neither a second run nor a cancel racing it can make it send twice or after all.
   */
  async runAutomation({ tenantId, automationId }: AutomationJob): Promise<void> {
    const loaded = await this.db.run(tenantId, async (m) => {
      const automation = await m.findOneBy(ScheduledAutomation, { tenantId, id: automationId, status: AutomationStatus.SCHEDULED });
      if (!automation || (await this.surveyWaitsForFollowUp(m, tenantId, automation))) return null;
      const order = await m.findOneByOrFail(Order, { tenantId, id: automation.orderId });
      const customer = await m.findOneByOrFail(Customer, { tenantId, id: order.customerId });
      const [tenant]: Array<{ timezone: string; default_country: string }> = await m.query(`SELECT timezone, default_country FROM tenants WHERE id = $1`, [tenantId]);
      const [last]: Array<{ channel: Channel }> = await m.query(`SELECT channel FROM tickets WHERE tenant_id = $1 AND customer_id = $2 ORDER BY created_at DESC LIMIT 1`, [tenantId, customer.id]);
      const reach = await this.reachOf(m, tenantId, customer.id);
      const settings = await this.settingsIn(m, tenantId);
      return { automation, order, customer, tenant, settings, channel: automationChannel(last?.channel ?? null, reach) };
    });
    if (!loaded) return;
    const { automation, order, customer, tenant, settings, channel } = loaded;
    const ctx = systemContext(tenantId, tenant.timezone, tenant.default_country);
    const values: Record<string, string> = {
      'customer.name': customer.name ?? 'عميلنا العزيز',
      'order.id': order.externalId,
      'order.expectedDeliveryAt': order.expectedDeliveryAt
        ? DateTime.fromJSDate(order.expectedDeliveryAt).setZone(tenant.timezone).setLocale('ar').reconfigure({ outputCalendar: 'gregory', numberingSystem: 'latn' }).toLocaleString(DateTime.DATE_HUGE)
        : 'قريباً',
    };
    // Order automations only: the survey after a solve is sent by SurveyMessagesService.
    if (automation.kind === AutomationKind.SOLVED_CSAT) return;
    const opens = OPENS[automation.kind];
    // The survey id is the automation's, so a retry re-sends the same link.
    if (automation.kind === AutomationKind.DELIVERY_CSAT) {
      values['survey.link'] = this.csat.linkFor(automation.id);
    }
    const template = channel === Channel.WHATSAPP ? settings.whatsappTemplates.find((t) => t.kind === automation.kind) : undefined;
    const extras = template ? { content: { type: 'template', template: { name: template.name, language: template.language, parameters: template.parameters.map((p) => values[p] ?? '') } } } : {};
    // The ticket, its survey and DONE commit together under the automation's row lock, which a
    // cancel takes too: an automation cancelled meanwhile sends nothing.
    const ran = await this.tickets.inOneTransaction(ctx, async (steps, m) => {
      const [current]: Array<{ status: AutomationStatus }> = await m.query(`SELECT status FROM scheduled_automations WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [tenantId, automationId]);
      if (current?.status !== AutomationStatus.SCHEDULED) return false;
      const body = fillPlaceholders(settings[opens.template], values);
      // A second delay of the order goes on the conversation of the first while it is open.
      const earlier = automation.kind === AutomationKind.DELAY_NOTICE ? await this.openTicketOfEarlierNotice(m, tenantId, automation) : null;
      const ticket = earlier
        ? (await steps.addMessage({ ticketId: earlier, body, authorType: AuthorType.SYSTEM, internal: false }, extras)).ticket
        : await steps.createProactive(
            {
              customerId: customer.id,
              subject: opens.subject(order.externalId),
              body,
              channel,
              category: opens.category,
              tags: ['proactive', opens.tag],
              orderRef: order.externalId,
              priority: opens.priority,
              idempotencyKey: `automation:${automation.id}`,
            },
            extras,
          );
      if (automation.kind === AutomationKind.DELIVERY_CSAT) await this.csat.issue(m, tenantId, automation.id, ticket.id, customer.id);
      await m.query(`UPDATE scheduled_automations SET status = 'DONE', ticket_id = $3, done_at = now() WHERE tenant_id = $1 AND id = $2`, [tenantId, automationId, ticket.id]);
      return true;
    });
    if (ran) this.logger.log(`Automation ${automation.kind} ran for order ${order.externalId} of tenant ${tenantId}`);
  }
}
