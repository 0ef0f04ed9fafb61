import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { TenantTransactions } from './database/tenant-transactions';

/** Config and the tenant transaction helper, available everywhere. */
@Global()
@Module({})
export class CommonModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: CommonModule,
      providers: [{ provide: AppConfig, useValue: config }, TenantTransactions],
      exports: [AppConfig, TenantTransactions],
    };
  }
}
