import { Module } from '@nestjs/common';
import { CustomersResolver } from './customers.resolver';
import { CustomersService } from './customers.service';
import { PortalResolver, PortalTicketConnectionResolver } from './portal.resolver';
import { TicketConnectionResolver, TicketsResolver } from './tickets.resolver';
import { TicketListeners } from './ticket-listeners';
import { TicketsService } from './tickets.service';

@Module({
  providers: [
    TicketsService,
    TicketListeners,
    CustomersService,
    TicketsResolver,
    TicketConnectionResolver,
    CustomersResolver,
    PortalResolver,
    PortalTicketConnectionResolver,
  ],
  exports: [TicketsService, CustomersService, TicketListeners],
})
export class TicketsModule {}
