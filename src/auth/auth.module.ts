import { ApiKey } from './entities/api-key.entity';
import { NodeRegistry } from '../common/graphql/node';
import { NodeResolver } from './node.resolver';
import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AllStores } from '../common/database/all-stores';
import { TenantTransactions } from '../common/database/tenant-transactions';
import { AppConfig } from '../common/config/app-config';
import { AgentsResolver } from './agents.resolver';
import { AgentsService } from './agents.service';
import { ApiKeysResolver } from './api-keys.resolver';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { CredentialsService } from './credentials.service';
import { LiveConnectionsService } from './live-connections.service';
import { PrincipalsService } from './principals.service';
import { SessionsResolver } from './sessions.resolver';
import { SessionsService } from './sessions.service';
import { TokensService } from './tokens.service';

@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        if (!config.JWT_SECRET) throw new Error('JWT_SECRET is not set (main.ts provides one in development)');
        return { secret: config.JWT_SECRET, signOptions: { algorithm: 'HS256' } };
      },
    }),
  ],
  providers: [
    {
      provide: AuthService,
      inject: [AllStores, TenantTransactions, AppConfig],
      useFactory: (allStores: AllStores, db: TenantTransactions, config: AppConfig) => new AuthService(allStores, db, config.API_KEY_CACHE_SECONDS * 1000),
    },
    TokensService,
    PrincipalsService,
    CredentialsService,
    LiveConnectionsService,
    SessionsService,
    AgentsService,
    AgentsResolver,
    SessionsResolver,
    ApiKeysResolver,
    NodeResolver,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthService, AgentsService, TokensService],
})
export class AuthModule {
  constructor(nodes: NodeRegistry, agents: AgentsService, auth: AuthService) {
    nodes.register({ type: 'Agent', table: 'agents', scope: 'tickets:read', load: (ctx, id) => agents.get(ctx, id) });
    // The caller's own store (currentTenant): the tenants table is keyed by the store id itself.
    nodes.register({
      type: 'Tenant',
      table: 'tenants',
      tenantColumn: 'id',
      scope: 'tickets:read',
      load: async (ctx, id) => (id.toLowerCase() === ctx.tenantId ? auth.findTenant(ctx.tenantId) : null),
    });
    nodes.registerEntity('ApiKey', ApiKey, 'api_keys', 'admin');
  }
}
