import { Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../auth/auth.decorators';
import { MessagingWebhooks } from '../messaging/messaging-webhooks';
import { PhoneService } from './phone.service';
import { EMPTY_TWIML } from './twilio-voice';

/** Twilio Voice "call status changes" callbacks for one connected Twilio account. */
@ApiExcludeController()
@Controller('webhooks/twilio')
export class TwilioVoiceController {
  constructor(
    private readonly webhooks: MessagingWebhooks,
    private readonly phone: PhoneService,
  ) {}

  @Post(':channelId/voice')
  @Public()
  @HttpCode(200)
  async statusCallback(@Param('channelId') channelId: string, @Req() request: RawBodyRequest<FastifyRequest>, @Res() reply: FastifyReply) {
    const { channel, params } = await this.webhooks.signedTwilioRequest(channelId, request);
    await this.phone.receiveTwilioCallStatus(channel, params);
    return reply.type('text/xml').send(EMPTY_TWIML);
  }
}
