import { NodeRegistry } from './graphql/node';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { SecretBox, secretBoxFrom } from './crypto/secret-box';
import { AllStores } from './database/all-stores';
import { TenantTransactions } from './database/tenant-transactions';
import { TransactionHooks } from './database/transaction-hooks';
import { StoreSettingsCache } from './cache/store-settings-cache';
import { createEventBus, PUB_SUB } from './events/event-bus';
import { JobQueue } from './jobs/job-queue';
import { OutboundGuard } from './net/outbound-guard';
import { OutboundHttp } from './net/outbound-http';
import { OperationalMetrics } from './observability/operational-metrics';
import { PublicRateLimit } from './http/public-rate-limit';

/** The services this module provides and exports as they are. */
const SERVICES = [TenantTransactions, AllStores, OperationalMetrics, JobQueue, OutboundGuard, OutboundHttp, TransactionHooks, StoreSettingsCache, PublicRateLimit, NodeRegistry];

/** Config, the secret box, tenant transactions and the cross-store door, the event bus, durable jobs, cached store settings, operational metrics and the outbound connection guard, available everywhere. */
@Global()
@Module({})
export class CommonModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: CommonModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: SecretBox, useFactory: () => secretBoxFrom(config) },
        ...SERVICES,
        {
          provide: PUB_SUB,
          inject: [AllStores],
          // The event bus listens on a connection of its own (LISTEN/NOTIFY), configured as the pool's.
          useFactory: (allStores: AllStores) => createEventBus(config.REDIS_URL, allStores.pool()),
        },
      ],
      exports: [AppConfig, SecretBox, PUB_SUB, ...SERVICES],
    };
  }
}
