import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../common/config/app-config';
import { AllStores } from '../common/database/all-stores';
import { TenantTransactions } from '../common/database/tenant-transactions';
import { RequestContext, systemContext } from '../common/request-context';
import { insertTicketEvents, markTicketsChanged, SYSTEM_ACTOR } from '../tickets/ticket-events';
import { Ticket } from '../tickets/entities/ticket.entity';
import { TicketEventType } from '../tickets/ticket-enums';
import { NewTicketDetails, TicketChange, TicketListeners } from '../tickets/ticket-listeners';
import { detectLanguage } from '../common/text/arabic-text';
import { Candidate, chooseAgent, TicketToAssign } from './assignment';
import { AssignmentStrategyEnum, Team } from './entities/team.entity';
import { PeriodicTask } from '../common/periodic-task';

const OPEN_STATUSES = ['NEW', 'OPEN', 'PENDING', 'ON_HOLD'];
const DRAIN_BATCH = 50;

/**
 * Whether the system gave ticket `t` its current agent: the latest assignee change was the
 * system's (the queue, an SLA escalation), or, never changed, auto-assignment chose the agent when
 * the ticket was created. A person's choice (transferTicket, updateTicket, a ticket created for an
 * agent; by an agent or an API key) is not the offline sweep's to undo.
 */
const ASSIGNED_BY_SYSTEM = `coalesce(
  (SELECT e.actor_type = 'SYSTEM' FROM ticket_events e
    WHERE e.tenant_id = t.tenant_id AND e.ticket_id = t.id AND e.type = 'ASSIGNEE_CHANGED'
    ORDER BY e.created_at DESC, e.id DESC LIMIT 1),
  EXISTS (SELECT 1 FROM ticket_events c
           WHERE c.tenant_id = t.tenant_id AND c.ticket_id = t.id AND c.type = 'CREATED' AND c.data -> 'assignment' ->> 'agentId' = t.assignee_id::text))`;

/**
 * Hands tickets to agents by their team's strategy. Every decision is taken in the database under
 * the team's row lock (round robin stays fair and capacity holds across app instances), and the
 * chosen agent's load is re-counted under an advisory lock on the agent (an agent in two teams is
 * never pushed over capacity). Tickets nobody can take wait in the team queue and are handed out
 * when capacity frees up or an agent comes online.
 */
@Injectable()
export class AssignmentService implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Assignment');
  private readonly task = new PeriodicTask(
    () => this.drainAll(),
    (error) => this.logger.error(error instanceof Error ? error.stack : String(error)),
  );

  constructor(
    private readonly listeners: TicketListeners,
    private readonly db: TenantTransactions,
    private readonly allStores: AllStores,
    private readonly config: AppConfig,
  ) {}

  onModuleInit() {
    // After routing has chosen the team (10), before SLA (20).
    this.listeners.register(this, 'assignment');
  }

  onApplicationBootstrap() {
    this.task.start(this.config.ASSIGNMENT_SWEEP_INTERVAL_SECONDS);
  }

  onApplicationShutdown() {
    return this.task.stop();
  }

  async fieldsForNewTicket(manager: EntityManager, ctx: RequestContext, ticket: Ticket, details: NewTicketDetails) {
    if (!ticket.teamId || ticket.assigneeId) return {};
    const agentId = await this.assign(manager, ctx, ticket.teamId, {
      category: ticket.category,
      vip: details.customerTier === 'VIP',
      language: detectLanguage(`${ticket.subject} ${details.body}`),
    });
    if (agentId === undefined) return {};
    return { fields: agentId ? { assigneeId: agentId } : {}, eventData: { assignment: agentId ? { agentId } : { waiting: true } } };
  }

  /** A ticket that stops needing its agent frees capacity: give the team's queue a turn. */
  async afterChange(manager: EntityManager, ctx: RequestContext, change: TicketChange) {
    const freed = (change.statusChange && ['SOLVED', 'CLOSED'].includes(change.statusChange.to)) || change.unassigned;
    if (freed && change.ticket.teamId) await this.drainTeam(manager, ctx, change.ticket.teamId);
    return {};
  }

  /**
   * The agent for a ticket of this team: an id, null when nobody can take it now, undefined when
   * the team assigns manually.
   */
  private async assign(manager: EntityManager, ctx: RequestContext, teamId: string, ticket: TicketToAssign): Promise<string | null | undefined> {
    const team = await manager.findOne(Team, { where: { tenantId: ctx.tenantId, id: teamId }, lock: { mode: 'pessimistic_write' } });
    if (!team || team.assignmentStrategy === AssignmentStrategyEnum.MANUAL) return undefined;
    const candidates = await this.candidates(manager, ctx.tenantId, teamId);
    for (let attempt = 0; attempt < candidates.length; attempt++) {
      const chosen = chooseAgent(candidates, ticket, { strategy: team.assignmentStrategy, vipToSeniors: team.vipToSeniors, lastAssignedId: team.lastAssignedAgentId });
      if (!chosen) return null;
      // Another team may be assigning to the same agent right now: serialise on the agent and recount.
      await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`agent:${ctx.tenantId}:${chosen}`]);
      const [{ open }] = await manager.query(`SELECT count(*)::int AS open FROM tickets WHERE tenant_id = $1 AND assignee_id = $2 AND status = ANY($3)`, [ctx.tenantId, chosen, OPEN_STATUSES]);
      const candidate = candidates.find((c) => c.agentId === chosen)!;
      candidate.openTickets = open;
      if (open < candidate.capacity) {
        candidate.openTickets++;
        team.lastAssignedAgentId = chosen;
        await manager.update(Team, { tenantId: ctx.tenantId, id: teamId }, { lastAssignedAgentId: chosen });
        return chosen;
      }
    }
    return null;
  }

  private async candidates(manager: EntityManager, tenantId: string, teamId: string): Promise<Candidate[]> {
    const rows: Array<{ id: string; availability: string; active: boolean; role: string; capacity: number; skills: string[]; languages: string[]; open: number }> = await manager.query(
      `SELECT a.id, a.availability, a.active, a.role, a.capacity, a.skills, a.languages,
              (SELECT count(*)::int FROM tickets t WHERE t.tenant_id = a.tenant_id AND t.assignee_id = a.id AND t.status = ANY($3)) AS open
         FROM team_members m JOIN agents a ON a.tenant_id = m.tenant_id AND a.id = m.agent_id
        WHERE m.tenant_id = $1 AND m.team_id = $2`,
      [tenantId, teamId, OPEN_STATUSES],
    );
    return rows.map((r) => ({
      agentId: r.id,
      availability: r.availability,
      active: r.active,
      role: r.role,
      capacity: r.capacity,
      skills: r.skills,
      languages: r.languages,
      openTickets: r.open,
    }));
  }

  /** Hands out the team's waiting tickets, most urgent first (SLA due, then priority, then age). */
  async drainTeam(manager: EntityManager, ctx: RequestContext, teamId: string): Promise<number> {
    const waiting = await manager
      .createQueryBuilder(Ticket, 't')
      .where('t.tenant_id = :tenantId AND t.team_id = :teamId AND t.assignee_id IS NULL AND t.status IN (:...statuses)', { tenantId: ctx.tenantId, teamId, statuses: ['NEW', 'OPEN'] })
      .orderBy('t.sla_due_at', 'ASC', 'NULLS LAST')
      .addOrderBy('t.priority', 'DESC')
      .addOrderBy('t.created_at', 'ASC')
      .limit(DRAIN_BATCH)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
    let assigned = 0;
    for (const ticket of waiting) {
      // The language is read from the subject here: the first message is not loaded for the queue.
      const agentId = await this.assign(manager, ctx, teamId, { category: ticket.category, vip: false, language: detectLanguage(ticket.subject) });
      if (!agentId) break;
      await manager.update(Ticket, { tenantId: ctx.tenantId, id: ticket.id }, { assigneeId: agentId });
      markTicketsChanged(manager, ctx.tenantId, [ticket.id]);
      await insertTicketEvents(manager, SYSTEM_ACTOR, [{ tenantId: ctx.tenantId, ticketId: ticket.id, type: TicketEventType.ASSIGNEE_CHANGED, data: { from: null, to: agentId, reason: 'QUEUE' } }]);
      assigned++;
    }
    return assigned;
  }

  /**
   * Teams that ask for it take back the NEW and OPEN tickets that the system gave to agents who
   * went OFFLINE; the drain below then hands them to colleagues. A ticket a person assigned or
   * transferred to the agent stays: moving it to someone offline was their decision (ASSIGNED_BY_SYSTEM).
   */
  async releaseOffline(): Promise<number> {
    // Across stores: the sweep finds which stores have tickets to take back; each store's release is its own.
    const stores: Array<{ tenant_id: string }> = await this.allStores.query(
      `SELECT DISTINCT t.tenant_id FROM tickets t
         JOIN teams tm ON tm.tenant_id = t.tenant_id AND tm.id = t.team_id AND tm.reassign_on_offline
         JOIN agents a ON a.tenant_id = t.tenant_id AND a.id = t.assignee_id AND a.availability = 'OFFLINE'
        WHERE t.status IN ('NEW','OPEN') AND ${ASSIGNED_BY_SYSTEM}`,
    );
    let total = 0;
    for (const { tenant_id: tenantId } of stores) total += await this.releaseOfflineOf(tenantId);
    return total;
  }

  /** One transaction: the release and its audit events (and their webhooks) commit together; a concurrent sweep finds the tickets already released. */
  private releaseOfflineOf(tenantId: string): Promise<number> {
    return this.db.run(tenantId, async (manager) => {
      const [released]: [Array<{ id: string; agent_id: string }>, number] = await manager.query(
        `UPDATE tickets t SET assignee_id = NULL, updated_at = now()
           FROM teams tm, agents a
          WHERE t.tenant_id = $1
            AND tm.tenant_id = t.tenant_id AND tm.id = t.team_id AND tm.reassign_on_offline
            AND a.tenant_id = t.tenant_id AND a.id = t.assignee_id AND a.availability = 'OFFLINE'
            AND t.status IN ('NEW','OPEN') AND ${ASSIGNED_BY_SYSTEM}
          RETURNING t.id, a.id AS agent_id`,
        [tenantId],
      );
      await insertTicketEvents(
        manager,
        SYSTEM_ACTOR,
        released.map((r) => ({ tenantId, ticketId: r.id, type: TicketEventType.ASSIGNEE_CHANGED, data: { from: r.agent_id, to: null, reason: 'AGENT_OFFLINE' } })),
      );
      return released.length;
    });
  }

  /** Every team with waiting tickets and an automatic strategy gets a turn (agents who came online). */
  async drainAll(): Promise<number> {
    await this.releaseOffline();
    // Across stores: the sweep finds the teams with waiting tickets in every store; each team is drained as its store.
    const teams: Array<{ tenant_id: string; team_id: string }> = await this.allStores.query(
      `SELECT DISTINCT w.tenant_id, w.team_id FROM tickets w
         JOIN teams t ON t.tenant_id = w.tenant_id AND t.id = w.team_id AND t.assignment_strategy <> 'MANUAL'
        WHERE w.assignee_id IS NULL AND w.team_id IS NOT NULL AND w.status IN ('NEW','OPEN')`,
    );
    let assigned = 0;
    for (const { tenant_id: tenantId, team_id: teamId } of teams) {
      const ctx = systemContext(tenantId);
      assigned += await this.db.run(ctx, (manager) => this.drainTeam(manager, ctx, teamId));
    }
    return assigned;
  }

  /** Open tickets of a team, the most urgent first: SLA due time, then priority, then age. */
  queue(ctx: RequestContext, teamId: string, onlyWaiting: boolean, first: number): Promise<Ticket[]> {
    return this.db.read(ctx, (m) => {
      const qb = m.createQueryBuilder(Ticket, 't').where('t.tenant_id = :tenantId AND t.team_id = :teamId AND t.status IN (:...statuses)', { tenantId: ctx.tenantId, teamId, statuses: OPEN_STATUSES });
      if (onlyWaiting) qb.andWhere('t.assignee_id IS NULL');
      return qb.orderBy('t.sla_due_at', 'ASC', 'NULLS LAST').addOrderBy('t.priority', 'DESC').addOrderBy('t.created_at', 'ASC').limit(first).getMany();
    });
  }
}
