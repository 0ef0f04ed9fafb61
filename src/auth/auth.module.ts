import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AgentsResolver, TicketAssigneeResolver } from './agents.resolver';
import { AgentsService } from './agents.service';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';

@Global()
@Module({
  providers: [AuthService, AgentsService, AgentsResolver, TicketAssigneeResolver, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, AgentsService],
})
export class AuthModule {}
