import { Module } from '@nestjs/common';
import { CustomersResolver } from './customers.resolver';
import { CustomersService } from './customers.service';
import { TicketsResolver } from './tickets.resolver';
import { TicketsService } from './tickets.service';

@Module({
  providers: [TicketsService, CustomersService, TicketsResolver, CustomersResolver],
  exports: [TicketsService, CustomersService],
})
export class TicketsModule {}
