import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiErrors } from '../common/http/openapi';
import { Public } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { PublicRateLimit } from '../common/http/public-rate-limit';
import { CsatService } from './csat.service';
import { CsatAnswerInput } from './dto/csat.types';

/** The public survey endpoints for integrators' own survey pages (no login; the token is the credential). Rida's own page is /survey/<token>. */
@ApiTags('csat')
@Controller('api/v1/csat')
export class CsatController {
  constructor(
    private readonly csat: CsatService,
    private readonly rateLimit: PublicRateLimit,
  ) {}

  private limit(request: FastifyRequest) {
    if (!this.rateLimit.take(request.ip)) throw new DomainError('RATE_LIMITED', 'Too many survey requests from this address; wait a minute and try again');
  }

  @Get(':token')
  @Public()
  @ApiOperation({ summary: 'What to show on the survey page' })
  @ApiParam({ name: 'token', description: 'The answer token from the survey link (CsatSurveyInfo.answerToken).' })
  @ApiResponse({ status: 200, description: 'The store, the ticket and whether the survey was answered.' })
  @ApiErrors(400, 404, 429)
  describe(@Param('token') token: string, @Req() request: FastifyRequest) {
    this.limit(request);
    return this.csat.describe(token);
  }

  @Post(':token')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Answer a survey once: rating 1–5, an optional comment and an optional 0–10 recommendation (NPS)' })
  @ApiParam({ name: 'token', description: 'The answer token from the survey link.' })
  @ApiResponse({ status: 200, description: 'Answered.', schema: { type: 'object', properties: { ok: { type: 'boolean', example: true } } } })
  @ApiErrors(400, 404, 409, 429)
  async answer(@Param('token') token: string, @Body() input: CsatAnswerInput, @Req() request: FastifyRequest) {
    this.limit(request);
    await this.csat.answer(token, input);
    return { ok: true };
  }
}
