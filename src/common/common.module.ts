import { DynamicModule, Global, Module } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { AppConfig } from './config/app-config';
import { SecretBox, secretBoxFrom } from './crypto/secret-box';
import { TenantTransactions } from './database/tenant-transactions';
import { createEventBus, PUB_SUB } from './events/event-bus';
import { JobQueue } from './jobs/job-queue';
import { OperationalMetrics } from './observability/operational-metrics';

/** Config, the secret box, tenant transactions, the subscription event bus, durable jobs and operational metrics, available everywhere. */
@Global()
@Module({})
export class CommonModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: CommonModule,
      providers: [{ provide: AppConfig, useValue: config }, { provide: SecretBox, useFactory: () => secretBoxFrom(config) }, TenantTransactions, {
          provide: PUB_SUB,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => createEventBus(config.REDIS_URL, (dataSource.driver as PostgresDriver).master as Pool),
        }, OperationalMetrics, JobQueue],
      exports: [AppConfig, SecretBox, TenantTransactions, PUB_SUB, OperationalMetrics, JobQueue],
    };
  }
}
