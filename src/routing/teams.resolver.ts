import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { RequirePermission } from '../auth/auth.decorators';
import { byKeys, GraphQLRequestContext } from '../common/graphql/loaders';
import { Ctx, RequestContext } from '../common/request-context';
import { Ticket } from '../tickets/entities/ticket.entity';
import { CreateTeamInput } from './dto/create-team.input';
import { Team } from './entities/team.entity';
import { TeamsService } from './teams.service';

@Resolver(() => Team)
export class TeamsResolver {
  constructor(private readonly teamsService: TeamsService) {}

  @Query(() => [Team])
  @RequirePermission('tickets:read')
  teams(@Ctx() ctx: RequestContext) {
    return this.teamsService.list(ctx);
  }

  @Mutation(() => Team)
  @RequirePermission('admin')
  createTeam(@Ctx() ctx: RequestContext, @Args('input') input: CreateTeamInput) {
    return this.teamsService.create(ctx, input);
  }
}

/** Adds `Ticket.team`; tickets knows teams only by id. */
@Resolver(() => Ticket)
export class TicketTeamResolver {
  constructor(private readonly teamsService: TeamsService) {}

  @ResolveField(() => Team, { nullable: true })
  team(@Parent() ticket: Ticket, @Context() { loaders }: GraphQLRequestContext) {
    if (!ticket.teamId) return null;
    return loaders
      .get<string, Team | null>('teamById', async (ids) => byKeys(ids, await this.teamsService.byIds(ticket.tenantId, ids), (t) => t.id))
      .load(ticket.teamId);
  }
}
