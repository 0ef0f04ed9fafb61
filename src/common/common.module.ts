import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { TenantTransactions } from './database/tenant-transactions';
import { createPubSub, PUB_SUB } from './graphql/pubsub';
import { JobQueue } from './jobs/job-queue';
import { OperationalMetrics } from './observability/operational-metrics';

/** Config, tenant transactions, the subscription event bus, durable jobs and operational metrics, available everywhere. */
@Global()
@Module({})
export class CommonModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: CommonModule,
      providers: [{ provide: AppConfig, useValue: config }, TenantTransactions, { provide: PUB_SUB, useFactory: createPubSub }, OperationalMetrics, JobQueue],
      exports: [AppConfig, TenantTransactions, PUB_SUB, OperationalMetrics, JobQueue],
    };
  }
}
