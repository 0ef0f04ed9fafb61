import { Controller, Get, HttpStatus, Res, ServiceUnavailableException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from './public';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
  ) {}

  /** Readiness: the process is up and PostgreSQL answers (503 otherwise, with Terminus' report). */
  @Get()
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: the process is up and PostgreSQL answers (for load balancers and orchestrators)' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    try {
      return await this.health.check([() => this.database.pingCheck('database', { timeout: 2000 })]);
    } catch (error) {
      // The error vocabulary has no "unavailable"; a probe wants the status and the report, not a 500.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(HttpStatus.SERVICE_UNAVAILABLE);
      return error.getResponse();
    }
  }

  /** Liveness: the process answers; no dependency is checked. */
  @Get('live')
  @Public()
  @ApiOperation({ summary: 'Liveness: the process answers; no dependency is checked' })
  @ApiResponse({ status: 200, description: 'Alive.', schema: { type: 'object', properties: { status: { type: 'string', example: 'ok' } } } })
  live() {
    return { status: 'ok' };
  }
}
