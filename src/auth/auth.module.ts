import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppConfig } from '../common/config/app-config';
import { AgentsResolver, TicketAssigneeResolver } from './agents.resolver';
import { AgentsService } from './agents.service';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';

@Global()
@Module({
  providers: [
    {
      provide: AuthService,
      inject: [DataSource, AppConfig],
      useFactory: (dataSource: DataSource, config: AppConfig) => new AuthService(dataSource, config.API_KEY_CACHE_SECONDS * 1000),
    },
    AgentsService, AgentsResolver, TicketAssigneeResolver, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, AgentsService],
})
export class AuthModule {}
