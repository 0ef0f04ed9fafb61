import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequirePermission } from '../../auth/auth.decorators';
import { ApiErrors } from '../../common/http/openapi';
import { Ctx, RequestContext } from '../../common/request-context';
import { LogCallInput } from './dto/log-call.input';
import { PhoneService } from './phone.service';

/** Phone systems report finished calls here. */
@ApiTags('calls')
@ApiBearerAuth()
@Controller('api/v1/calls')
export class CallsController {
  constructor(private readonly phone: PhoneService) {}

  @Post()
  @HttpCode(201)
  @RequirePermission('tickets:write')
  @ApiOperation({ summary: "Log a call on the caller's open ticket or a new PHONE ticket; missed calls become call-backs" })
  @ApiResponse({ status: 201, description: 'Logged' })
  @ApiResponse({ status: 200, description: 'Already logged (same provider and providerCallId)' })
  @ApiErrors(400, 401, 403, 429)
  async log(@Ctx() ctx: RequestContext, @Body() input: LogCallInput, @Res({ passthrough: true }) reply: FastifyReply) {
    const { call, ticket, created } = await this.phone.logCall(ctx, input);
    if (!created) reply.status(200);
    return { created, call, ticket: { id: ticket.id, number: ticket.number, status: ticket.status, priority: ticket.priority, tags: ticket.tags, slaDueAt: ticket.slaDueAt } };
  }
}
