import { Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { ApiChannelWebhooks, ApiSignedWebhook } from '../messaging/webhook-openapi';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../auth/auth.decorators';
import { MessagingWebhooks } from '../messaging/messaging-webhooks';
import { PhoneService } from './phone.service';
import { EMPTY_TWIML } from './twilio-voice';

/** Twilio Voice "call status changes" callbacks for one connected Twilio account. */
@ApiChannelWebhooks()
@Controller('webhooks/twilio')
export class TwilioVoiceController {
  constructor(
    private readonly webhooks: MessagingWebhooks,
    private readonly phone: PhoneService,
  ) {}

  @Post(':channelId/voice')
  @Public()
  @HttpCode(200)
  @ApiSignedWebhook(
    "Twilio Voice call status callbacks of one account: each finished call is logged on the caller's ticket",
    'X-Twilio-Signature',
    'base64 HMAC-SHA1 of the full URL and the sorted form parameters with the Auth Token',
    { contentType: 'application/x-www-form-urlencoded', description: "Twilio's status callback parameters (CallSid, From, To, CallStatus, CallDuration …)." },
    { contentType: 'text/xml', example: '<?xml version="1.0" encoding="UTF-8"?><Response/>' },
  )
  async statusCallback(@Param('channelId') channelId: string, @Req() request: RawBodyRequest<FastifyRequest>, @Res() reply: FastifyReply) {
    const { channel, params } = await this.webhooks.signedTwilioRequest(channelId, request);
    await this.phone.receiveTwilioCallStatus(channel, params);
    return reply.type('text/xml').send(EMPTY_TWIML);
  }
}
