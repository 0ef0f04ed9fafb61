import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequirePermission } from '../../auth/auth.decorators';
import { ApiErrors } from '../../common/http/openapi';
import { badInput } from '../../common/errors/domain-error';
import { Ctx, RequestContext } from '../../common/request-context';
import { CreateTicketInput } from '../../tickets/dto/create-ticket.input';
import { TicketsService } from '../../tickets/tickets.service';

/** The API channel for integrators that prefer plain HTTP to GraphQL. */
@ApiTags('tickets')
@ApiBearerAuth()
@Controller('api/v1/tickets')
export class TicketsIngestController {
  constructor(private readonly tickets: TicketsService) {}

  @Post()
  @HttpCode(201)
  @RequirePermission('tickets:write')
  @ApiOperation({ summary: 'Create a ticket with its first customer message' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Repeat a request safely: the same key returns the same ticket.' })
  @ApiResponse({ status: 201, description: 'Created' })
  @ApiResponse({ status: 200, description: 'Replayed: a ticket was already created with this Idempotency-Key' })
  @ApiErrors(400, 401, 403, 409, 429)
  async create(@Ctx() ctx: RequestContext, @Body() input: CreateTicketInput, @Headers('idempotency-key') idempotencyKey: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    if (idempotencyKey !== undefined) {
      if (idempotencyKey.length === 0 || idempotencyKey.length > 200) throw badInput('Idempotency-Key must be 1–200 characters', { 'Idempotency-Key': ['1–200 characters'] });
      if (input.idempotencyKey && input.idempotencyKey !== idempotencyKey) throw badInput('Idempotency-Key header and body idempotencyKey differ');
      input.idempotencyKey = idempotencyKey;
    }
    const { ticket, created } = await this.tickets.create(ctx, input);
    if (!created) void reply.status(200);
    return {
      id: ticket.id,
      number: ticket.number,
      status: ticket.status,
      priority: ticket.priority,
      category: ticket.category,
      channel: ticket.channel,
      customerId: ticket.customerId,
      createdAt: ticket.createdAt,
    };
  }
}
