import { describeRootTypes } from './common/graphql/root-type-descriptions';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AuthModule } from './auth/auth.module';
import { ChannelsModule } from './channels/channels.module';
import { AppConfig } from './common/config/app-config';
import { typeormOptions } from './common/database/typeorm-options';
import { APP_SCHEMA } from './app-schema';
import { depthLimitRule } from './common/graphql/depth-limit';
import { graphQLErrorFormatter } from './common/graphql/format-error';
import { graphQLContext } from './common/graphql/context';
import { unitOfWorkPlugin } from './common/graphql/unit-of-work.plugin';
import { TenantTransactions } from './common/database/tenant-transactions';
import { StrictDateTime } from './common/graphql/date-time.scalar';
import { operationLimitsPlugin } from './common/graphql/operation-limits';
import { HealthController } from './common/http/health.controller';
import { GraphiqlAssetsController, graphiqlLandingPagePlugin } from './common/graphql/graphiql';
import { CommonModule } from './common/common.module';
import { RoutingModule } from './routing/routing.module';
import { SlaModule } from './sla/sla.module';
import { MetricsModule } from './metrics/metrics.module';
import { TicketsModule } from './tickets/tickets.module';
import { KnowledgeBaseModule } from './knowledge-base/knowledge-base.module';

export interface AppModuleOptions {
  config: AppConfig;
  /** The resolved database: DATABASE_URL or the embedded server's. */
  databaseUrl: string;
  /** Where JSON logs go; standard output unless given (tests capture them). */
  logDestination?: DestinationStream;
}

@Module({})
export class AppModule {
  static register({ config, databaseUrl, logDestination }: AppModuleOptions): DynamicModule {
    const pinoOptions = {
      level: config.LOG_LEVEL,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      autoLogging: { ignore: (req: { url?: string }) => req.url?.startsWith('/health') ?? false },
    };
    return {
      module: AppModule,
      imports: [
        CommonModule.register(config),
        LoggerModule.forRoot({ pinoHttp: logDestination ? [pinoOptions, logDestination] : pinoOptions }),
        TypeOrmModule.forRoot(typeormOptions(databaseUrl, APP_SCHEMA, config.DATABASE_POOL_SIZE)),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [TenantTransactions],
          useFactory: (transactions: TenantTransactions) => ({
            path: '/graphql',
            autoSchemaFile: config.GRAPHQL_SCHEMA_FILE || true,
            sortSchema: true,
            transformSchema: describeRootTypes,
            transformAutoSchemaFile: true,
            buildSchemaOptions: { scalarsMap: [{ type: Date, scalar: StrictDateTime }] },
            // GraphiQL in a browser at /graphql outside production, from this server's own packages
            // (Nest's built-in page loads it from a public CDN); off, Apollo shows no landing page.
            playground: false,
            graphiql: false,
            introspection: config.GRAPHQL_INTROSPECTION,
            includeStacktraceInErrorResponses: false,
            // "Did you mean …" would name schema fields that introspection keeps to itself.
            hideSchemaDetailsFromClientErrors: !config.GRAPHQL_INTROSPECTION,
            validationRules: [depthLimitRule(config.GRAPHQL_MAX_DEPTH)],
            // Apollo installs its cache-control plugin unless told not to; it hooks every field's
            // resolution, and this API sets no cache hints (answers are per caller and per store).
            plugins: [
              operationLimitsPlugin(config.GRAPHQL_MAX_COMPLEXITY),
              unitOfWorkPlugin(transactions),
              ApolloServerPluginCacheControlDisabled(),
              ...(config.GRAPHQL_GRAPHIQL ? [graphiqlLandingPagePlugin('/graphql')] : []),
            ],
            formatError: graphQLErrorFormatter({ hideSuggestions: !config.GRAPHQL_INTROSPECTION }),
            context: graphQLContext,
            // graphql-ws on the same path; the credential comes in connection_init's payload.
            subscriptions: { 'graphql-ws': { path: '/graphql' } },
          }),
        }),
        TerminusModule,
        AuthModule,
        TicketsModule,
        RoutingModule,
        SlaModule,
        MetricsModule,
        ChannelsModule,
        KnowledgeBaseModule,
      ],
      controllers: config.GRAPHQL_GRAPHIQL ? [HealthController, GraphiqlAssetsController] : [HealthController],
    };
  }
}
