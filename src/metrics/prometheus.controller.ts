import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/http/openapi';
import type { FastifyReply } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { Public } from '../auth/auth.decorators';
import { AppConfig } from '../common/config/app-config';
import { DomainError } from '../common/errors/domain-error';
import { OperationalMetrics } from '../common/observability/operational-metrics';

@ApiTags('health')
@Controller('metrics')
export class PrometheusController {
  constructor(
    private readonly metrics: OperationalMetrics,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  @ApiBearerAuth('metrics')
  @ApiProduces('text/plain')
  @ApiResponse({ status: 200, description: 'Prometheus text exposition format 0.0.4.', content: { 'text/plain': { schema: { type: 'string' } } } })
  @ApiErrors(401, 403)
  @ApiOperation({ summary: 'Operational metrics in the Prometheus text format (Bearer METRICS_TOKEN; open without one only outside production)' })
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() reply: FastifyReply) {
    const token = this.config.METRICS_TOKEN;
    // Store names, queue sizes and traffic are not for the public internet.
    if (!token && this.config.NODE_ENV === 'production') throw new DomainError('FORBIDDEN', 'Metrics are served in production only with METRICS_TOKEN set');
    if (token) {
      const given = Buffer.from(authorization ?? '');
      const expected = Buffer.from(`Bearer ${token}`);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new DomainError('UNAUTHENTICATED', 'A metrics token is required');
    }
    return reply.header('content-type', this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
