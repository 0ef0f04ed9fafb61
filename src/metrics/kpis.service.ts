import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { EntityManager } from 'typeorm';
import { TenantTransactions } from '../common/database/tenant-transactions';
import { definedFields } from '../common/defined-fields';
import { badInput } from '../common/errors/domain-error';
import type { RequestContext } from '../common/request-context';
import { PRIORITY_BY_RANK, PRIORITY_RANK } from '../tickets/ticket-enums';
import { FrictionDimension, FrictionPoint, FrictionRank, KpiFilterInput, KpiGroup, KpiGroupBy, UpdateKpiGoalsInput } from './dto/kpi.types';
import { kpiExpansionOf, kpiFactsOf } from './kpi-capture';
import { KPI_COUNT_COLUMNS as SQL_COUNTERS } from './kpi-rollup.service';
import { addToHistogram, DEFAULT_KPI_GOALS, DurationHistograms, emptyCounts, emptyHistograms, growth, KPI_COUNT_KEYS, KpiCounts, KpiGoals, rankFriction, summariseKpis } from './kpi-formulas';
import { KpiGoalsRow } from './entities/kpi-goals.entity';

const MAX_RANGE_DAYS = 400;

/** The dimensions rollups are kept by (see the KpiRollups migration's kpi_dims). */
type Dimension = 'CHANNEL' | 'CATEGORY' | 'PRIORITY' | 'TEAM' | 'AGENT' | 'TAG' | 'PRODUCT' | 'TIER' | 'KEYWORD';
type Grouping = KpiGroupBy | 'KEYWORD';

const GROUP_DIMENSIONS: Partial<Record<Grouping, Dimension>> = {
  CHANNEL: 'CHANNEL',
  CATEGORY: 'CATEGORY',
  PRIORITY: 'PRIORITY',
  TEAM: 'TEAM',
  AGENT: 'AGENT',
  TAG: 'TAG',
  PRODUCT: 'PRODUCT',
  CUSTOMER_TIER: 'TIER',
  KEYWORD: 'KEYWORD',
};
const TIME_GROUPS = new Set<Grouping>([KpiGroupBy.DAY, KpiGroupBy.WEEK, KpiGroupBy.MONTH]);

/** kpi_daily_histograms.metric → histogram. */
const HISTOGRAM_METRICS: ReadonlyArray<keyof DurationHistograms> = ['frt', 'frtBusiness', 'resolution'];

/** The group key of a source row (day, value) for each grouping. */
const KEY_SQL: Record<Grouping, string> = {
  NONE: "''",
  DAY: 'day::text',
  // Weeks start on Sunday: shift a day, truncate to PostgreSQL's Monday weeks, shift back.
  WEEK: "(date_trunc('week', (day + 1)::timestamp)::date - 1)::text",
  MONTH: "date_trunc('month', day::timestamp)::date::text",
  HOUR: 'value',
  CHANNEL: 'value',
  CATEGORY: 'value',
  PRIORITY: 'value',
  TEAM: 'value',
  AGENT: 'value',
  TAG: 'value',
  PRODUCT: 'value',
  CUSTOMER_TIER: 'value',
  KEYWORD: 'value',
};

/** A ticket's group value in a scan, as kpi_dims gives it (tags and keywords come from unnest as v.value). */
const SCAN_VALUE: Record<Dimension, string> = {
  CHANNEL: 'f.channel',
  CATEGORY: 'f.category',
  PRIORITY: 'f.priority::text',
  TEAM: "coalesce(f.team_id::text, '')",
  AGENT: "coalesce(f.assignee_id::text, '')",
  PRODUCT: "coalesce(f.product_ref, '')",
  TIER: "coalesce(f.customer_tier, 'STANDARD')",
  TAG: 'v.value',
  KEYWORD: 'v.value',
};

/** A ticket's counters from its facts, as kpi_expand's creation row gives them. */
const SCAN_COUNTERS = SQL_COUNTERS.map((c) => {
  const duration = /^(frt|frt_business|resolution)_(count|sum)$/.exec(c);
  if (c === 'created') return '1 AS created';
  if (duration) return duration[2] === 'count' ? `(f.${duration[1]} IS NOT NULL)::int AS ${c}` : `coalesce(f.${duration[1]}, 0) AS ${c}`;
  return `f.${c}`;
}).join(', ');

class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

interface RollupPlan {
  kind: 'rollup';
  dim: Dimension | 'ALL';
  values?: string[];
  /** Whole local days [firstDay, endDay) read from rollups, and the partial days around them read from tickets. */
  firstDay?: string;
  endDay?: string;
  edges: Array<[Date, Date]>;
}
interface ScanPlan {
  kind: 'scan';
}

interface Aggregates {
  counts: Map<string, KpiCounts>;
  histograms: Map<string, DurationHistograms>;
  backlog?: Map<string, number>;
}

/**
 * KPIs over the facts stored on tickets. When a question touches at most one dimension (filters
 * and grouping together) and whole days, it is answered from the daily rollups plus the few
 * changes not yet folded and the partial days at the period's ends; any other question scans the
 * period's tickets. Both paths add up the same contributions (the SQL functions of the
 * KpiRollups migration), so they give the same numbers.
 */
@Injectable()
export class KpisService {
  constructor(private readonly db: TenantTransactions) {}

  async kpis(ctx: RequestContext, filter: KpiFilterInput, groupBy: KpiGroupBy, options: { forceScan?: boolean } = {}): Promise<KpiGroup[]> {
    this.checkPeriod(filter);
    const [aggregates, goals] = await Promise.all([this.aggregate(ctx, filter, groupBy, { histograms: true, forceScan: options.forceScan }), this.goals(ctx)]);
    const groups: KpiGroup[] = [];
    for (const [key, counts] of aggregates.counts) {
      if (counts.created === 0) continue; // everything in it moved to other groups
      const histograms = aggregates.histograms.get(key) ?? emptyHistograms();
      groups.push({ key: this.key(key, groupBy, ctx.tenantTimezone), ...summariseKpis(counts, histograms, goals), backlog: aggregates.backlog?.get(key) ?? null });
    }
    return groups;
  }

  /** Each agent's or team's KPIs for the period beside their open load now, by id (also those with open load only). */
  async scorecards(ctx: RequestContext, filter: KpiFilterInput, by: 'AGENT' | 'TEAM'): Promise<Array<{ id: string; kpis: KpiGroup; openTickets: number; openBreached: number }>> {
    const [groups, load, goals] = await Promise.all([this.kpis(ctx, filter, by === 'AGENT' ? KpiGroupBy.AGENT : KpiGroupBy.TEAM), this.openLoad(ctx, by, filter), this.goals(ctx)]);
    const kpisById = new Map(groups.filter((g) => g.key !== null).map((g) => [g.key!, g]));
    const loadById = new Map(load.map((l) => [l.id, l]));
    return [...new Set([...kpisById.keys(), ...loadById.keys()])].sort().map((id) => ({
      id,
      kpis: kpisById.get(id) ?? { key: id, ...summariseKpis(emptyCounts(), emptyHistograms(), goals), backlog: null },
      openTickets: loadById.get(id)?.open ?? 0,
      openBreached: loadById.get(id)?.breached ?? 0,
    }));
  }

  /** Names of agents or teams by id, for exports (a removed one has none). */
  async namesOf(ctx: RequestContext, by: 'AGENT' | 'TEAM', ids: string[]): Promise<Map<string, string>> {
    const rows: Array<{ id: string; name: string }> = await this.db.read(ctx, (m) =>
      m.query(`SELECT id, name FROM ${by === 'AGENT' ? 'agents' : 'teams'} WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [ctx.tenantId, ids]),
    );
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async goals(ctx: RequestContext): Promise<KpiGoals> {
    const row = await this.db.read(ctx, (m) => m.findOneBy(KpiGoalsRow, { tenantId: ctx.tenantId }));
    if (!row) return DEFAULT_KPI_GOALS;
    const { tenantId: _tenant, updatedAt: _updated, ...goals } = row;
    return goals;
  }

  async updateGoals(ctx: RequestContext, input: UpdateKpiGoalsInput): Promise<KpiGoals> {
    const goals = { ...(await this.goals(ctx)), ...definedFields(input) };
    await this.db.run(ctx, (m) => m.upsert(KpiGoalsRow, { tenantId: ctx.tenantId, ...goals }, ['tenantId']));
    return goals;
  }

  /** What generates tickets: the top values of a dimension by tickets created, with growth against the period before. */
  async friction(ctx: RequestContext, filter: KpiFilterInput, dimension: FrictionDimension, first: number, rankBy: FrictionRank = FrictionRank.TICKETS): Promise<FrictionPoint[]> {
    this.checkPeriod(filter);
    const length = filter.to.getTime() - filter.from.getTime();
    const previousFilter = { ...filter, from: new Date(filter.from.getTime() - length), to: filter.from };
    const [current, previous] = await Promise.all([
      this.aggregate(ctx, filter, dimension as Grouping, { histograms: false }),
      this.aggregate(ctx, previousFilter, dimension as Grouping, { histograms: false }),
    ]);
    const points = [...current.counts]
      .filter(([key, counts]) => key !== '' && counts.created > 0)
      .map(([key, counts]) => {
        const before = previous.counts.get(key)?.created ?? 0;
        return { key: this.key(key, dimension as Grouping, ctx.tenantTimezone)!, tickets: counts.created, previousTickets: before, growth: growth(counts.created, before) };
      });
    return rankFriction(points, rankBy).slice(0, first);
  }

  /** Open tickets and how many of them breach an SLA now, per assignee or team, among those the filter's dimensions select (its period aside). */
  private openLoad(ctx: RequestContext, by: 'AGENT' | 'TEAM', filter: KpiFilterInput): Promise<Array<{ id: string; open: number; breached: number }>> {
    const column = by === 'AGENT' ? 'assignee_id' : 'team_id';
    const p = new Params();
    const where = [`t.tenant_id = ${p.add(ctx.tenantId)}`, `t.status IN ('NEW','OPEN','PENDING','ON_HOLD')`, `t.${column} IS NOT NULL`, ...this.ticketFilters(filter, p)];
    return this.db.read(ctx, (m) =>
      m.query(
        `SELECT t.${column} AS id, count(*)::int AS open, count(*) FILTER (WHERE t.sla_health = 'BREACHED')::int AS breached
           FROM tickets t WHERE ${where.join(' AND ')} GROUP BY 1`,
        p.values,
      ),
    );
  }

  /** The filter's dimensions as conditions on tickets `t`. */
  private ticketFilters(filter: KpiFilterInput, p: Params): string[] {
    const where: string[] = [];
    if (filter.channel?.length) where.push(`t.channel = ANY(${p.add(filter.channel)})`);
    if (filter.category?.length) where.push(`t.category = ANY(${p.add(filter.category)})`);
    if (filter.priority?.length) where.push(`t.priority = ANY(${p.add(filter.priority.map((x) => PRIORITY_RANK[x]))})`);
    if (filter.teamId) where.push(`t.team_id = ${p.add(filter.teamId)}`);
    if (filter.assigneeId) where.push(`t.assignee_id = ${p.add(filter.assigneeId)}`);
    if (filter.tag) where.push(`t.tags @> ARRAY[${p.add(filter.tag)}]::text[]`);
    if (filter.product) where.push(`t.product_ref = ${p.add(filter.product)}`);
    if (filter.customerTier?.length) where.push(`t.customer_tier = ANY(${p.add(filter.customerTier)})`);
    return where;
  }

  private checkPeriod(filter: KpiFilterInput) {
    if (filter.to <= filter.from) throw badInput('to must be after from', { to: ['must be after from'] });
    if (filter.to.getTime() - filter.from.getTime() > MAX_RANGE_DAYS * 86_400_000) {
      throw badInput(`A period of at most ${MAX_RANGE_DAYS} days`, { to: [`at most ${MAX_RANGE_DAYS} days after from`] });
    }
  }

  private aggregate(ctx: RequestContext, filter: KpiFilterInput, grouping: Grouping, options: { histograms: boolean; forceScan?: boolean }): Promise<Aggregates> {
    const plan = options.forceScan ? ({ kind: 'scan' } as const) : this.plan(ctx, filter, grouping);
    return this.db.read(
      ctx.tenantId,
      async (m) => {
        const counts = new Map<string, KpiCounts>();
        for (const row of await this.query(m, ctx, filter, grouping, plan, 'counters')) {
          const entry = emptyCounts();
          KPI_COUNT_KEYS.forEach((k, i) => (entry[k] = Number(row[SQL_COUNTERS[i]])));
          counts.set(row.key, entry);
        }
        const histograms: Aggregates['histograms'] = new Map();
        if (options.histograms) {
          for (const row of await this.query(m, ctx, filter, grouping, plan, 'histograms')) {
            let entry = histograms.get(row.key);
            if (!entry) histograms.set(row.key, (entry = emptyHistograms()));
            addToHistogram(entry[HISTOGRAM_METRICS[row.metric]], row.bucket, Number(row.count));
          }
        }
        const backlog = plan.kind === 'rollup' && options.histograms ? await this.backlog(m, ctx, filter, grouping, plan) : undefined;
        return { counts, histograms, backlog };
      },
      { snapshot: true },
    );
  }

  /** The dimension a question can be answered by, or a scan. */
  private plan(ctx: RequestContext, filter: KpiFilterInput, grouping: Grouping): RollupPlan | ScanPlan {
    if (grouping === KpiGroupBy.HOUR) return { kind: 'scan' };
    const filters: Array<[Dimension, string[]]> = [];
    if (filter.channel?.length) filters.push(['CHANNEL', filter.channel]);
    if (filter.category?.length) filters.push(['CATEGORY', filter.category]);
    if (filter.priority?.length) filters.push(['PRIORITY', filter.priority.map((p) => String(PRIORITY_RANK[p]))]);
    if (filter.teamId) filters.push(['TEAM', [filter.teamId]]);
    if (filter.assigneeId) filters.push(['AGENT', [filter.assigneeId]]);
    if (filter.tag) filters.push(['TAG', [filter.tag]]);
    if (filter.product) filters.push(['PRODUCT', [filter.product]]);
    if (filter.customerTier?.length) filters.push(['TIER', filter.customerTier]);
    const groupDim = GROUP_DIMENSIONS[grouping];
    const dims = new Set([...filters.map(([d]) => d), ...(groupDim ? [groupDim] : [])]);
    if (dims.size > 1) return { kind: 'scan' };

    const zone = ctx.tenantTimezone;
    const from = DateTime.fromJSDate(filter.from, { zone });
    const to = DateTime.fromJSDate(filter.to, { zone });
    const firstDay = from.equals(from.startOf('day')) ? from : from.startOf('day').plus({ days: 1 });
    const endDay = to.startOf('day');
    const plan: RollupPlan = { kind: 'rollup', dim: [...dims][0] ?? 'ALL', values: filters[0]?.[1], edges: [] };
    if (firstDay >= endDay) {
      plan.edges.push([filter.from, filter.to]);
      return plan;
    }
    plan.firstDay = firstDay.toISODate()!;
    plan.endDay = endDay.toISODate()!;
    if (from < firstDay) plan.edges.push([filter.from, firstDay.toJSDate()]);
    if (endDay < to) plan.edges.push([endDay.toJSDate(), filter.to]);
    return plan;
  }

  private query(m: EntityManager, ctx: RequestContext, filter: KpiFilterInput, grouping: Grouping, plan: RollupPlan | ScanPlan, what: 'counters' | 'histograms') {
    const p = new Params();
    const tenant = p.add(ctx.tenantId);
    let tzParam: string | undefined;
    const tz = () => (tzParam ??= p.add(ctx.tenantTimezone));
    const histograms = what === 'histograms';
    // Source rows: (day, value, counters…) or (day, value, metric, bucket, count).
    const columns = histograms ? 'metric, bucket, count' : SQL_COUNTERS.join(', ');
    // Contributions expanded only into the dimension asked for.
    const expand = histograms ? 'kpi_histogram_rows' : 'kpi_expand';
    // A ticket's facts as a one-off delta (sign 1), so the same SQL functions expand it as the rollups were expanded.
    const fromTickets = (alias: string, where: string, dim: string) =>
      `FROM (SELECT f.* FROM tickets t, ${kpiFactsOf('t', tz())} f WHERE ${where}) t, ${kpiExpansionOf(expand, 't', '1', dim)} ${alias}`;
    const parts: string[] = [];

    if (plan.kind === 'rollup') {
      const dim = p.add(plan.dim);
      const values = plan.values ? p.add(plan.values) : undefined;
      const valueFilter = (column: string) => (values ? ` AND ${column} = ANY(${values})` : '');
      // Edge rows on a solving day are for the backlog only; counters come from creation rows.
      const creationOnly = histograms ? '' : ' AND e.created <> 0';
      if (plan.firstDay) {
        const first = p.add(plan.firstDay);
        const end = p.add(plan.endDay);
        const table = histograms ? 'kpi_daily_histograms' : 'kpi_daily';
        parts.push(`SELECT day, value, ${columns} FROM ${table} WHERE tenant_id = ${tenant} AND dim = ${dim} AND day >= ${first} AND day < ${end}${valueFilter('value')}`);
        parts.push(
          `SELECT e.day, e.value, ${this.prefixed('e', columns)} FROM kpi_deltas d, ${kpiExpansionOf(expand, 'd', 'd.sign', dim)} e
            WHERE d.tenant_id = ${tenant} AND e.day >= ${first} AND e.day < ${end}${valueFilter('e.value')}`,
        );
      }
      for (const [from, to] of plan.edges) {
        parts.push(
          `SELECT e.day, e.value, ${this.prefixed('e', columns)}
            ${fromTickets('e', `t.tenant_id = ${tenant} AND t.created_at >= ${p.add(from)} AND t.created_at < ${p.add(to)}`, dim)}
            WHERE true${creationOnly}${valueFilter('e.value')}`,
        );
      }
    } else {
      const where = [`t.tenant_id = ${tenant}`, `t.created_at >= ${p.add(filter.from)}`, `t.created_at < ${p.add(filter.to)}`, ...this.ticketFilters(filter, p)];
      // Each ticket's facts straight into its one group (one per tag or keyword): kpi_expand's
      // creation row without the function call per ticket, which made scans several times slower.
      const dim = GROUP_DIMENSIONS[grouping];
      const value = grouping === KpiGroupBy.HOUR ? `to_char(date_trunc('hour', t.created_at AT TIME ZONE ${tz()}), 'YYYY-MM-DD HH24:MI:SS')` : dim ? SCAN_VALUE[dim] : "''";
      const from = `FROM tickets t, ${kpiFactsOf('t', tz())} f${dim === 'TAG' ? ', unnest(f.tags) v(value)' : dim === 'KEYWORD' ? ', unnest(f.keywords) v(value)' : ''}`;
      parts.push(
        histograms
          ? `SELECT f.day, ${value} AS value, h.metric, kpi_bucket(h.seconds) AS bucket, 1 AS count ${from},
               LATERAL (VALUES (0::smallint, f.frt), (1::smallint, f.frt_business), (2::smallint, f.resolution)) h(metric, seconds)
              WHERE ${where.join(' AND ')} AND h.seconds IS NOT NULL`
          : `SELECT f.day, ${value} AS value, ${SCAN_COUNTERS} ${from} WHERE ${where.join(' AND ')}`,
      );
    }
    if (parts.length === 0) return Promise.resolve([]);
    const select = histograms
      ? `metric, bucket, sum(count)::bigint AS count FROM (${parts.join(' UNION ALL ')}) s GROUP BY 1, 2, 3`
      : `${SQL_COUNTERS.map((c) => `sum(${c}) AS ${c}`).join(', ')} FROM (${parts.join(' UNION ALL ')}) s GROUP BY 1 ORDER BY 1`;
    return m.query(`SELECT ${KEY_SQL[grouping]} AS key, ${select}`, p.values);
  }

  /**
   * Open tickets at the end of each group's last day: created minus solved up to that day (a
   * ticket reopened later counts as solved until then only by its latest solve). From rollups only.
   */
  private async backlog(m: EntityManager, ctx: RequestContext, filter: KpiFilterInput, grouping: Grouping, plan: RollupPlan): Promise<Map<string, number>> {
    const zone = ctx.tenantTimezone;
    const p = new Params();
    const tenant = p.add(ctx.tenantId);
    const dim = p.add(plan.dim);
    const values = plan.values ? ` AND value = ANY(${p.add(plan.values)})` : '';
    const last = DateTime.fromJSDate(new Date(filter.to.getTime() - 1), { zone }).toISODate()!;
    const lastDay = p.add(last);
    const firstDay = p.add(DateTime.fromJSDate(filter.from, { zone }).toISODate());
    const rows: Array<{ day: string | null; value: string; net: string }> = await m.query(
      `SELECT CASE WHEN day < ${firstDay} THEN NULL ELSE day::text END AS day, value, sum(created - solved_on) AS net FROM (
         SELECT day, value, created, solved_on FROM kpi_daily WHERE tenant_id = ${tenant} AND dim = ${dim} AND day <= ${lastDay}
         UNION ALL
         SELECT e.day, e.value, e.created, e.solved_on FROM kpi_deltas d, ${kpiExpansionOf('kpi_expand', 'd', 'd.sign', dim)} e WHERE d.tenant_id = ${tenant} AND e.day <= ${lastDay}
       ) s WHERE true${values} GROUP BY 1, 2`,
      p.values,
    );
    const backlog = new Map<string, number>();
    if (!TIME_GROUPS.has(grouping)) {
      for (const row of rows) {
        const key = grouping === KpiGroupBy.NONE ? '' : row.value;
        backlog.set(key, (backlog.get(key) ?? 0) + Number(row.net));
      }
      return backlog;
    }
    // Running totals per day, read at each bucket's last day.
    const net = new Map<string, number>();
    let opening = 0;
    for (const row of rows) {
      if (row.day === null) opening += Number(row.net);
      else net.set(row.day, (net.get(row.day) ?? 0) + Number(row.net));
    }
    const unit = grouping === KpiGroupBy.DAY ? { days: 1 } : grouping === KpiGroupBy.WEEK ? { weeks: 1 } : { months: 1 };
    const bucketStart = (day: DateTime) => (grouping === KpiGroupBy.DAY ? day : grouping === KpiGroupBy.MONTH ? day.startOf('month') : day.minus({ days: day.weekday % 7 }));
    const days = [...net.keys()].sort();
    let running = opening;
    let i = 0;
    for (let start = bucketStart(DateTime.fromJSDate(filter.from, { zone }).startOf('day')); start.toISODate()! <= last; start = start.plus(unit)) {
      const next = start.plus(unit).toISODate()!;
      while (i < days.length && days[i] < next) running += net.get(days[i++])!;
      backlog.set(start.toISODate()!, running);
    }
    return backlog;
  }

  private prefixed(alias: string, columns: string): string {
    return columns
      .split(', ')
      .map((c) => `${alias}.${c}`)
      .join(', ');
  }

  private key(raw: string, grouping: Grouping, timeZone: string): string | null {
    if (grouping === KpiGroupBy.NONE || raw === '') return null;
    if (grouping === KpiGroupBy.PRIORITY) return PRIORITY_BY_RANK[Number(raw)];
    if (grouping === KpiGroupBy.HOUR) return DateTime.fromSQL(raw, { zone: timeZone }).toISO({ suppressMilliseconds: true });
    if (TIME_GROUPS.has(grouping)) return DateTime.fromISO(raw, { zone: timeZone }).toISO({ suppressMilliseconds: true });
    return raw;
  }
}
