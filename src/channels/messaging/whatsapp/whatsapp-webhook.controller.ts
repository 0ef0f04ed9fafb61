import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiChannelWebhooks, ApiMetaHandshake, ApiSignedWebhook } from '../webhook-openapi';
import type { RawBodyRequest } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../../auth/auth.decorators';
import { MessagingChannelKind } from '../entities/messaging-channel.entity';
import { MessagingIngestService } from '../messaging-ingest.service';
import { MessagingWebhooks } from '../messaging-webhooks';
import { readWhatsAppWebhook, WhatsAppWebhook } from './whatsapp-webhook';

/** Meta's WhatsApp Cloud API webhook for one connected number: the subscription handshake and the events. */
@ApiChannelWebhooks()
@Controller('webhooks/whatsapp')
export class WhatsAppWebhookController {
  constructor(
    private readonly webhooks: MessagingWebhooks,
    private readonly ingest: MessagingIngestService,
  ) {}

  @Get(':channelId')
  @Public()
  @ApiMetaHandshake('WhatsApp')
  async verify(@Param('channelId') channelId: string, @Query() query: Record<string, string>, @Res() reply: FastifyReply) {
    const challenge = await this.webhooks.metaHandshake(channelId, MessagingChannelKind.WHATSAPP, query);
    return reply.type('text/plain').send(challenge);
  }

  @Post(':channelId')
  @Public()
  @HttpCode(200)
  @ApiSignedWebhook(
    'WhatsApp Cloud API events of one number: messages, status callbacks (sent, delivered, read, failed)',
    'X-Hub-Signature-256',
    'sha256=<hex HMAC-SHA256 of the raw body with the Meta app secret>',
    { contentType: 'application/json', description: 'Meta\'s webhook payload, object "whatsapp_business_account".' },
    { contentType: 'text/plain', example: 'EVENT_RECEIVED' },
  )
  async receive(@Param('channelId') channelId: string, @Req() request: RawBodyRequest<FastifyRequest>) {
    const channel = await this.webhooks.signedMetaChannel(channelId, [MessagingChannelKind.WHATSAPP], request);
    const payload = request.body as WhatsAppWebhook;
    this.webhooks.expectObject(payload, 'whatsapp_business_account');
    for (const events of await this.webhooks.attribute(channel, MessagingChannelKind.WHATSAPP, this.webhooks.read(payload, readWhatsAppWebhook)))
      await this.ingest.receive(events.channel, events.batch);
    return 'EVENT_RECEIVED';
  }
}
