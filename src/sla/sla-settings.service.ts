import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { TenantTransactions } from '../common/database/tenant-transactions';
import { SettingsRegion, StoreSettingsCache } from '../common/cache/store-settings-cache';
import { badInput, DomainError, notFound } from '../common/errors/domain-error';
import type { RequestContext } from '../common/request-context';
import { BusinessCalendar, DateRange, DEFAULT_CALENDAR, hasOpenTimeAfter, HoursOverride, validateCalendar, Weekday } from './business-hours';
import { HijriDateInput, HolidayInput, SlaPolicyInput, UpdateBusinessCalendarInput } from './dto/sla.types';
import { BusinessCalendarRow } from './entities/business-calendar.entity';
import { SlaPolicyRow } from './entities/sla-policy.entity';
import { hijriToGregorian, HijriDateError } from './hijri';
import { DEFAULT_POLICIES } from './sla-policy';
import { definedFields } from '../common/defined-fields';

const NO_ESCALATION = { raisePriority: false, reassignToLead: false, addTag: null };

export function toCalendar(row: BusinessCalendarRow): BusinessCalendar {
  return { timeZone: row.timeZone, weekly: row.weekly, holidays: row.holidays, overrides: row.overrides };
}

/**
 * A store's business calendar and SLA policies. A store starts with the Saudi defaults (Sun–Thu
 * 09:00–17:00 in its time zone, the policies of the design notes), written the first time they are
 * needed, so stores created before SLA existed get them too.
 */
export interface SlaSettings {
  calendar: BusinessCalendar;
  policies: SlaPolicyRow[];
}

@Injectable()
export class SlaSettingsService {
  /** Every ticket write needs them: kept per store on every instance until a change to them commits. */
  private readonly cached: SettingsRegion<SlaSettings>;

  constructor(
    private readonly db: TenantTransactions,
    cache: StoreSettingsCache,
    private readonly logger: PinoLogger,
  ) {
    this.cached = cache.region('sla');
  }

  async calendar(ctx: RequestContext): Promise<BusinessCalendarRow> {
    return (await this.db.read(ctx, (m) => m.findOneBy(BusinessCalendarRow, { tenantId: ctx.tenantId }))) ?? this.seed(ctx);
  }

  async policies(ctx: RequestContext): Promise<SlaPolicyRow[]> {
    await this.calendar(ctx);
    return this.db.read(ctx, (m) => m.find(SlaPolicyRow, { where: { tenantId: ctx.tenantId }, order: { position: 'ASC', id: 'ASC' } }));
  }

  /** The calendar and the active policies (what deadline computation needs). */
  settingsFor(ctx: RequestContext, manager: EntityManager): Promise<SlaSettings> {
    return this.cached.get(ctx.tenantId, () => this.storedSettings(ctx, manager));
  }

  /** For reads outside a write (GraphQL fields, expectations); a store's first use seeds its defaults. */
  readSettings(ctx: RequestContext): Promise<SlaSettings> {
    return this.cached.get(ctx.tenantId, () => this.db.run(ctx, (m) => this.storedSettings(ctx, m)));
  }

  private async storedSettings(ctx: RequestContext, manager: EntityManager): Promise<SlaSettings> {
    let row = await manager.findOneBy(BusinessCalendarRow, { tenantId: ctx.tenantId });
    if (!row) row = await this.seedWith(manager, ctx);
    const policies = await manager.find(SlaPolicyRow, { where: { tenantId: ctx.tenantId, active: true }, order: { position: 'ASC', id: 'ASC' } });
    const settings = { calendar: toCalendar(row), policies };
    if (!hasOpenTimeAfter(new Date(), settings.calendar)) {
      this.logger.warn({ tenantId: ctx.tenantId }, 'Business calendar has no open time ahead; business-time deadlines count calendar time until it is fixed');
    }
    return settings;
  }

  async updateCalendar(ctx: RequestContext, input: UpdateBusinessCalendarInput): Promise<BusinessCalendarRow> {
    const current = await this.calendar(ctx);
    const next: BusinessCalendar = {
      timeZone: input.timeZone ?? current.timeZone,
      weekly: input.weekly ? (Object.fromEntries(input.weekly.map((d) => [d.day, d.hours])) as Partial<Record<Weekday, (typeof input.weekly)[0]['hours']>>) : current.weekly,
      holidays: input.holidays ? input.holidays.map((h, i) => this.dateRange(h, `holidays[${i}]`)) : current.holidays,
      overrides: input.overrides ? input.overrides.map((o, i) => ({ ...this.dateRange(o, `overrides[${i}]`), hours: o.hours }) as HoursOverride) : current.overrides,
    };
    const problems = validateCalendar(next);
    if (!problems.length && !hasOpenTimeAfter(new Date(), next)) problems.push('holidays: holidays and overrides leave no open time in the next 800 days');
    if (problems.length) throw badInput(`Invalid calendar — ${problems.join('; ')}`, Object.fromEntries(problems.map((p) => [p.split(':')[0], [p]])));
    return this.db.run(ctx, async (m) => {
      await m.update(BusinessCalendarRow, { tenantId: ctx.tenantId, id: current.id }, next);
      await this.cached.changedIn(m, ctx.tenantId);
      return m.findOneByOrFail(BusinessCalendarRow, { tenantId: ctx.tenantId, id: current.id });
    });
  }

  async createPolicy(ctx: RequestContext, input: SlaPolicyInput): Promise<SlaPolicyRow> {
    if (!input.name) throw badInput('A policy needs a name', { name: ['required'] });
    if (!input.firstResponse && !input.nextResponse && !input.resolution) {
      throw badInput('A policy needs at least one target', { firstResponse: ['give firstResponse, nextResponse or resolution'] });
    }
    await this.calendar(ctx);
    return this.db.run(ctx, async (m) => {
      await this.cached.changedIn(m, ctx.tenantId);
      return m.save(
        m.create(SlaPolicyRow, {
          tenantId: ctx.tenantId,
          id: uuidv7(),
          name: input.name!.trim(),
          position: input.position ?? 100,
          conditions: input.conditions ?? {},
          firstResponse: input.firstResponse ?? null,
          nextResponse: input.nextResponse ?? null,
          resolution: input.resolution ?? null,
          warnAtPercent: input.warnAtPercent ?? 80,
          pauseWhile: input.pauseWhile ?? ['PENDING'],
          escalation: input.escalation ?? NO_ESCALATION,
          active: input.active ?? true,
        }),
      );
    });
  }

  async updatePolicy(ctx: RequestContext, id: string, input: SlaPolicyInput): Promise<SlaPolicyRow> {
    return this.db.run(ctx, async (m) => {
      const policy = await m.findOneBy(SlaPolicyRow, { tenantId: ctx.tenantId, id });
      if (!policy) throw notFound('SLA policy', id);
      await this.cached.changedIn(m, ctx.tenantId);
      Object.assign(policy, definedFields(input));
      if (!policy.firstResponse && !policy.nextResponse && !policy.resolution) throw badInput('A policy needs at least one target');
      return m.save(policy);
    });
  }

  async deletePolicy(ctx: RequestContext, id: string): Promise<void> {
    const result = await this.db.run(ctx, async (m) => {
      await this.cached.changedIn(m, ctx.tenantId);
      return m.delete(SlaPolicyRow, { tenantId: ctx.tenantId, id });
    });
    if (!result.affected) throw notFound('SLA policy', id);
  }

  private dateRange(input: HolidayInput, where: string): DateRange {
    const convert = (hijri: HijriDateInput, field: string) => {
      try {
        return hijriToGregorian(hijri.year, hijri.month, hijri.day);
      } catch (error) {
        if (error instanceof HijriDateError) throw new DomainError('BAD_USER_INPUT', error.message, { [`${where}.${field}`]: [error.message] });
        throw error;
      }
    };
    const from = input.hijriFrom ? convert(input.hijriFrom, 'hijriFrom') : input.from;
    const to = input.hijriTo ? convert(input.hijriTo, 'hijriTo') : input.to;
    if (!from) throw badInput(`${where} needs from or hijriFrom`, { [`${where}.from`]: ['required'] });
    return { from, ...(to ? { to } : {}), ...(input.name ? { name: input.name } : {}) };
  }

  private seed(ctx: RequestContext): Promise<BusinessCalendarRow> {
    return this.db.run(ctx, (m) => this.seedWith(m, ctx));
  }

  /** Idempotent under races: the unique (tenant_id) index lets exactly one writer seed. */
  private async seedWith(m: EntityManager, ctx: RequestContext): Promise<BusinessCalendarRow> {
    const inserted = await m
      .createQueryBuilder()
      .insert()
      .into(BusinessCalendarRow)
      .values({ tenantId: ctx.tenantId, id: uuidv7(), ...DEFAULT_CALENDAR, timeZone: ctx.tenantTimezone })
      .orIgnore()
      .execute();
    if ((inserted.raw as unknown[]).length > 0) {
      await m.insert(
        SlaPolicyRow,
        DEFAULT_POLICIES.map((p) => ({
          tenantId: ctx.tenantId,
          id: uuidv7(),
          name: p.name,
          position: p.position,
          conditions: p.conditions,
          firstResponse: p.firstResponse ?? null,
          nextResponse: p.nextResponse ?? null,
          resolution: p.resolution ?? null,
          warnAtPercent: p.warnAtPercent,
          pauseWhile: p.pauseWhile,
          escalation: NO_ESCALATION,
        })),
      );
    }
    return m.findOneByOrFail(BusinessCalendarRow, { tenantId: ctx.tenantId });
  }
}
