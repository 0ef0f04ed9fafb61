import { finishOpenApiDocument } from './common/http/openapi';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule, AppModuleOptions } from './app.module';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { validationFailed } from './common/errors/to-domain-error';
import { MAX_BODY_DEPTH, tooDeepAt } from './common/http/body-depth';
import { frameworkErrorHandlers } from './common/http/framework-errors';
import { InputValidationPipe } from './common/http/input-validation.pipe';
import { allowCrossOriginCalls } from './common/http/cross-origin';
import { OperationalMetrics } from './common/observability/operational-metrics';
import { cleanInboundValue } from './common/text/inbound-text';

/** Builds the HTTP application exactly as production runs it; tests and benchmarks use it too. */
export async function createApp(options: AppModuleOptions): Promise<NestFastifyApplication> {
  const refusals: { warn(message: string): void } = { warn: () => undefined }; // logs once the app's logger exists
  const adapter = new FastifyAdapter({
    bodyLimit: options.config.REQUEST_BODY_LIMIT_BYTES,
    trustProxy: options.config.TRUST_PROXY,
    ...frameworkErrorHandlers(refusals),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(options), adapter, { bufferLogs: true, rawBody: true });
  const logger = app.get(Logger);
  refusals.warn = (message) => logger.warn(message, 'HTTP');
  app.useLogger(logger);
  app.useGlobalPipes(
    new InputValidationPipe({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      exceptionFactory: validationFailed,
    }),
  );
  app.useGlobalFilters(new AllExceptionsFilter(logger));
  const fastify = app.getHttpAdapter().getInstance();
  // The storefront chat widget runs on the store's site and calls these from there.
  allowCrossOriginCalls(fastify, ['/graphql', '/api/v1/widget']);
  // Storable text before any handler reads it: REST and webhook bodies, GraphQL variables, query
  // strings and path parameters (the rule: src/common/text/inbound-text.ts). Signatures are checked
  // on the raw body, which stays as it came.
  fastify.addHook('preValidation', async (request, reply) => {
    // Validation walks a body recursively: one nested thousands deep is refused before it. GraphQL
    // variables get the same limit, with the variable named, in operation-limits.ts.
    const tooDeep = request.url.startsWith('/graphql') ? null : tooDeepAt(request.body);
    if (tooDeep) {
      const message = `The request body is nested deeper than ${MAX_BODY_DEPTH} levels at ${tooDeep.slice(0, 200)}`;
      return reply.status(400).send({ error: { code: 'BAD_USER_INPUT', message } });
    }
    if (typeof request.body === 'string') request.body = cleanInboundValue(request.body);
    else cleanInboundValue(request.body);
    cleanInboundValue(request.query);
    cleanInboundValue(request.params);
  });
  const metrics = app.get(OperationalMetrics);
  fastify.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL: ids in paths would make every request its own series.
    metrics.requestDuration.observe({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode }, reply.elapsedTime / 1000);
  });

  const document = finishOpenApiDocument(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Rida REST API')
        .setDescription(
          'Small REST surface for integrators, channel providers and probes; everything else is GraphQL at /graphql. Errors answer `{ "error": { "code", "message", "fields" } }` with the matching HTTP status.',
        )
        .setVersion('1')
        .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key (rida_<prefix>_<secret>) or an agent access token.' })
        .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, when the deployment sets one.' }, 'metrics')
        .build(),
    ),
    options.config.PUBLIC_URL,
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  return app;
}
