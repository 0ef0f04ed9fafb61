import { NodeRegistry } from '../common/graphql/node';
import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { SlaResolver } from './sla.resolver';
import { SlaSettingsService } from './sla-settings.service';
import { SlaAlertsResolver } from './sla-alerts.resolver';
import { SlaSweepService } from './sla-sweep.service';
import { TicketSlaService } from './ticket-sla.service';
import { ExpectationResolver, TicketSlaResolver } from './ticket-sla.resolver';
import { SlaPolicyRow } from './entities/sla-policy.entity';

@Module({
  imports: [TicketsModule],
  providers: [SlaSettingsService, TicketSlaService, SlaSweepService, SlaResolver, TicketSlaResolver, ExpectationResolver, SlaAlertsResolver],
  exports: [SlaSettingsService, SlaSweepService],
})
export class SlaModule {
  constructor(nodes: NodeRegistry) {
    nodes.registerEntity('SlaPolicy', SlaPolicyRow, 'sla_policies', 'tickets:read');
  }
}
