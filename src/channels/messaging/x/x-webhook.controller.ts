import { Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../../../auth/auth.decorators';
import { MessagingChannelKind } from '../entities/messaging-channel.entity';
import { MessagingIngestService } from '../messaging-ingest.service';
import { MessagingWebhooks } from '../messaging-webhooks';
import { readXWebhook, XWebhook } from './x-webhook';

/** X Account Activity API for one connected account: the CRC challenge, direct messages and mentions. */
@ApiExcludeController()
@Controller('webhooks/x')
export class XWebhookController {
  constructor(
    private readonly webhooks: MessagingWebhooks,
    private readonly ingest: MessagingIngestService,
  ) {}

  @Get(':channelId')
  @Public()
  crc(@Param('channelId') channelId: string, @Query('crc_token') crcToken?: string) {
    return this.webhooks.xCrc(channelId, crcToken);
  }

  @Post(':channelId')
  @Public()
  @HttpCode(200)
  async receive(@Param('channelId') channelId: string, @Req() request: RawBodyRequest<FastifyRequest>) {
    const channel = await this.webhooks.signedXChannel(channelId, request);
    const payload = (request.body ?? {}) as XWebhook;
    for (const events of await this.webhooks.attribute(channel, MessagingChannelKind.X, this.webhooks.read(payload, readXWebhook))) await this.ingest.receive(events.channel, events.batch);
    return { ok: true };
  }
}
