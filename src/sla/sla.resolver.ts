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

  @Query(() => BusinessCalendarType, {
    description: "The store's opening hours, holidays and overrides. Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN.",
  })
  @RequirePermission('tickets:read')
  async businessCalendar(@Ctx() ctx: RequestContext) {
    return toGraphQL(await this.settings.calendar(ctx));
  }

  @Mutation(() => BusinessCalendarType, {
    description:
      "Replaces the store's business hours, holidays and overrides; open SLA deadlines on business clocks are recomputed. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT.",
  })
  @RequirePermission('admin')
  async updateBusinessCalendar(@Ctx() ctx: RequestContext, @Args('input', { description: 'The new calendar.' }) input: UpdateBusinessCalendarInput) {
    return toGraphQL(await this.settings.updateCalendar(ctx, input));
  }

  @Query(() => [SlaPolicyType], { description: 'In order of precedence. Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN.' })
  @RequirePermission('tickets:read')
  slaPolicies(@Ctx() ctx: RequestContext) {
    return this.settings.policies(ctx);
  }

  @Mutation(() => SlaPolicyType, {
    description: 'Adds an SLA policy; new tickets that match get its targets. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT.',
  })
  @RequirePermission('admin')
  createSlaPolicy(@Ctx() ctx: RequestContext, @Args('input', { description: 'The policy; name is required.' }) input: SlaPolicyInput) {
    return this.settings.createPolicy(ctx, input);
  }

  @Mutation(() => SlaPolicyType, {
    description: 'Changes an SLA policy; applies to tickets created afterwards. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT.',
  })
  @RequirePermission('admin')
  updateSlaPolicy(
    @Ctx() ctx: RequestContext,
    @Args('id', { description: 'The policy.', type: () => ID }, ParseUUIDPipe) id: string,
    @Args('input', { description: 'The fields to change.' }) input: SlaPolicyInput,
  ) {
    return this.settings.updatePolicy(ctx, id, input);
  }

  @Mutation(() => Boolean, {
    description: 'Deletes an SLA policy; tickets already under it keep their deadlines. Returns true. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.',
  })
  @RequirePermission('admin')
  async deleteSlaPolicy(@Ctx() ctx: RequestContext, @Args('id', { description: 'The policy.', type: () => ID }, ParseUUIDPipe) id: string) {
    await this.settings.deletePolicy(ctx, id);
    return true;
  }
}
