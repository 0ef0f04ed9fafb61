import { Body, Controller, Get, Headers, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/openapi';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../auth/auth.decorators';
import { DomainError } from '../../common/errors/domain-error';
import { LIMITS } from '../../common/validators';
import { VisitorSessionsService } from './visitor-sessions.service';

export class VisitorSessionInput {
  @ApiProperty({ format: 'uuid', description: 'The public chat channel id (data-channel).' })
  @IsUUID()
  channel: string;

  @ApiPropertyOptional({ description: "The visitor's current token, to renew it (same visitor, new expiry)." })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  token?: string;

  @ApiPropertyOptional({ example: 'salla-1001', description: "The store's customer id (data-customer-id); needs signature." })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.ref)
  customerId?: string;

  @ApiPropertyOptional({ description: "Hex HMAC-SHA256 of customerId with the channel's identity secret (data-signature), made on the store's server." })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  signature?: string;
}

/**
 * Where `npm run build` writes the widget: dist/widget.js. Compiled, this file runs from
 * dist/src/channels/chat; in tests, from src/channels/chat.
 */
const WIDGET_FILES = [resolve(__dirname, '../../../widget.js'), resolve(__dirname, '../../../dist/widget.js')];

/** The storefront chat widget: its script and the visitor sessions it opens. */
@ApiTags('chat widget')
@Controller()
export class WidgetController {
  private cached?: { path: string; mtimeMs: number; body: Buffer; etag: string };

  constructor(private readonly sessions: VisitorSessionsService) {}

  @Get('widget.js')
  @Public()
  @ApiOperation({ summary: 'The chat widget script a storefront embeds with one <script> line' })
  @ApiResponse({ status: 200, description: 'The script (text/javascript), with an ETag for revalidation.', content: { 'text/javascript': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 304, description: 'Not modified since the ETag given in If-None-Match.' })
  @ApiErrors(404)
  script(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const script = this.load();
    if (!script) throw new DomainError('NOT_FOUND', 'The chat widget is not built: run npm run build');
    // One unversioned address in every storefront: cached briefly, then revalidated by ETag, so a new release reaches shops within minutes.
    reply.header('cache-control', 'public, max-age=300, stale-while-revalidate=86400').header('etag', script.etag).header('x-content-type-options', 'nosniff');
    if (request.headers['if-none-match'] === script.etag) return reply.status(304).send();
    return reply.type('text/javascript; charset=utf-8').send(script.body);
  }

  @Post('api/v1/widget/sessions')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary:
      "A chat widget visitor's session: checks the page's Origin against the channel's allowed origins and any signed identity, then returns a customer token for that visitor only. New anonymous sessions are rate-limited per address.",
  })
  @ApiResponse({ status: 200, description: "The visitor's customer token and its expiry." })
  @ApiErrors(400, 403, 404, 429)
  open(@Body() input: VisitorSessionInput, @Headers('origin') origin: string | undefined, @Req() request: FastifyRequest) {
    return this.sessions.open({ channelId: input.channel, origin, ip: request.ip, token: input.token, customerId: input.customerId, signature: input.signature });
  }

  private load() {
    for (const path of WIDGET_FILES) {
      let mtimeMs: number;
      try {
        mtimeMs = statSync(path).mtimeMs;
      } catch {
        continue;
      }
      if (this.cached?.path !== path || this.cached.mtimeMs !== mtimeMs) {
        const body = readFileSync(path);
        this.cached = { path, mtimeMs, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
      }
      return this.cached;
    }
    return undefined;
  }
}
