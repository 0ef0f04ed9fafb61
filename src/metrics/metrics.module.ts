import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { CsatController } from './csat.controller';
import { CsatResolver, TicketCsatResolver } from './csat.resolver';
import { CsatService } from './csat.service';
import { KpisResolver } from './kpis.resolver';
import { KpisService } from './kpis.service';

@Module({
  imports: [TicketsModule],
  controllers: [CsatController],
  providers: [KpisService, KpisResolver, CsatService, CsatResolver, TicketCsatResolver],
})
export class MetricsModule {}
