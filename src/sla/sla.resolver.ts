import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { RequirePermission } from '../auth/auth.decorators';
import { Ctx, RequestContext } from '../common/request-context';
import { Weekday, WEEKDAYS } from './business-hours';
import { BusinessCalendarType, SlaPolicyInput, SlaPolicyType, UpdateBusinessCalendarInput, WeekdayEnum } from './dto/sla.types';
import { BusinessCalendarRow } from './entities/business-calendar.entity';
import { SlaSettingsService } from './sla-settings.service';

function toGraphQL(row: BusinessCalendarRow): BusinessCalendarType {
  return {
    timeZone: row.timeZone,
    weekly: WEEKDAYS.map((day: Weekday) => ({ day: day as WeekdayEnum, hours: row.weekly[day] ?? [] })),
    holidays: row.holidays,
    overrides: row.overrides,
    updatedAt: row.updatedAt,
  };
}

@Resolver()
export class SlaResolver {
  constructor(private readonly settings: SlaSettingsService) {}

  @Query(() => BusinessCalendarType, { description: "The store's opening hours, holidays and overrides." })
  @RequirePermission('tickets:read')
  async businessCalendar(@Ctx() ctx: RequestContext) {
    return toGraphQL(await this.settings.calendar(ctx));
  }

  @Mutation(() => BusinessCalendarType)
  @RequirePermission('admin')
  async updateBusinessCalendar(@Ctx() ctx: RequestContext, @Args('input') input: UpdateBusinessCalendarInput) {
    return toGraphQL(await this.settings.updateCalendar(ctx, input));
  }

  @Query(() => [SlaPolicyType], { description: 'In order of precedence.' })
  @RequirePermission('tickets:read')
  slaPolicies(@Ctx() ctx: RequestContext) {
    return this.settings.policies(ctx);
  }

  @Mutation(() => SlaPolicyType)
  @RequirePermission('admin')
  createSlaPolicy(@Ctx() ctx: RequestContext, @Args('input') input: SlaPolicyInput) {
    return this.settings.createPolicy(ctx, input);
  }

  @Mutation(() => SlaPolicyType)
  @RequirePermission('admin')
  updateSlaPolicy(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }, ParseUUIDPipe) id: string, @Args('input') input: SlaPolicyInput) {
    return this.settings.updatePolicy(ctx, id, input);
  }

  @Mutation(() => Boolean)
  @RequirePermission('admin')
  async deleteSlaPolicy(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }, ParseUUIDPipe) id: string) {
    await this.settings.deletePolicy(ctx, id);
    return true;
  }
}
