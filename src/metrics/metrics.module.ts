import { NodeRegistry } from '../common/graphql/node';
import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { RoutingModule } from '../routing/routing.module';
import { TicketsModule } from '../tickets/tickets.module';
import { CsatController } from './csat.controller';
import { CsatResolver, TicketCsatResolver } from './csat.resolver';
import { CsatService } from './csat.service';
import { KpisExportController } from './kpis-export.controller';
import { KpiRollupService } from './kpi-rollup.service';
import { AgentScorecardResolver, KpisResolver, TeamScorecardResolver } from './kpis.resolver';
import { KpisService } from './kpis.service';
import { PrometheusController } from './prometheus.controller';
import { SurveyPageController } from './survey-page.controller';

@Module({
  imports: [TicketsModule, AuthModule, RoutingModule],
  controllers: [CsatController, SurveyPageController, KpisExportController, PrometheusController],
  providers: [KpisService, KpiRollupService, KpisResolver, AgentScorecardResolver, TeamScorecardResolver, CsatService, CsatResolver, TicketCsatResolver],
  exports: [CsatService],
})
export class MetricsModule {
  constructor(nodes: NodeRegistry, csat: CsatService) {
    nodes.register({ type: 'CsatSurveyInfo', table: 'csat_surveys', scope: 'tickets:read', load: (ctx, id) => csat.get(ctx, id) });
  }
}
