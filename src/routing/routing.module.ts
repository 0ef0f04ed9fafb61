import { Module } from '@nestjs/common';
import { TeamsResolver, TicketTeamResolver } from './teams.resolver';
import { TeamsService } from './teams.service';

@Module({ providers: [TeamsService, TeamsResolver, TicketTeamResolver], exports: [TeamsService] })
export class RoutingModule {}
