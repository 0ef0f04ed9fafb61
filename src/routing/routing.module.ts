import { NodeRegistry } from '../common/graphql/node';
import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { AssignmentService } from './assignment.service';
import { RoutingResolver } from './routing.resolver';
import { RoutingService } from './routing.service';
import { AgentTeamsResolver, TeamsResolver, TicketTeamResolver } from './teams.resolver';
import { TeamsService } from './teams.service';
import { RoutingRuleRow } from './entities/routing-rule.entity';

@Module({
  imports: [TicketsModule],
  providers: [TeamsService, RoutingService, AssignmentService, TeamsResolver, TicketTeamResolver, AgentTeamsResolver, RoutingResolver],
  exports: [TeamsService, RoutingService, AssignmentService],
})
export class RoutingModule {
  constructor(nodes: NodeRegistry, teams: TeamsService) {
    nodes.register({ type: 'Team', table: 'teams', scope: 'tickets:read', load: (ctx, id) => teams.get(ctx, id) });
    nodes.registerEntity('RoutingRule', RoutingRuleRow, 'routing_rules', 'tickets:read');
  }
}
