import { Controller, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/openapi';
import type { FastifyRequest } from 'fastify';
import { Public } from '../../auth/auth.decorators';
import { StorePlatformsService } from './store-platforms.service';

/** Salla, Zid and Shopify webhooks for one connection: verified, mapped and recorded before the platform hears 200. */
@ApiTags('channel webhooks')
@Controller('webhooks/stores')
export class StorePlatformWebhookController {
  constructor(private readonly platforms: StorePlatformsService) {}

  @Post(':connectionId')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Salla, Zid or Shopify order events of one connected store: verified, mapped to store events and recorded before the 200' })
  @ApiParam({ name: 'connectionId', description: "The store platform connection's id (StorePlatformConnection.webhookUrl is the whole address).", schema: { type: 'string', format: 'uuid' } })
  @ApiQuery({ name: 'event', required: false, schema: { type: 'string' }, description: 'Zid: the event name, when it was put in the registered URL.' })
  @ApiHeader({ name: 'X-Salla-Signature', required: false, description: 'Salla (signature strategy): hex HMAC-SHA256 of the raw body with the webhook secret.' })
  @ApiHeader({
    name: 'X-Shopify-Hmac-Sha256',
    required: false,
    description: 'Shopify: base64 HMAC-SHA256 of the raw body with the app secret (with X-Shopify-Topic, X-Shopify-Shop-Domain, X-Shopify-Webhook-Id).',
  })
  @ApiHeader({ name: 'Authorization', required: false, description: 'Zid: the HTTP Basic credentials set when the webhook was registered.' })
  @ApiBody({ description: "The platform's webhook payload, as it sends it.", schema: { type: 'object', additionalProperties: true } })
  @ApiResponse({
    status: 200,
    description: 'Recorded (or recognised as a repeat, or ignored as an event Rida does not map).',
    schema: { type: 'object', properties: { received: { type: 'boolean' }, outcome: { type: 'string' }, duplicate: { type: 'boolean' } } },
  })
  @ApiErrors(400, 401, 403, 404, 409)
  async receive(@Param('connectionId') connectionId: string, @Query('event') event: string | undefined, @Req() request: RawBodyRequest<FastifyRequest>) {
    const result = await this.platforms.receive(connectionId, { rawBody: request.rawBody, headers: request.headers, event: typeof event === 'string' ? event : undefined });
    return { received: true, outcome: result.outcome, duplicate: result.duplicate };
  }
}
