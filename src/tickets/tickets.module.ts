import { Module } from '@nestjs/common';
import { CustomersResolver } from './customers.resolver';
import { CustomersService } from './customers.service';
import { PortalResolver, PortalTicketConnectionResolver } from './portal.resolver';
import { TicketConnectionResolver, TicketsResolver } from './tickets.resolver';
import { TicketsService } from './tickets.service';

@Module({
  providers: [
    TicketsService,
    CustomersService,
    TicketsResolver,
    TicketConnectionResolver,
    CustomersResolver,
    PortalResolver,
    PortalTicketConnectionResolver,
  ],
  exports: [TicketsService, CustomersService],
})
export class TicketsModule {}
