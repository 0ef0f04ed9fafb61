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

  @Query(() => [RoutingRule], { description: 'Categorisation rules in order.' })
  @RequirePermission('tickets:read')
  routingRules(@Ctx() ctx: RequestContext) {
    return this.routing.rules(ctx);
  }

  @Mutation(() => RoutingRule)
  @RequirePermission('admin')
  createRoutingRule(@Ctx() ctx: RequestContext, @Args('input') input: RoutingRuleInput) {
    return this.routing.createRule(ctx, input);
  }

  @Mutation(() => RoutingRule)
  @RequirePermission('admin')
  updateRoutingRule(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }, ParseUUIDPipe) id: string, @Args('input') input: RoutingRuleInput) {
    return this.routing.updateRule(ctx, id, input);
  }

  @Mutation(() => Boolean)
  @RequirePermission('admin')
  async deleteRoutingRule(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }, ParseUUIDPipe) id: string) {
    await this.routing.deleteRule(ctx, id);
    return true;
  }

  @Query(() => RoutingSettings)
  @RequirePermission('tickets:read')
  async routingSettings(@Ctx() ctx: RequestContext) {
    return this.toGraphQL(ctx, await this.routing.settings(ctx));
  }

  @Mutation(() => RoutingSettings)
  @RequirePermission('admin')
  async updateRoutingSettings(@Ctx() ctx: RequestContext, @Args('input') input: UpdateRoutingSettingsInput) {
    return this.toGraphQL(ctx, await this.routing.updateSettings(ctx, input));
  }

  @Query(() => RoutingPreview, { description: 'What routing would decide for this text, and why.' })
  @RequirePermission('tickets:read')
  async previewRouting(@Ctx() ctx: RequestContext, @Args('input') input: RoutingPreviewInput) {
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
