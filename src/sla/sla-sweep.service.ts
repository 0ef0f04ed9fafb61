import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AllStores } from '../common/database/all-stores';
import { TenantTransactions } from '../common/database/tenant-transactions';
import { OperationalMetrics } from '../common/observability/operational-metrics';
import { AppConfig } from '../common/config/app-config';
import { EventBus, PUB_SUB } from '../common/events/event-bus';
import { JsonObject, systemContext } from '../common/request-context';
import { Team } from '../routing/entities/team.entity';
import { insertTicketEvents, markTicketsChanged, SYSTEM_ACTOR } from '../tickets/ticket-events';
import { Ticket } from '../tickets/entities/ticket.entity';
import { PRIORITY_BY_RANK, PRIORITY_RANK, TicketEventType, TicketPriority } from '../tickets/ticket-enums';
import { normaliseTags } from '../tickets/ticket-tags';
import { SlaSettingsService } from './sla-settings.service';
import { SlaState, sweep } from './sla-state';
import { SlaAlert, SlaAlertKind } from './dto/sla-alert.type';
import { SlaTargetKindEnum } from './dto/ticket-sla.types';
import { SLA_ALERTS } from './sla-alerts.resolver';
import { slaColumns } from './ticket-sla.service';
import { PeriodicTask } from '../common/periodic-task';

const BATCH = 200;

export interface SweepTotals {
  checked: number;
  warned: number;
  breached: number;
}

/**
 * Finds tickets whose next SLA check has come (an index on that instant: the cost follows the due
 * tickets, not the open ones), records each warning and breach once and runs the policy's
 * escalations, one store at a time. Rows are claimed with FOR UPDATE SKIP LOCKED (in one store's
 * transaction: an index led by tenant_id, one shard on Citus) and their next check moves forward
 * in the same transaction, so instances sweeping together never record an event twice.
 */
@Injectable()
export class SlaSweepService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SlaSweep');
  private readonly task = new PeriodicTask(
    async () => {
      const totals = await this.sweepOnce();
      if (totals.warned || totals.breached) this.logger.log(`SLA sweep: ${totals.warned} warnings, ${totals.breached} breaches`);
    },
    (error) => this.logger.error(error instanceof Error ? error.stack : String(error)),
  );

  constructor(
    private readonly allStores: AllStores,
    private readonly db: TenantTransactions,
    private readonly settings: SlaSettingsService,
    private readonly config: AppConfig,
    @Inject(PUB_SUB) private readonly events: EventBus,
    private readonly metrics: OperationalMetrics,
  ) {}

  onApplicationBootstrap() {
    this.task.start(this.config.SLA_SWEEP_INTERVAL_SECONDS);
  }

  onApplicationShutdown() {
    return this.task.stop();
  }

  /** One full sweep as of `now` (tests and benchmarks pass their own clock). */
  async sweepOnce(now = new Date()): Promise<SweepTotals> {
    const totals: SweepTotals = { checked: 0, warned: 0, breached: 0 };
    // Across stores: which stores have tickets due for a check — a read that locks nothing (on
    // Citus a row lock holds in a single-shard query only); each store's due tickets are then
    // claimed and processed as that store.
    const stores: Array<{ tenant_id: string }> = await this.allStores.query(`SELECT DISTINCT tenant_id FROM tickets WHERE sla_next_check_at <= $1`, [now]);
    for (const { tenant_id: tenantId } of stores) await this.sweepStore(tenantId, now, totals);
    return totals;
  }

  /**
   * One store's due tickets, the most overdue first, claimed with FOR UPDATE SKIP LOCKED (so
   * instances share the work and each warning or breach fires once) in batches of one transaction.
   */
  private async sweepStore(tenantId: string, now: Date, totals: SweepTotals): Promise<void> {
    for (;;) {
      const alerts: SlaAlert[] = [];
      const claimed = await this.db.run(tenantId, async (manager) => {
        const tickets = await manager
          .createQueryBuilder(Ticket, 't')
          .where('t.tenant_id = :tenantId AND t.sla_next_check_at <= :now', { tenantId, now })
          .orderBy('t.sla_next_check_at', 'ASC')
          .limit(BATCH)
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          .getMany();
        for (const ticket of tickets) await this.process(manager, ticket, now, totals, alerts);
        return tickets.length;
      });
      // Published and counted only once the events are committed.
      for (const alert of alerts) await this.events.publish(SLA_ALERTS, { slaAlerts: alert });
      this.metrics.slaBreaches.inc(alerts.filter((a) => a.kind === SlaAlertKind.BREACHED).length);
      totals.checked += claimed;
      if (claimed < BATCH) return;
    }
  }

  private async process(manager: EntityManager, ticket: Ticket, now: Date, totals: SweepTotals, alerts: SlaAlert[]) {
    const result = sweep(ticket.sla as unknown as SlaState, now);
    const events: Array<{ type: TicketEventType; data: JsonObject }> = [
      ...result.warned.map((target) => ({ type: TicketEventType.SLA_WARNING, data: { target, dueAt: result.state.targets[target]!.dueAt } })),
      ...result.breached.map((target) => ({ type: TicketEventType.SLA_BREACHED, data: { target, dueAt: result.state.targets[target]!.dueAt } })),
    ];
    const changes: Partial<Ticket> = slaColumns(result.state);
    if (result.breached.length) events.push(...(await this.escalate(manager, ticket, changes)));
    await manager.update(Ticket, { tenantId: ticket.tenantId, id: ticket.id }, changes);
    markTicketsChanged(manager, ticket.tenantId, [ticket.id]);
    await insertTicketEvents(
      manager,
      SYSTEM_ACTOR,
      events.map((e) => ({ ...e, tenantId: ticket.tenantId, ticketId: ticket.id })),
    );
    totals.warned += result.warned.length;
    totals.breached += result.breached.length;
    const alert = (kind: SlaAlertKind) => (target: keyof SlaState['targets']) =>
      alerts.push({
        kind,
        tenantId: ticket.tenantId,
        ticketId: ticket.id,
        ticketNumber: ticket.number,
        target: target as SlaTargetKindEnum,
        dueAt: new Date(result.state.targets[target]!.dueAt),
        at: now,
      });
    result.warned.forEach(alert(SlaAlertKind.WARNING));
    result.breached.forEach(alert(SlaAlertKind.BREACHED));
  }

  /** The breach actions of the ticket's policy; each change is also an audit event. */
  private async escalate(manager: EntityManager, ticket: Ticket, changes: Partial<Ticket>) {
    const state = ticket.sla as unknown as SlaState;
    const policy = (await this.settings.settingsFor(systemContext(ticket.tenantId), manager)).policies.find((p) => p.id === state.policyId);
    const events: Array<{ type: TicketEventType; data: JsonObject }> = [];
    if (!policy) return events;
    const reason = 'SLA_BREACHED';
    const { raisePriority, reassignToLead, addTag } = policy.escalation;
    if (raisePriority && ticket.priority !== TicketPriority.URGENT) {
      changes.priority = PRIORITY_BY_RANK[PRIORITY_RANK[ticket.priority] + 1];
      events.push({ type: TicketEventType.PRIORITY_CHANGED, data: { from: ticket.priority, to: changes.priority, reason } });
    }
    if (reassignToLead && ticket.teamId) {
      const team = await manager.findOneBy(Team, { tenantId: ticket.tenantId, id: ticket.teamId });
      if (team?.leadId && team.leadId !== ticket.assigneeId) {
        changes.assigneeId = team.leadId;
        events.push({ type: TicketEventType.ASSIGNEE_CHANGED, data: { from: ticket.assigneeId, to: team.leadId, reason } });
      }
    }
    if (addTag) {
      const tags = normaliseTags([...ticket.tags, addTag]);
      if (tags.length !== ticket.tags.length) {
        changes.tags = tags;
        events.push({ type: TicketEventType.TAGS_CHANGED, data: { added: [tags.at(-1)], removed: [], reason } });
      }
    }
    return events;
  }
}
