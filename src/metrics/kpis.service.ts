import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { TenantTransactions } from '../common/database/tenant-transactions';
import { badInput } from '../common/errors/domain-error';
import type { RequestContext } from '../common/request-context';
import { PRIORITY_BY_RANK, PRIORITY_RANK } from '../tickets/ticket-enums';
import { KpiFilterInput, KpiGroup, KpiGroupBy } from './dto/kpi.types';
import { meetsGoal, rate } from './kpi-formulas';

export const FCR_GOAL = 0.75;
export const FIRST_REPLY_SLA_GOAL = 0.8;
export const CSAT_GOAL = 0.9;
const MAX_RANGE_DAYS = 400;

const GROUP_EXPRESSIONS: Record<KpiGroupBy, string> = {
  NONE: 'NULL::text',
  CHANNEL: 't.channel',
  CATEGORY: 't.category',
  PRIORITY: 't.priority::text',
  TEAM: 't.team_id::text',
  AGENT: 't.assignee_id::text',
  HOUR: "date_trunc('hour', t.created_at AT TIME ZONE :tz)::text",
  DAY: "date_trunc('day', t.created_at AT TIME ZONE :tz)::text",
  // PostgreSQL weeks start on Monday; shifting by a day starts them on Sunday.
  WEEK: "(date_trunc('week', (t.created_at AT TIME ZONE :tz) + interval '1 day') - interval '1 day')::text",
  MONTH: "date_trunc('month', t.created_at AT TIME ZONE :tz)::text",
};

const durationStats = (column: string, alias: string) => `
  count(${column}) AS ${alias}_count,
  avg(extract(epoch FROM ${column} - t.created_at)) AS ${alias}_avg,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ${column} - t.created_at)) AS ${alias}_median,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM ${column} - t.created_at)) AS ${alias}_p90`;

/**
 * KPIs straight from the facts stored on tickets (no message history is read): one aggregate per
 * request over the tickets created in the period, using the (tenant_id, created_at) index.
 * Percentiles are percentile_cont, as in the pure formulas (src/metrics/kpi-formulas.ts).
 */
@Injectable()
export class KpisService {
  constructor(private readonly db: TenantTransactions) {}

  async kpis(ctx: RequestContext, filter: KpiFilterInput, groupBy: KpiGroupBy): Promise<KpiGroup[]> {
    if (filter.to <= filter.from) throw badInput('to must be after from', { to: ['must be after from'] });
    if (filter.to.getTime() - filter.from.getTime() > MAX_RANGE_DAYS * 86_400_000) {
      throw badInput(`A period of at most ${MAX_RANGE_DAYS} days`, { to: [`at most ${MAX_RANGE_DAYS} days after from`] });
    }
    const params: unknown[] = [ctx.tenantId, filter.from, filter.to];
    let groupExpression = GROUP_EXPRESSIONS[groupBy];
    if (groupExpression.includes(':tz')) {
      params.push(ctx.tenantTimezone);
      groupExpression = groupExpression.replaceAll(':tz', `$${params.length}`);
    }
    const where = ['t.tenant_id = $1', 't.created_at >= $2', 't.created_at < $3'];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.channel?.length) add('t.channel = ANY(?)', filter.channel);
    if (filter.category?.length) add('t.category = ANY(?)', filter.category);
    if (filter.priority?.length) add('t.priority = ANY(?)', filter.priority.map((p) => PRIORITY_RANK[p]));
    if (filter.teamId) add('t.team_id = ?', filter.teamId);
    if (filter.assigneeId) add('t.assignee_id = ?', filter.assigneeId);
    if (filter.tag) add('t.tags @> ARRAY[?]::text[]', filter.tag);

    const sql = `
      SELECT ${groupExpression} AS key,
        count(*)::int AS created,
        count(t.solved_at)::int AS solved,
        count(*) FILTER (WHERE t.reopen_count > 0)::int AS reopened,
        ${durationStats('t.first_response_at', 'frt')},
        ${durationStats('t.solved_at', 'res')},
        count(*) FILTER (WHERE t.solved_at IS NOT NULL AND t.public_agent_reply_count = 1 AND t.reopen_count = 0)::int AS fcr,
        count(*) FILTER (WHERE t.sla -> 'targets' -> 'FIRST_RESPONSE' ->> 'status' = 'MET')::int AS frs_met,
        count(*) FILTER (WHERE t.sla -> 'targets' -> 'FIRST_RESPONSE' ->> 'status' = 'BREACHED')::int AS frs_breached,
        sum(t.message_count)::int AS messages,
        count(cs.created_at)::int AS csat_sent,
        count(cs.rating)::int AS csat_responses,
        count(*) FILTER (WHERE cs.rating >= 4)::int AS csat_satisfied
      FROM tickets t
      LEFT JOIN LATERAL (
        SELECT s.created_at, s.rating FROM csat_surveys s
         WHERE s.tenant_id = t.tenant_id AND s.ticket_id = t.id ORDER BY s.created_at DESC LIMIT 1
      ) cs ON true
      WHERE ${where.join(' AND ')}
      GROUP BY 1 ORDER BY 1`;
    const rows: Array<Record<string, number | string | null>> = await this.db.read(ctx.tenantId, (m) => m.query(sql, params));
    return rows.map((row) => this.toGroup(row, groupBy, ctx.tenantTimezone));
  }

  private toGroup(row: Record<string, number | string | null>, groupBy: KpiGroupBy, timeZone: string): KpiGroup {
    const num = (key: string) => (row[key] === null ? null : Number(row[key]));
    const created = num('created')!;
    const solved = num('solved')!;
    const met = num('frs_met')!;
    const breached = num('frs_breached')!;
    const fcr = rate(num('fcr')!, solved);
    const sla = rate(met, met + breached);
    const responses = num('csat_responses')!;
    const satisfaction = rate(num('csat_satisfied')!, responses);
    return {
      key: this.key(row.key, groupBy, timeZone),
      created,
      solved,
      reopened: num('reopened')!,
      reopenRate: rate(num('reopened')!, created),
      firstResponse: { count: num('frt_count')!, average: num('frt_avg'), median: num('frt_median'), p90: num('frt_p90') },
      resolution: { count: num('res_count')!, average: num('res_avg'), median: num('res_median'), p90: num('res_p90') },
      firstContactResolution: { rate: fcr, goal: FCR_GOAL, goalMet: meetsGoal(fcr, FCR_GOAL) },
      firstReplySla: { met, breached, rate: sla, goal: FIRST_REPLY_SLA_GOAL, goalMet: meetsGoal(sla, FIRST_REPLY_SLA_GOAL) },
      csat: {
        sent: num('csat_sent')!,
        responses,
        responseRate: rate(responses, num('csat_sent')!),
        rate: satisfaction,
        goal: CSAT_GOAL,
        goalMet: meetsGoal(satisfaction, CSAT_GOAL),
      },
      messagesPerTicket: rate(num('messages') ?? 0, created),
    };
  }

  private key(raw: number | string | null, groupBy: KpiGroupBy, timeZone: string): string | null {
    if (raw === null) return null;
    if (groupBy === KpiGroupBy.PRIORITY) return PRIORITY_BY_RANK[Number(raw)];
    if (['HOUR', 'DAY', 'WEEK', 'MONTH'].includes(groupBy)) {
      // A local wall-clock time from PostgreSQL, given its offset in the store's zone.
      return DateTime.fromSQL(String(raw), { zone: timeZone }).toISO({ suppressMilliseconds: true });
    }
    return String(raw);
  }
}
