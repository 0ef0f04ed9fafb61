import { Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { TenantScope, TenantTransactions, tenantOf } from '../../common/database/tenant-transactions';
import { conflict, notFound } from '../../common/errors/domain-error';
import { JobQueue } from '../../common/jobs/job-queue';
import { checkReportPeriod } from '../../common/period';
import { RequestContext, systemContext } from '../../common/request-context';
import { Ticket } from '../entities/ticket.entity';
import { AuthorType, TicketEventType, TicketStatus } from '../ticket-enums';
import { insertTicketEvents } from '../ticket-events';
import { TicketChange, TicketListener, TicketListeners } from '../ticket-listeners';
import { TicketsService } from '../tickets.service';
import { Compensation, FollowUpStatus } from './compensation.entity';
import { CompensationGroupBy, CompensationTotalsFilter, RecordCompensationInput } from './compensation.input';

const QUEUE = 'complaint-follow-up';

interface FollowUpJob {
  tenantId: string;
  compensationId: string;
}

export interface CompensationTotal {
  key: string;
  currency: string;
  count: number;
  amount: number;
}

/**
 * The complaint protocol of the seeds — apologise, compensate beyond expectations, follow up:
 * compensations recorded on a ticket (audited), and a durable follow-up check N days after the
 * ticket is solved that reopens it so an agent confirms the customer is satisfied.
 */
@Injectable()
export class CompensationsService implements TicketListener, OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly db: TenantTransactions,
    private readonly jobs: JobQueue,
    private readonly listeners: TicketListeners,
    private readonly tickets: TicketsService,
  ) {}

  onModuleInit() {
    this.listeners.register(this, 'compensations');
  }

  async onApplicationBootstrap() {
    await this.jobs.queue(QUEUE, { retryLimit: 5, retryDelay: 30, retryBackoff: true });
    await this.jobs.work<FollowUpJob>(QUEUE, (job) => this.runFollowUp(job.data), { pollingIntervalSeconds: 1 });
  }

  async record(ctx: RequestContext, input: RecordCompensationInput): Promise<Compensation> {
    return this.db.run(ctx, async (m) => {
      const ticket = await m.findOneBy(Ticket, { tenantId: ctx.tenantId, id: input.ticketId });
      if (!ticket) throw notFound('Ticket', input.ticketId);
      if (ticket.status === TicketStatus.CLOSED) throw conflict(`Ticket #${ticket.number} is closed and cannot change`);
      const compensation = m.create(Compensation, {
        tenantId: ctx.tenantId,
        id: uuidv7(),
        ticketId: ticket.id,
        kind: input.kind,
        amount: input.amount ?? null,
        currency: input.currency ?? 'SAR',
        note: input.note?.trim() || null,
        actorType: ctx.actor.type,
        actorId: ctx.actor.id,
        followUpDays: input.followUpDays ?? null,
        followUpStatus: input.followUpDays ? FollowUpStatus.AWAITING_SOLVE : FollowUpStatus.NONE,
        followUpAt: null,
      });
      await m.insert(Compensation, compensation);
      await insertTicketEvents(m, ctx.actor, [
        {
          tenantId: ctx.tenantId,
          ticketId: ticket.id,
          type: TicketEventType.COMPENSATION_RECORDED,
          data: { compensationId: compensation.id, kind: compensation.kind, amount: compensation.amount, currency: compensation.currency, followUpDays: compensation.followUpDays },
        },
      ]);
      // Already solved: the clock for the check starts now.
      if (ticket.status === TicketStatus.SOLVED) await this.schedule(m, ctx.tenantId, ticket.id, ticket.solvedAt ?? new Date());
      return m.findOneByOrFail(Compensation, { tenantId: ctx.tenantId, id: compensation.id });
    });
  }

  async ofTickets(scope: TenantScope, ticketIds: readonly string[]): Promise<Compensation[]> {
    const tenantId = tenantOf(scope);
    return this.db.read(scope, (m) =>
      m.createQueryBuilder(Compensation, 'c').where('c.tenant_id = :tenantId AND c.ticket_id IN (:...ids)', { tenantId, ids: ticketIds }).orderBy('c.created_at', 'ASC').getMany(),
    );
  }

  /** When a ticket is solved, its awaiting follow-up checks get their date. */
  async afterChange(manager: EntityManager, ctx: RequestContext, change: TicketChange): Promise<Partial<Ticket>> {
    if (change.statusChange?.to === TicketStatus.SOLVED) await this.schedule(manager, ctx.tenantId, change.ticket.id, change.statusChange.at);
    return {};
  }

  private async schedule(m: EntityManager, tenantId: string, ticketId: string, solvedAt: Date) {
    // TypeORM answers an UPDATE with [rows, count]. The days are added in UTC with immutable
    // functions only: Citus refuses a STABLE one (timestamptz + interval depends on the session's
    // time zone) with a column reference inside an UPDATE.
    const [due]: [Array<{ id: string; follow_up_at: Date }>, number] = await m.query(
      `UPDATE compensations SET follow_up_status = 'SCHEDULED', follow_up_at = timezone('UTC', timezone('UTC', $3::timestamptz) + make_interval(days => follow_up_days))
        WHERE tenant_id = $1 AND ticket_id = $2 AND follow_up_status = 'AWAITING_SOLVE' RETURNING id, follow_up_at`,
      [tenantId, ticketId, solvedAt],
    );
    await this.jobs.sendMany<FollowUpJob>(
      m,
      QUEUE,
      due.map((row) => ({ data: { tenantId, compensationId: row.id }, startAfter: new Date(row.follow_up_at) })),
    );
  }

  /**
   * The check: a solved ticket reopens with an internal note asking the agent to confirm the
   * customer is satisfied; a ticket still open gets the note only; a closed one is skipped.
   * At least once: a retry after a crash may add the note twice, never lose it.
   */
  private async runFollowUp({ tenantId, compensationId }: FollowUpJob): Promise<void> {
    const ctx = systemContext(tenantId);
    const found = await this.db.read(tenantId, async (m) => {
      const compensation = await m.findOneBy(Compensation, { tenantId, id: compensationId });
      return compensation?.followUpStatus === FollowUpStatus.SCHEDULED ? { compensation, ticket: await m.findOneByOrFail(Ticket, { tenantId, id: compensation.ticketId }) } : undefined;
    });
    if (!found) return;
    const { compensation, ticket } = found;
    let outcome: FollowUpStatus = FollowUpStatus.DONE;
    if (ticket.status === TicketStatus.CLOSED) {
      outcome = FollowUpStatus.SKIPPED;
    } else {
      await this.tickets.addMessage(ctx, {
        ticketId: ticket.id,
        authorType: AuthorType.SYSTEM,
        internal: true,
        body: `متابعة الشكوى: مرّت ${compensation.followUpDays} أيام على الحل بعد تعويض (${compensation.kind}). تواصل مع العميل وتأكد من رضاه. — Complaint follow-up: confirm the customer is satisfied.`,
      });
      if (ticket.status === TicketStatus.SOLVED) await this.tickets.update(ctx, ticket.id, { status: TicketStatus.OPEN });
    }
    await this.db.run(ctx, async (m) => {
      await m.update(Compensation, { tenantId, id: compensationId }, { followUpStatus: outcome });
      await insertTicketEvents(m, ctx.actor, [
        { tenantId, ticketId: ticket.id, type: TicketEventType.COMPLAINT_FOLLOW_UP, data: { compensationId, outcome, reopened: ticket.status === TicketStatus.SOLVED } },
      ]);
    });
  }

  /** Count and sum of compensations recorded in a period, by ticket category, kind or time bucket (store zone), per currency. */
  async totals(ctx: RequestContext, filter: CompensationTotalsFilter, groupBy: CompensationGroupBy): Promise<CompensationTotal[]> {
    checkReportPeriod(filter);
    const local = `(c.created_at AT TIME ZONE $4)`;
    const key: Record<CompensationGroupBy, string> = {
      CATEGORY: 't.category',
      KIND: 'c.kind',
      DAY: `to_char(${local}, 'YYYY-MM-DD')`,
      // Weeks start on Sunday, as in the store's week.
      WEEK: `to_char(date_trunc('week', ${local} + interval '1 day') - interval '1 day', 'YYYY-MM-DD')`,
      MONTH: `to_char(${local}, 'YYYY-MM')`,
    };
    const rows: Array<{ key: string; currency: string; count: number; amount: number }> = await this.db.read(ctx, (m) =>
      m.query(
        `SELECT ${key[groupBy]} AS key, c.currency, count(*)::int AS count, coalesce(sum(c.amount), 0)::float8 AS amount
           FROM compensations c JOIN tickets t ON t.tenant_id = c.tenant_id AND t.id = c.ticket_id
          WHERE c.tenant_id = $1 AND c.created_at >= $2 AND c.created_at < $3
          GROUP BY 1, 2 ORDER BY 1, 2`,
        [ctx.tenantId, filter.from, filter.to, ...(key[groupBy].includes('$4') ? [ctx.tenantTimezone] : [])],
      ),
    );
    return rows;
  }
}
