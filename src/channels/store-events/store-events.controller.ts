import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequirePermission } from '../../auth/auth.decorators';
import { ApiErrors } from '../../common/http/openapi';
import { Ctx, RequestContext } from '../../common/request-context';
import { StoreEventInput } from './dto/store-event.input';
import { StoreEventsService } from './store-events.service';

/** Store platforms (Salla, Zid, Shopify …) push order events here. */
@ApiTags('store events')
@ApiBearerAuth()
@Controller('api/v1/store-events')
export class StoreEventsController {
  constructor(private readonly service: StoreEventsService) {}

  @Post()
  @HttpCode(201)
  @RequirePermission('tickets:write')
  @ApiOperation({ summary: 'Record an order event; updates the order, lifetime value and tier, and schedules follow-ups' })
  @ApiResponse({ status: 201, description: 'Recorded' })
  @ApiResponse({ status: 200, description: 'Already recorded (same eventId): nothing changed' })
  @ApiErrors(400, 401, 403, 429)
  async record(@Ctx() ctx: RequestContext, @Body() input: StoreEventInput, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.service.record(ctx, input);
    if (result.duplicate) reply.status(200);
    return {
      duplicate: result.duplicate,
      eventId: result.event.externalId,
      order: result.order,
      customer: { id: result.customer.id, tier: result.customer.tier, lifetimeValue: result.customer.lifetimeValue, orderCount: result.customer.orderCount },
      automations: result.automations.map((a) => ({ id: a.id, kind: a.kind, runAt: a.runAt, status: a.status })),
    };
  }
}
