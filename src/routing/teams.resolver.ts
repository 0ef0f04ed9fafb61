import { ParseUUIDPipe } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { RequirePermission } from '../auth/auth.decorators';
import { Agent } from '../auth/entities/agent.entity';
import { GraphQLRequestContext, groupByKeys } from '../common/graphql/loaders';
import { Ctx, RequestContext } from '../common/request-context';
import { Ticket } from '../tickets/entities/ticket.entity';
import { CreateTeamInput, UpdateTeamInput } from './dto/create-team.input';
import { Team } from './entities/team.entity';
import { TeamsService } from './teams.service';
import { AssignmentService } from './assignment.service';
import { badInput } from '../common/errors/domain-error';

@Resolver(() => Team)
export class TeamsResolver {
  constructor(
    private readonly teamsService: TeamsService,
    private readonly assignment: AssignmentService,
  ) {}

  @Query(() => [Team], { description: 'Every team of the store, by name. Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN.' })
  @RequirePermission('tickets:read')
  teams(@Ctx() ctx: RequestContext) {
    return this.teamsService.list(ctx);
  }

  @Query(() => Team, { description: 'One team with its members. Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.' })
  @RequirePermission('tickets:read')
  team(@Ctx() ctx: RequestContext, @Args('id', { description: "The team's id.", type: () => ID }, ParseUUIDPipe) id: string) {
    return this.teamsService.get(ctx, id);
  }

  @Query(() => [Ticket], {
    description:
      "The team's open tickets, most urgent first: SLA due time, then priority, then age. Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.",
  })
  @RequirePermission('tickets:read')
  teamQueue(
    @Ctx() ctx: RequestContext,
    @Args('teamId', { description: 'The team (NOT_FOUND when not in the store).', type: () => ID }, ParseUUIDPipe) teamId: string,
    @Args('onlyWaiting', { defaultValue: true, description: 'Only tickets no agent has yet.' }) onlyWaiting: boolean,
    @Args('first', { type: () => Int, defaultValue: 50, description: 'At most 200.' }) first: number,
  ) {
    if (first < 1 || first > 200) throw badInput('first must be between 1 and 200', { first: ['between 1 and 200'] });
    return this.assignment.queue(ctx, teamId, onlyWaiting, first);
  }

  @Mutation(() => Team, { description: 'Creates a team. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, CONFLICT, NOT_FOUND.' })
  @RequirePermission('admin')
  createTeam(@Ctx() ctx: RequestContext, @Args('input', { description: 'The team.' }) input: CreateTeamInput) {
    return this.teamsService.create(ctx, input);
  }

  @Mutation(() => Team, { description: 'Changes a team. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT, CONFLICT.' })
  @RequirePermission('admin')
  updateTeam(
    @Ctx() ctx: RequestContext,
    @Args('id', { description: 'The team.', type: () => ID }, ParseUUIDPipe) id: string,
    @Args('input', { description: 'The fields to change.' }) input: UpdateTeamInput,
  ) {
    return this.teamsService.update(ctx, id, input);
  }

  @Mutation(() => Team, {
    description: 'Adds an agent to a team; adding a member twice changes nothing. Returns the team. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.',
  })
  @RequirePermission('admin')
  addTeamMember(
    @Ctx() ctx: RequestContext,
    @Args('teamId', { description: 'The team.', type: () => ID }, ParseUUIDPipe) teamId: string,
    @Args('agentId', { description: 'The agent to add (an agent of the store).', type: () => ID }, ParseUUIDPipe) agentId: string,
  ) {
    return this.teamsService.addMember(ctx, teamId, agentId);
  }

  @Mutation(() => Team, {
    description:
      "Removes an agent from a team; a team's lead cannot be removed (BAD_USER_INPUT). Returns the team. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.",
  })
  @RequirePermission('admin')
  removeTeamMember(
    @Ctx() ctx: RequestContext,
    @Args('teamId', { description: 'The team.', type: () => ID }, ParseUUIDPipe) teamId: string,
    @Args('agentId', { description: 'The agent to remove.', type: () => ID }, ParseUUIDPipe) agentId: string,
  ) {
    return this.teamsService.removeMember(ctx, teamId, agentId);
  }

  @ResolveField(() => [Agent], { description: "The team's agents." })
  members(@Parent() team: Team, @Context() { loaders }: GraphQLRequestContext) {
    return this.membersLoader(team, loaders).load(team.id);
  }

  @ResolveField(() => Agent, { nullable: true, description: 'Always a member of the team.' })
  async lead(@Parent() team: Team, @Context() { loaders }: GraphQLRequestContext) {
    if (!team.leadId) return null;
    const members = await this.membersLoader(team, loaders).load(team.id);
    return members.find((agent) => agent.id === team.leadId) ?? null;
  }

  private membersLoader(team: Team, loaders: GraphQLRequestContext['loaders']) {
    return loaders.get<string, Agent[]>('membersByTeam', async (ids) =>
      groupByKeys(ids, await this.teamsService.membersOf(loaders.scope(team.tenantId), ids), (m) => m.teamId).map((rows) => rows.map((m) => m.agent)),
    );
  }
}

/** Adds `Agent.teams`. */
@Resolver(() => Agent)
export class AgentTeamsResolver {
  constructor(private readonly teamsService: TeamsService) {}

  @ResolveField(() => [Team], { description: 'Teams the agent is a member of.' })
  teams(@Parent() agent: Agent, @Context() { loaders }: GraphQLRequestContext) {
    return loaders
      .get<string, Team[]>('teamsByAgent', async (ids) =>
        groupByKeys(ids, await this.teamsService.teamsOfAgents(loaders.scope(agent.tenantId), ids), (m) => m.agentId).map((rows) => rows.map((m) => m.team)),
      )
      .load(agent.id);
  }
}

/** Adds `Ticket.team`; tickets knows teams only by id. */
@Resolver(() => Ticket)
export class TicketTeamResolver {
  constructor(private readonly teamsService: TeamsService) {}

  @ResolveField(() => Team, { description: 'The team that owns it; null when none.', nullable: true })
  team(@Parent() ticket: Ticket, @Context() { loaders }: GraphQLRequestContext) {
    if (!ticket.teamId) return null;
    return this.teamsService.loadById(loaders, ticket.tenantId, ticket.teamId);
  }
}
