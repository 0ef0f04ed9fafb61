import { DynamicModule, Global, Module } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { AppConfig } from './config/app-config';
import { SecretBox, secretBoxFrom } from './crypto/secret-box';
import { TenantTransactions } from './database/tenant-transactions';
import { TransactionHooks } from './database/transaction-hooks';
import { StoreSettingsCache } from './cache/store-settings-cache';
import { createEventBus, PUB_SUB } from './events/event-bus';
import { JobQueue } from './jobs/job-queue';
import { OutboundGuard } from './net/outbound-guard';
import { OutboundHttp } from './net/outbound-http';
import { OperationalMetrics } from './observability/operational-metrics';

/** Config, the secret box, tenant transactions, the event bus, durable jobs, cached store settings, operational metrics and the outbound connection guard, available everywhere. */
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
        }, OperationalMetrics, JobQueue, OutboundGuard, OutboundHttp, TransactionHooks, StoreSettingsCache],
      exports: [AppConfig, SecretBox, TenantTransactions, PUB_SUB, OperationalMetrics, JobQueue, OutboundGuard, OutboundHttp, TransactionHooks, StoreSettingsCache],
    };
  }
}
