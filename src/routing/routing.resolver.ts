import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { RequirePermission } from '../auth/auth.decorators';
import { Ctx, RequestContext } from '../common/request-context';
import { CategoryPriorityType, RoutingPreview, RoutingPreviewInput, RoutingRule, RoutingRuleInput, RoutingSettings, UpdateRoutingSettingsInput } from './dto/routing.types';
import { RoutingSettingsRow } from './entities/routing-settings.entity';
import { RoutingService } from './routing.service';
import { TeamsService } from './teams.service';

@Resolver()
export class RoutingResolver {
  constructor(
    private readonly routing: RoutingService,
    private readonly teams: TeamsService,
  ) {}

  @Query(() => [RoutingRule], { description: 'Categorisation rules in order. Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN.' })
  @RequirePermission('tickets:read')
  routingRules(@Ctx() ctx: RequestContext) {
    return this.routing.rules(ctx);
  }

  @Mutation(() => RoutingRule, { description: 'Adds a categorisation rule. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT.' })
  @RequirePermission('admin')
  createRoutingRule(@Ctx() ctx: RequestContext, @Args('input', { description: 'The rule; name, category and phrases are required.' }) input: RoutingRuleInput) {
    return this.routing.createRule(ctx, input);
  }

  @Mutation(() => RoutingRule, {
    description: 'Changes a routing rule; applies to tickets created afterwards. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT.',
  })
  @RequirePermission('admin')
  updateRoutingRule(
    @Ctx() ctx: RequestContext,
    @Args('id', { description: 'The rule.', type: () => ID }, ParseUUIDPipe) id: string,
    @Args('input', { description: 'The fields to change.' }) input: RoutingRuleInput,
  ) {
    return this.routing.updateRule(ctx, id, input);
  }

  @Mutation(() => Boolean, {
    description: 'Deletes a routing rule; existing tickets keep their category. Returns true. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.',
  })
  @RequirePermission('admin')
  async deleteRoutingRule(@Ctx() ctx: RequestContext, @Args('id', { description: 'The rule.', type: () => ID }, ParseUUIDPipe) id: string) {
    await this.routing.deleteRule(ctx, id);
    return true;
  }

  @Query(() => RoutingSettings, {
    description: "The store's priority and continuity settings. Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN.",
  })
  @RequirePermission('tickets:read')
  async routingSettings(@Ctx() ctx: RequestContext) {
    return this.toGraphQL(ctx, await this.routing.settings(ctx));
  }

  @Mutation(() => RoutingSettings, {
    description: 'Changes the priority and continuity settings; lists given replace the stored ones. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT.',
  })
  @RequirePermission('admin')
  async updateRoutingSettings(@Ctx() ctx: RequestContext, @Args('input', { description: 'The fields to change.' }) input: UpdateRoutingSettingsInput) {
    return this.toGraphQL(ctx, await this.routing.updateSettings(ctx, input));
  }

  @Query(() => RoutingPreview, {
    description: 'What routing would decide for this text, and why. Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT.',
  })
  @RequirePermission('tickets:read')
  async previewRouting(@Ctx() ctx: RequestContext, @Args('input', { description: 'The ticket as it would arrive.' }) input: RoutingPreviewInput) {
    const decision = await this.routing.preview(ctx, input);
    return { ...decision, team: decision.teamId ? await this.teams.get(ctx, decision.teamId) : null };
  }

  private async toGraphQL(ctx: RequestContext, row: RoutingSettingsRow): Promise<RoutingSettings> {
    return {
      defaultTeam: row.defaultTeamId ? await this.teams.get(ctx, row.defaultTeamId) : null,
      categoryBase: Object.entries(row.priorityPolicy.categoryBase).map(([category, priority]) => ({ category, priority }) as CategoryPriorityType),
      priorityTiers: row.priorityPolicy.priorityTiers as RoutingSettings['priorityTiers'],
      urgentPhrases: row.priorityPolicy.urgentPhrases,
      continuityWindowHours: row.continuityWindowHours,
    };
  }
}
