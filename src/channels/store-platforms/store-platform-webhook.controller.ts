import { Controller, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../../auth/auth.decorators';
import { StorePlatformsService } from './store-platforms.service';

/** Salla, Zid and Shopify webhooks for one connection: verified, mapped and recorded before the platform hears 200. */
@ApiExcludeController()
@Controller('webhooks/stores')
export class StorePlatformWebhookController {
  constructor(private readonly platforms: StorePlatformsService) {}

  @Post(':connectionId')
  @Public()
  @HttpCode(200)
  async receive(@Param('connectionId') connectionId: string, @Query('event') event: string | undefined, @Req() request: RawBodyRequest<FastifyRequest>) {
    const result = await this.platforms.receive(connectionId, { rawBody: request.rawBody, headers: request.headers, event: typeof event === 'string' ? event : undefined });
    return { received: true, outcome: result.outcome, duplicate: result.duplicate };
  }
}
