import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { ApiChannelWebhooks, ApiMetaHandshake, ApiSignedWebhook } from '../webhook-openapi';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../../auth/auth.decorators';
import { MessagingChannelKind } from '../entities/messaging-channel.entity';
import { MessagingIngestService } from '../messaging-ingest.service';
import { MessagingWebhooks } from '../messaging-webhooks';
import { MetaWebhook, readMetaWebhook } from './meta-webhook';

/** Instagram and Messenger (Graph API webhooks) of one Meta app, at a connected account's URL: handshake, direct messages, comments. */
@ApiChannelWebhooks()
@Controller('webhooks/meta')
export class MetaWebhookController {
  constructor(
    private readonly webhooks: MessagingWebhooks,
    private readonly ingest: MessagingIngestService,
  ) {}

  @Get(':channelId')
  @Public()
  @ApiMetaHandshake('Instagram / Messenger')
  async verify(@Param('channelId') channelId: string, @Query() query: Record<string, string>, @Res() reply: FastifyReply) {
    const challenge = await this.webhooks.metaHandshake(channelId, 'META', query);
    return reply.type('text/plain').send(challenge);
  }

  @Post(':channelId')
  @Public()
  @HttpCode(200)
  @ApiSignedWebhook(
    'Instagram and Messenger events of one Meta app: direct messages, comments, read and delivery receipts',
    'X-Hub-Signature-256',
    'sha256=<hex HMAC-SHA256 of the raw body with the Meta app secret>',
    { contentType: 'application/json', description: 'Meta\'s webhook payload, object "instagram" or "page".' },
    { contentType: 'text/plain', example: 'EVENT_RECEIVED' },
  )
  async receive(@Param('channelId') channelId: string, @Req() request: RawBodyRequest<FastifyRequest>) {
    const channel = await this.webhooks.signedMetaChannel(channelId, [MessagingChannelKind.INSTAGRAM, MessagingChannelKind.MESSENGER], request);
    const payload = request.body as MetaWebhook;
    // One URL may be given for both of an app's objects: the object says which kind of account each entry is.
    this.webhooks.expectObject(payload, 'instagram', 'page');
    const kind = payload.object === 'instagram' ? MessagingChannelKind.INSTAGRAM : MessagingChannelKind.MESSENGER;
    for (const events of await this.webhooks.attribute(channel, kind, this.webhooks.read(payload, readMetaWebhook))) await this.ingest.receive(events.channel, events.batch);
    return 'EVENT_RECEIVED';
  }
}
