import { Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { ApiErrors } from '../../../common/http/openapi';
import { ApiChannelWebhooks, ApiSignedWebhook } from '../webhook-openapi';
import type { FastifyRequest } from 'fastify';
import { Public } from '../../../auth/auth.decorators';
import { MessagingChannelKind } from '../entities/messaging-channel.entity';
import { MessagingIngestService } from '../messaging-ingest.service';
import { MessagingWebhooks } from '../messaging-webhooks';
import { readXWebhook, XWebhook } from './x-webhook';

/** X Account Activity API for one connected account: the CRC challenge, direct messages and mentions. */
@ApiChannelWebhooks()
@Controller('webhooks/x')
export class XWebhookController {
  constructor(
    private readonly webhooks: MessagingWebhooks,
    private readonly ingest: MessagingIngestService,
  ) {}

  @Get(':channelId')
  @Public()
  @ApiOperation({ summary: 'X challenge-response check (CRC): answers the HMAC of crc_token with the consumer secret' })
  @ApiParam({ name: 'channelId', description: "The connected channel's id.", schema: { type: 'string', format: 'uuid' } })
  @ApiQuery({ name: 'crc_token', required: true, schema: { type: 'string' }, description: 'The token X sends.' })
  @ApiResponse({ status: 200, description: 'The response token X expects.', schema: { type: 'object', properties: { response_token: { type: 'string', example: 'sha256=…' } } } })
  @ApiErrors(400, 404)
  crc(@Param('channelId') channelId: string, @Query('crc_token') crcToken?: string) {
    return this.webhooks.xCrc(channelId, crcToken);
  }

  @Post(':channelId')
  @Public()
  @HttpCode(200)
  @ApiSignedWebhook(
    'X Account Activity events of one account: direct messages and mentions',
    'X-Twitter-Webhooks-Signature',
    'sha256=<base64 HMAC-SHA256 of the raw body with the consumer secret>',
    { contentType: 'application/json', description: 'The Account Activity API payload.' },
    { contentType: 'application/json', example: { ok: true } },
  )
  async receive(@Param('channelId') channelId: string, @Req() request: RawBodyRequest<FastifyRequest>) {
    const channel = await this.webhooks.signedXChannel(channelId, request);
    const payload = (request.body ?? {}) as XWebhook;
    for (const events of await this.webhooks.attribute(channel, MessagingChannelKind.X, this.webhooks.read(payload, readXWebhook))) await this.ingest.receive(events.channel, events.batch);
    return { ok: true };
  }
}
