import { Injectable, RawBodyRequest } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { badInput, DomainError, forbidden, notFound, unauthenticated } from '../../common/errors/domain-error';
import { MessagingChannel, MessagingChannelKind } from './entities/messaging-channel.entity';
import { MessagingChannelsService } from './messaging-channels.service';
import { metaSignatureValid, xCrcResponse, xSignatureValid } from './platform-signatures';

/**
 * What every platform webhook does before its payload is read: find the channel named in the
 * path, refuse unsigned or wrongly signed bodies (nothing is stored), answer the handshakes.
 */
@Injectable()
export class MessagingWebhooks {
  constructor(private readonly channels: MessagingChannelsService) {}

  /** Meta's GET handshake: the challenge back when the verify token matches, 403 otherwise. */
  async metaHandshake(channelId: string, kind: MessagingChannelKind | 'META', query: Record<string, string>): Promise<string> {
    const channel = await this.channelOf(channelId, kind === 'META' ? [MessagingChannelKind.INSTAGRAM, MessagingChannelKind.MESSENGER] : [kind]);
    const { verifyToken } = this.channels.secretsOf(channel);
    if (query['hub.mode'] !== 'subscribe' || !verifyToken || query['hub.verify_token'] !== verifyToken || !query['hub.challenge']) {
      throw forbidden('The verify token does not match');
    }
    return query['hub.challenge'];
  }

  async signedMetaChannel(channelId: string, kinds: MessagingChannelKind[], request: RawBodyRequest<FastifyRequest>): Promise<MessagingChannel> {
    const channel = await this.channelOf(channelId, kinds);
    const header = request.headers['x-hub-signature-256'];
    if (!request.rawBody || !metaSignatureValid(request.rawBody, Array.isArray(header) ? header[0] : header, this.channels.secretsOf(channel).signingSecret)) {
      throw unauthenticated('X-Hub-Signature-256 is missing or does not match the body');
    }
    return channel;
  }

  async xCrc(channelId: string, crcToken: string | undefined) {
    const channel = await this.channelOf(channelId, [MessagingChannelKind.X]);
    if (!crcToken) throw badInput('crc_token is required', { crc_token: ['required'] });
    return xCrcResponse(crcToken, this.channels.secretsOf(channel).signingSecret);
  }

  async signedXChannel(channelId: string, request: RawBodyRequest<FastifyRequest>): Promise<MessagingChannel> {
    const channel = await this.channelOf(channelId, [MessagingChannelKind.X]);
    const header = request.headers['x-twitter-webhooks-signature'];
    if (!request.rawBody || !xSignatureValid(request.rawBody, Array.isArray(header) ? header[0] : header, this.channels.secretsOf(channel).signingSecret)) {
      throw unauthenticated('X-Twitter-Webhooks-Signature is missing or does not match the body');
    }
    return channel;
  }

  expectObject(payload: unknown, ...objects: string[]): void {
    const object = (payload as { object?: unknown } | null)?.object;
    if (typeof object !== 'string' || !objects.includes(object)) throw badInput(`Expected a webhook with object ${objects.join(' or ')}`, { object: [`one of ${objects.join(', ')}`] });
  }

  private async channelOf(channelId: string, kinds: MessagingChannelKind[]): Promise<MessagingChannel> {
    const channel = await this.channels.forWebhook(channelId);
    if (!channel || !kinds.includes(channel.kind)) throw notFound('Channel');
    if (!channel.active) throw new DomainError('FORBIDDEN', 'This channel is disconnected');
    return channel;
  }
}
