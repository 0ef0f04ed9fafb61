import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/openapi';

/** The webhooks channel providers call; documented so an integrator sees what to paste where. */
export const ApiChannelWebhooks = () => ApiTags('channel webhooks');

const channelIdParam = ApiParam({
  name: 'channelId',
  description: "The connected channel's id; `MessagingChannel.webhookUrl` is the whole address to give the platform.",
  schema: { type: 'string', format: 'uuid' },
});

/** Meta's subscription handshake (WhatsApp, Instagram, Messenger): the challenge back when the verify token matches. */
export const ApiMetaHandshake = (platform: string) =>
  applyDecorators(
    ApiOperation({ summary: `${platform} webhook verification: answers hub.challenge when hub.verify_token is the channel's verify token` }),
    channelIdParam,
    ApiQuery({ name: 'hub.mode', required: true, schema: { type: 'string', enum: ['subscribe'] }, description: 'Always "subscribe".' }),
    ApiQuery({ name: 'hub.verify_token', required: true, schema: { type: 'string' }, description: 'The verify token given when the channel was connected.' }),
    ApiQuery({ name: 'hub.challenge', required: true, schema: { type: 'string' }, description: 'Sent back as the body.' }),
    ApiProduces('text/plain'),
    ApiResponse({ status: 200, description: 'The hub.challenge, as text.', content: { 'text/plain': { schema: { type: 'string' } } } }),
    ApiErrors(403, 404),
  );

/** A provider's signed POST of events; the signature is checked on the raw body before anything is read. */
export const ApiSignedWebhook = (
  summary: string,
  signatureHeader: string,
  signatureDescription: string,
  body: { contentType: string; description: string },
  answer: { contentType: string; example: unknown },
) =>
  applyDecorators(
    ApiOperation({ summary }),
    channelIdParam,
    ApiHeader({ name: signatureHeader, required: true, description: signatureDescription }),
    ApiConsumes(body.contentType),
    ApiBody({ description: body.description, schema: { type: 'object', additionalProperties: true } }),
    ApiResponse({
      status: 200,
      description: 'Received; messages are stored (duplicates by provider id once) before this answer.',
      content: { [answer.contentType]: { schema: typeof answer.example === 'string' ? { type: 'string', example: answer.example } : { type: 'object', example: answer.example } } },
    }),
    ApiErrors(400, 401, 403, 404),
  );
