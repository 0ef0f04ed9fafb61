import { Module } from '@nestjs/common';
import { AgentTeamsResolver, TeamsResolver, TicketTeamResolver } from './teams.resolver';
import { TeamsService } from './teams.service';

@Module({ providers: [TeamsService, TeamsResolver, TicketTeamResolver, AgentTeamsResolver], exports: [TeamsService] })
export class RoutingModule {}
