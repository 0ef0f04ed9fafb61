import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { AgentsService } from '../auth/agents.service';
import { Agent } from '../auth/entities/agent.entity';
import { GraphQLRequestContext } from '../common/graphql/loaders';
import { Ticket } from './entities/ticket.entity';

/** Adds `Ticket.assignee`: tickets store agents by id only, and auth (which knows them) knows nothing of tickets. */
@Resolver(() => Ticket)
export class TicketAssigneeResolver {
  constructor(private readonly agentsService: AgentsService) {}

  @ResolveField(() => Agent, { description: 'The agent working on it; null when unassigned.', nullable: true })
  assignee(@Parent() ticket: Ticket, @Context() { loaders }: GraphQLRequestContext) {
    if (!ticket.assigneeId) return null;
    return this.agentsService.loadById(loaders, ticket.tenantId, ticket.assigneeId);
  }
}
