import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { deferWrite } from '../common/database/batch';
import type { RequestContext } from '../common/request-context';
import { Customer } from '../tickets/entities/customer.entity';
import { Ticket } from '../tickets/entities/ticket.entity';
import { AuthorType } from '../tickets/ticket-enums';
import { NewTicketDetails, TicketChange, TicketListeners } from '../tickets/ticket-listeners';
import { businessTimeBetween } from './business-hours';
import { SlaPolicyRow } from './entities/sla-policy.entity';
import { SlaSettings, SlaSettingsService } from './sla-settings.service';
import { matchPolicy, TicketFacts } from './sla-policy';
import { applySlaEvent, earliestDue, EMPTY_SLA, nextCheckAt, PolicyForState, reclassify, slaHealth, SlaState } from './sla-state';
import { markTicketsChanged } from '../tickets/ticket-events';

type SlaColumns = Pick<Ticket, 'sla' | 'slaNextCheckAt' | 'slaDueAt' | 'slaHealth'>;

export function slaColumns(state: SlaState): SlaColumns {
  if (!state.policyId) return { sla: null, slaNextCheckAt: null, slaDueAt: null, slaHealth: null };
  return { sla: state as unknown as SlaColumns['sla'], slaNextCheckAt: nextCheckAt(state), slaDueAt: earliestDue(state), slaHealth: slaHealth(state) };
}

/** The policy a state was started under; if it was since removed, its clocks still pause and stop. */
export function policyOf(settings: SlaSettings, policyId: string | null): PolicyForState | undefined {
  if (!policyId) return undefined;
  const row = settings.policies.find((p) => p.id === policyId);
  return row ? toPolicyForState(row) : { id: policyId, warnAtPercent: 80, pauseWhile: ['PENDING'] };
}

export function toPolicyForState(row: SlaPolicyRow): PolicyForState {
  return {
    id: row.id,
    firstResponse: row.firstResponse ?? undefined,
    nextResponse: row.nextResponse ?? undefined,
    resolution: row.resolution ?? undefined,
    warnAtPercent: row.warnAtPercent,
    pauseWhile: row.pauseWhile,
  };
}

/** Keeps every ticket's SLA deadlines in step with what happens to it, inside the same transaction. */
@Injectable()
export class TicketSlaService implements OnModuleInit {
  constructor(
    private readonly settings: SlaSettingsService,
    private readonly listeners: TicketListeners,
  ) {}

  onModuleInit() {
    // After routing: the policy depends on the category and priority routing decides.
    this.listeners.register(this, 'sla');
  }

  async fieldsForNewTicket(manager: EntityManager, ctx: RequestContext, ticket: Ticket, details: NewTicketDetails): Promise<{ fields: SlaColumns }> {
    const settings = await this.settings.settingsFor(ctx, manager);
    const tier = details.customerTier ?? (await this.tierOf(manager, ctx, ticket.customerId));
    const match = matchPolicy(settings.policies, this.facts(ticket, tier));
    return { fields: slaColumns(applySlaEvent(EMPTY_SLA, { type: 'CREATED', at: ticket.createdAt }, match && toPolicyForState(match), settings.calendar)) };
  }

  /** The first reply's business time and the SLA clocks, written in one UPDATE when either changed. */
  async afterChange(manager: EntityManager, ctx: RequestContext, change: TicketChange): Promise<Partial<SlaColumns>> {
    const changed: Partial<SlaColumns> = { ...(await this.firstResponseBusinessTime(manager, ctx, change)), ...(await this.clocksAfter(manager, ctx, change)) };
    if (Object.keys(changed).length) {
      // Nothing in the change reads these columns back: the write rides with the transaction's next statement.
      const [sql, parameters] = manager.createQueryBuilder().update(Ticket).set(changed).where({ tenantId: ctx.tenantId, id: change.ticket.id }).getQueryAndParameters();
      await deferWrite(manager, { sql, parameters });
      markTicketsChanged(manager, ctx.tenantId, [change.ticket.id], { noticeUnchanged: true });
    }
    return changed;
  }

  /** The SLA columns after the change, when they differ from before it. */
  private async clocksAfter(manager: EntityManager, ctx: RequestContext, change: TicketChange): Promise<Partial<SlaColumns>> {
    const { ticket } = change;
    const before = (ticket.sla as unknown as SlaState | null) ?? EMPTY_SLA;
    if (!before.policyId && !change.reclassified) return {};
    const settings = await this.settings.settingsFor(ctx, manager);
    let state = before;
    if (change.reclassified) {
      const match = matchPolicy(settings.policies, this.facts(ticket, await this.tierOf(manager, ctx, ticket.customerId)));
      if (match?.id !== state.policyId) state = reclassify(state, match && toPolicyForState(match), ticket.createdAt, settings.calendar);
    }
    const policy = policyOf(settings, state.policyId);
    if (change.statusChange) {
      state = applySlaEvent(state, { type: 'STATUS_CHANGED', ...change.statusChange }, policy, settings.calendar);
    }
    if (change.message && !change.message.internal) {
      if (change.message.authorType === AuthorType.CUSTOMER) state = applySlaEvent(state, { type: 'CUSTOMER_MESSAGE', at: change.message.at }, policy, settings.calendar);
      if (change.message.authorType === AuthorType.AGENT) state = applySlaEvent(state, { type: 'AGENT_REPLY', at: change.message.at }, policy, settings.calendar);
    }
    return JSON.stringify(state) === JSON.stringify(before) ? {} : slaColumns(state);
  }

  /** The first public reply's business time in the store calendar, stored once for KPIs. */
  private async firstResponseBusinessTime(manager: EntityManager, ctx: RequestContext, change: TicketChange): Promise<Partial<Ticket>> {
    const { ticket } = change;
    if (!ticket.firstResponseAt || ticket.firstResponseBusinessSeconds !== null) return {};
    const { calendar } = await this.settings.settingsFor(ctx, manager);
    return { firstResponseBusinessSeconds: Math.round(businessTimeBetween(ticket.createdAt, ticket.firstResponseAt, calendar)) };
  }

  private facts(ticket: Ticket, tier: string): TicketFacts {
    return { channel: ticket.channel, category: ticket.category, priority: ticket.priority, tier, tags: ticket.tags };
  }

  private async tierOf(manager: EntityManager, ctx: RequestContext, customerId: string): Promise<string> {
    const customer = await manager.findOne(Customer, { where: { tenantId: ctx.tenantId, id: customerId }, select: { tier: true, id: true, tenantId: true } });
    return customer?.tier ?? 'STANDARD';
  }
}
