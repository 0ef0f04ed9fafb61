import { Args, Context, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AgentsService } from '../auth/agents.service';
import { RequirePermission } from '../auth/auth.decorators';
import { Agent } from '../auth/entities/agent.entity';
import { GraphQLRequestContext } from '../common/graphql/loaders';
import { badInput } from '../common/errors/domain-error';
import { Ctx, RequestContext } from '../common/request-context';
import { Team } from '../routing/entities/team.entity';
import { TeamsService } from '../routing/teams.service';
import { AgentScorecard, FrictionDimension, FrictionPoint, FrictionRank, KpiFilterInput, KpiGoals, KpiGroup, KpiGroupBy, TeamScorecard, UpdateKpiGoalsInput } from './dto/kpi.types';
import { KpisService } from './kpis.service';

const firstArg = (description: string) => ({ type: () => Int, defaultValue: 10, description });
const checkFirst = (first: number) => {
  if (first < 1 || first > 100) throw badInput('first must be between 1 and 100', { first: ['between 1 and 100'] });
};

@Resolver()
export class KpisResolver {
  constructor(private readonly kpisService: KpisService) {}

  @Query(() => [KpiGroup], {
    description:
      'Support KPIs for tickets created in a period, overall or per group. Needs the `kpis:read` scope (roles: admin, supervisor, reporting). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT.',
  })
  @RequirePermission('kpis:read')
  kpis(
    @Ctx() ctx: RequestContext,
    @Args('filter', { description: 'The period (tickets created in [from, to)) and the tickets to count. At most 400 days.' }) filter: KpiFilterInput,
    @Args('groupBy', { description: "One row per group; time buckets are in the store's time zone, weeks start on Sunday.", type: () => KpiGroupBy, defaultValue: KpiGroupBy.NONE })
    groupBy: KpiGroupBy,
  ) {
    return this.kpisService.kpis(ctx, filter, groupBy);
  }

  @Query(() => KpiGoals, { description: "The store's KPI goals (shares in [0, 1]). Needs the `kpis:read` scope (roles: admin, supervisor, reporting). Errors: UNAUTHENTICATED, FORBIDDEN." })
  @RequirePermission('kpis:read')
  kpiGoals(@Ctx() ctx: RequestContext) {
    return this.kpisService.goals(ctx);
  }

  @Mutation(() => KpiGoals, { description: "Sets the store's KPI goals. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT." })
  @RequirePermission('admin')
  updateKpiGoals(@Ctx() ctx: RequestContext, @Args('input', { description: 'The goals to change.' }) input: UpdateKpiGoalsInput) {
    return this.kpisService.updateGoals(ctx, input);
  }

  @Query(() => [FrictionPoint], {
    description:
      'What generates tickets: top categories, tags, products, keywords or channels, with growth against the previous period. Needs the `kpis:read` scope (roles: admin, supervisor, reporting). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT.',
  })
  @RequirePermission('kpis:read')
  frictionPoints(
    @Ctx() ctx: RequestContext,
    @Args('filter', { description: 'The period (tickets created in [from, to)) and the tickets to count; compared with the period of the same length just before.' }) filter: KpiFilterInput,
    @Args('dimension', { description: 'What a source of tickets is: a category, channel, keyword, product or tag.', type: () => FrictionDimension }) dimension: FrictionDimension,
    @Args('first', firstArg('At most 100.')) first: number,
    @Args('rankBy', { description: 'How to rank the sources.', type: () => FrictionRank, defaultValue: FrictionRank.TICKETS }) rankBy: FrictionRank,
  ) {
    checkFirst(first);
    return this.kpisService.friction(ctx, filter, dimension, first, rankBy);
  }

  @Query(() => [FrictionPoint], {
    description:
      'The products that generate the most tickets (productRef), with growth. Needs the `kpis:read` scope (roles: admin, supervisor, reporting). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT.',
  })
  @RequirePermission('kpis:read')
  topProducts(
    @Ctx() ctx: RequestContext,
    @Args('filter', { description: 'The period (tickets created in [from, to)) and the tickets to count.' }) filter: KpiFilterInput,
    @Args('first', firstArg('At most 100.')) first: number,
    @Args('rankBy', { description: 'How to rank the products.', type: () => FrictionRank, defaultValue: FrictionRank.TICKETS }) rankBy: FrictionRank,
  ) {
    checkFirst(first);
    return this.kpisService.friction(ctx, filter, FrictionDimension.PRODUCT, first, rankBy);
  }

  @Query(() => [AgentScorecard], {
    description: 'KPIs per agent for the period, with the open load and SLA breaches now. Needs the `kpis:read` scope (roles: admin, supervisor, reporting). Errors: UNAUTHENTICATED, FORBIDDEN.',
  })
  @RequirePermission('kpis:read')
  async agentScorecards(@Ctx() ctx: RequestContext, @Args('filter', { description: 'The period (tickets created in [from, to)) and the tickets to count.' }) filter: KpiFilterInput) {
    const cards = await this.kpisService.scorecards(ctx, filter, 'AGENT');
    return cards.map(({ id, ...card }) => ({ agentId: id, ...card }));
  }

  @Query(() => [TeamScorecard], {
    description:
      'KPIs per team for the period, with the open load and SLA breaches now. Needs the `kpis:read` scope (roles: admin, supervisor, reporting). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT.',
  })
  @RequirePermission('kpis:read')
  async teamScorecards(@Ctx() ctx: RequestContext, @Args('filter', { description: 'The period (tickets created in [from, to)) and the tickets to count.' }) filter: KpiFilterInput) {
    const cards = await this.kpisService.scorecards(ctx, filter, 'TEAM');
    return cards.map(({ id, ...card }) => ({ teamId: id, ...card }));
  }
}

@Resolver(() => AgentScorecard)
export class AgentScorecardResolver {
  constructor(private readonly agentsService: AgentsService) {}

  @ResolveField(() => Agent, { nullable: true, description: 'Null if the agent was since removed.' })
  agent(@Parent() card: AgentScorecard, @Ctx() ctx: RequestContext, @Context() { loaders }: GraphQLRequestContext) {
    return this.agentsService.loadById(loaders, ctx.tenantId, card.agentId);
  }
}

@Resolver(() => TeamScorecard)
export class TeamScorecardResolver {
  constructor(private readonly teamsService: TeamsService) {}

  @ResolveField(() => Team, { description: 'Null if the team was since removed.', nullable: true })
  team(@Parent() card: TeamScorecard, @Ctx() ctx: RequestContext, @Context() { loaders }: GraphQLRequestContext) {
    return this.teamsService.loadById(loaders, ctx.tenantId, card.teamId);
  }
}
