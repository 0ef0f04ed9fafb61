import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/http/openapi';
import { Public } from '../auth/auth.decorators';
import { CsatService } from './csat.service';
import { CsatAnswerInput } from './dto/csat.types';

/** The public survey endpoints a store's survey page calls (no login; the token is the credential). */
@ApiTags('csat')
@Controller('api/v1/csat')
export class CsatController {
  constructor(private readonly csat: CsatService) {}

  @Get(':token')
  @Public()
  @ApiOperation({ summary: 'What to show on the survey page' })
  @ApiParam({ name: 'token', description: 'The answer token from the survey link (CsatSurveyInfo.answerToken).' })
  @ApiResponse({ status: 200, description: 'The store, the ticket and whether the survey was answered.' })
  @ApiErrors(400, 404)
  describe(@Param('token') token: string) {
    return this.csat.describe(token);
  }

  @Post(':token')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Answer a survey once: rating 1–5, an optional comment and an optional 0–10 recommendation (NPS)' })
  @ApiParam({ name: 'token', description: 'The answer token from the survey link.' })
  @ApiResponse({ status: 200, description: 'Answered.', schema: { type: 'object', properties: { ok: { type: 'boolean', example: true } } } })
  @ApiErrors(400, 404, 409)
  async answer(@Param('token') token: string, @Body() input: CsatAnswerInput) {
    await this.csat.answer(token, input);
    return { ok: true };
  }
}
