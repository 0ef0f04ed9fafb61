import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/http/openapi';
import { Transform, Type } from 'class-transformer';
import { IsArray, IsDate, IsEnum, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { DateTime } from 'luxon';
import { Readable } from 'node:stream';
import { RequirePermission } from '../auth/auth.decorators';
import { csvRow, UTF8_BOM } from '../common/csv';
import { Ctx, RequestContext } from '../common/request-context';
import { Channel, CustomerTier, TicketCategory, TicketPriority } from '../tickets/ticket-enums';
import { FrictionDimension, FrictionRank, KpiGroup, KpiGroupBy } from './dto/kpi.types';
import { KpisService } from './kpis.service';

/** `a,b` or repeated parameters, as a list. */
const list = ({ value }: { value: unknown }) =>
  value === undefined
    ? undefined
    : [value]
        .flat()
        .flatMap((v) => String(v).split(','))
        .filter(Boolean);

/** The `kpis` filter as query parameters. */
export class KpiFilterQuery {
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: "Tickets created at or after this instant (ISO 8601 with offset), e.g. 2026-11-01T00:00:00+03:00. With to left out too: the last 30 days in the store's time zone, today included.",
  })
  /** Tickets created at or after; with `to` left out too, the last 30 days in the store's time zone (today included). */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: "Tickets created before this instant (ISO 8601 with offset); at most 400 days after from. Left out: the end of today in the store's time zone.",
  })
  /** Tickets created before; left out: the end of today in the store's time zone. */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;

  @ApiPropertyOptional({ enum: Channel, isArray: true, description: 'Only tickets of these channels: a,b or the parameter repeated.' })
  @IsOptional()
  @Transform(list)
  @IsArray()
  @IsEnum(Channel, { each: true })
  channel?: Channel[];

  @ApiPropertyOptional({ enum: TicketCategory, isArray: true, description: 'Only tickets of these categories: a,b or the parameter repeated.' })
  @IsOptional()
  @Transform(list)
  @IsArray()
  @IsEnum(TicketCategory, { each: true })
  category?: TicketCategory[];

  @ApiPropertyOptional({ enum: TicketPriority, isArray: true, description: 'Only tickets of these priorities: a,b or the parameter repeated.' })
  @IsOptional()
  @Transform(list)
  @IsArray()
  @IsEnum(TicketPriority, { each: true })
  priority?: TicketPriority[];

  @ApiPropertyOptional({ format: 'uuid', description: 'Only tickets of this team.' })
  @IsOptional()
  @IsUUID()
  teamId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only tickets assigned to this agent.' })
  @IsOptional()
  @IsUUID()
  assigneeId?: string;

  @ApiPropertyOptional({ maxLength: 50, description: 'Only tickets carrying this tag.' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  tag?: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'Only tickets about this product (productRef).' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  product?: string;

  @ApiPropertyOptional({ enum: CustomerTier, isArray: true, description: 'Only customers of these tiers (at ticket creation): a,b or the parameter repeated.' })
  @IsOptional()
  @Transform(list)
  @IsArray()
  @IsEnum(CustomerTier, { each: true })
  customerTier?: CustomerTier[];
}

export class KpiExportQuery extends KpiFilterQuery {
  @ApiPropertyOptional({ enum: KpiGroupBy, default: KpiGroupBy.NONE, description: 'One row per group; time buckets in the store time zone, weeks from Sunday.' })
  @IsOptional()
  @IsEnum(KpiGroupBy)
  groupBy?: KpiGroupBy;
}

export class FrictionExportQuery extends KpiFilterQuery {
  @ApiProperty({ enum: FrictionDimension, description: 'What a source of tickets is.' })
  @IsEnum(FrictionDimension)
  dimension: FrictionDimension;

  @ApiPropertyOptional({ enum: FrictionRank, default: FrictionRank.TICKETS, description: 'How to rank the sources.' })
  @IsOptional()
  @IsEnum(FrictionRank)
  rankBy?: FrictionRank;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 100, description: 'How many rows.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  first?: number;
}

export class ScorecardExportQuery extends KpiFilterQuery {
  @ApiProperty({ enum: ['AGENT', 'TEAM'], description: 'One row per agent or per team.' })
  @IsIn(['AGENT', 'TEAM'])
  by: 'AGENT' | 'TEAM';
}

type Cell = string | number | boolean | null;

const COLUMNS: Array<[string, (g: KpiGroup) => Cell]> = [
  ['key', (g) => g.key],
  ['created', (g) => g.created],
  ['solved', (g) => g.solved],
  ['reopened', (g) => g.reopened],
  ['reopen_rate', (g) => g.reopenRate],
  ['backlog', (g) => g.backlog],
  ['first_response_count', (g) => g.firstResponse.count],
  ['first_response_avg_s', (g) => g.firstResponse.average],
  ['first_response_median_s', (g) => g.firstResponse.median],
  ['first_response_p90_s', (g) => g.firstResponse.p90],
  ['first_response_business_avg_s', (g) => g.firstResponseBusiness.average],
  ['first_response_business_median_s', (g) => g.firstResponseBusiness.median],
  ['first_response_business_p90_s', (g) => g.firstResponseBusiness.p90],
  ['resolution_avg_s', (g) => g.resolution.average],
  ['resolution_median_s', (g) => g.resolution.median],
  ['resolution_p90_s', (g) => g.resolution.p90],
  ['fcr_rate', (g) => g.firstContactResolution.rate],
  ['fcr_goal_met', (g) => g.firstContactResolution.goalMet],
  ...(['firstReplySla', 'nextReplySla', 'resolutionSla'] as const).flatMap((target) => {
    const prefix = target.replace('Sla', '_sla').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    return [
      [`${prefix}_met`, (g: KpiGroup) => g[target].met],
      [`${prefix}_breached`, (g: KpiGroup) => g[target].breached],
      [`${prefix}_rate`, (g: KpiGroup) => g[target].rate],
      [`${prefix}_goal_met`, (g: KpiGroup) => g[target].goalMet],
    ] as Array<[string, (g: KpiGroup) => number | boolean | null]>;
  }),
  ['sla_breached', (g) => g.slaBreached],
  ['csat_sent', (g) => g.csat.sent],
  ['csat_responses', (g) => g.csat.responses],
  ['csat_response_rate', (g) => g.csat.responseRate],
  ['csat_rate', (g) => g.csat.rate],
  ['csat_goal_met', (g) => g.csat.goalMet],
  ['nps', (g) => g.nps.score],
  ['nps_responses', (g) => g.nps.responses],
  ['messages_per_ticket', (g) => g.messagesPerTicket],
  ['tickets_with_order', (g) => g.ticketsWithOrder],
  ['tickets_per_order', (g) => g.ticketsPerOrder],
];

/** Sends rows as CSV: UTF-8 with a BOM (so Excel shows Arabic), a header row, streamed. */
function sendCsv(reply: FastifyReply, name: string, header: string[], rows: Iterable<Cell[]>) {
  const lines = function* () {
    yield UTF8_BOM + csvRow(header);
    for (const row of rows) yield csvRow(row);
  };
  return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'no-store').send(Readable.from(lines()));
}

const DEFAULT_PERIOD_DAYS = 30;

/** The query with its period filled in: what is left out is the last 30 days in the store's zone, today included. */
function withPeriod<Q extends KpiFilterQuery>(ctx: RequestContext, query: Q): Q & { from: Date; to: Date } {
  const endOfToday = DateTime.now().setZone(ctx.tenantTimezone).startOf('day').plus({ days: 1 });
  const to = query.to ?? (query.from ? DateTime.fromJSDate(query.from).plus({ days: DEFAULT_PERIOD_DAYS }) : endOfToday).toJSDate();
  const from = query.from ?? DateTime.fromJSDate(to).minus({ days: DEFAULT_PERIOD_DAYS }).toJSDate();
  return { ...query, from, to };
}

const period = (q: { from: Date; to: Date }) => `${q.from.toISOString().slice(0, 10)}-${q.to.toISOString().slice(0, 10)}`;

@ApiTags('kpis')
@Controller('api/v1')
export class KpisExportController {
  constructor(private readonly kpis: KpisService) {}

  @Get('kpis.csv')
  @ApiBearerAuth()
  @RequirePermission('kpis:read')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The kpis query as CSV (UTF-8 with BOM), one row per group; lists as a,b or repeated parameters' })
  @ApiResponse({ status: 200, description: 'CSV, UTF-8 with a BOM (Excel shows Arabic), a header row; Content-Disposition names the file.', content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiErrors(400, 401, 403)
  async exportCsv(@Ctx() ctx: RequestContext, @Query() asked: KpiExportQuery, @Res() reply: FastifyReply) {
    const query = withPeriod(ctx, asked);
    const { groupBy = KpiGroupBy.NONE, ...filter } = query;
    const groups = await this.kpis.kpis(ctx, filter, groupBy);
    return sendCsv(
      reply,
      `kpis-${groupBy.toLowerCase()}-${period(query)}.csv`,
      COLUMNS.map(([name]) => name),
      groups.map((g) => COLUMNS.map(([, value]) => value(g))),
    );
  }

  @Get('friction.csv')
  @ApiBearerAuth()
  @RequirePermission('kpis:read')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The frictionPoints query as CSV: what generates tickets, with the previous period and growth' })
  @ApiResponse({ status: 200, description: 'CSV, UTF-8 with a BOM (Excel shows Arabic), a header row; Content-Disposition names the file.', content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiErrors(400, 401, 403)
  async exportFriction(@Ctx() ctx: RequestContext, @Query() asked: FrictionExportQuery, @Res() reply: FastifyReply) {
    const query = withPeriod(ctx, asked);
    const { dimension, rankBy = FrictionRank.TICKETS, first = 100, ...filter } = query;
    const points = await this.kpis.friction(ctx, filter, dimension, first, rankBy);
    return sendCsv(
      reply,
      `friction-${dimension.toLowerCase()}-${period(query)}.csv`,
      ['key', 'tickets', 'previous_tickets', 'growth'],
      points.map((p) => [p.key, p.tickets, p.previousTickets, p.growth]),
    );
  }

  @Get('scorecards.csv')
  @ApiBearerAuth()
  @RequirePermission('kpis:read')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'agentScorecards or teamScorecards (by=AGENT|TEAM) as CSV: open load now, then the kpis columns' })
  @ApiResponse({ status: 200, description: 'CSV, UTF-8 with a BOM (Excel shows Arabic), a header row; Content-Disposition names the file.', content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiErrors(400, 401, 403)
  async exportScorecards(@Ctx() ctx: RequestContext, @Query() asked: ScorecardExportQuery, @Res() reply: FastifyReply) {
    const query = withPeriod(ctx, asked);
    const { by, ...filter } = query;
    const cards = await this.kpis.scorecards(ctx, filter, by);
    const names = await this.kpis.namesOf(
      ctx,
      by,
      cards.map((c) => c.id),
    );
    return sendCsv(
      reply,
      `scorecards-${by.toLowerCase()}-${period(query)}.csv`,
      ['id', 'name', 'open_tickets', 'open_breached', ...COLUMNS.slice(1).map(([name]) => name)],
      cards.map((c) => [c.id, names.get(c.id) ?? null, c.openTickets, c.openBreached, ...COLUMNS.slice(1).map(([, value]) => value(c.kpis))]),
    );
  }
}
