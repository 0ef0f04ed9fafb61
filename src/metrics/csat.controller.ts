import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
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
  describe(@Param('token') token: string) {
    return this.csat.describe(token);
  }

  @Post(':token')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Answer a survey once: rating 1–5, an optional comment and an optional 0–10 recommendation (NPS)' })
  async answer(@Param('token') token: string, @Body() input: CsatAnswerInput) {
    await this.csat.answer(token, input);
    return { ok: true };
  }
}
