import { Injectable, RawBodyRequest } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { badInput, DomainError, forbidden, notFound, unauthenticated } from '../../common/errors/domain-error';
import { MessagingChannel, MessagingChannelKind } from './entities/messaging-channel.entity';
import { AccountBatch, InboundBatch, inboundShapeProblem } from './inbound';
import { ChannelSecretsUnreadable, MessagingChannelsService } from './messaging-channels.service';
import { metaSignatureValid, twilioSignatureValid, xCrcResponse, xSignatureValid } from './platform-signatures';

/**
 * What every platform webhook does before its payload is read: find the channel named in the
 * path, refuse unsigned or wrongly signed bodies (nothing is stored), answer the handshakes.
 */
@Injectable()
export class MessagingWebhooks {
  constructor(
    private readonly channels: MessagingChannelsService,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(MessagingWebhooks.name);
  }

  /**
   * Each account's events go to that account's channel: Meta and X send every number, Page or
   * account of an app to the one callback URL, so the channel in the path only says which store
   * and which app signed. An account the store has not connected (through that same app), or has
   * disconnected, is skipped and logged; the platform still hears 200 and does not retry forever.
   */
  async attribute(signedFor: MessagingChannel, kind: MessagingChannelKind, groups: AccountBatch[]): Promise<Array<{ channel: MessagingChannel; batch: InboundBatch }>> {
    const attributed: Array<{ channel: MessagingChannel; batch: InboundBatch }> = [];
    for (const { accountId, batch } of groups) {
      const channel = !accountId ? null : signedFor.kind === kind && signedFor.accountId === accountId ? signedFor : await this.channels.forAccount(signedFor.tenantId, kind, accountId);
      const sameApp = channel && (channel === signedFor || (await this.signingSecretOrNull(channel)) === (await this.channels.secretsOf(signedFor)).signingSecret);
      if (channel?.active && sameApp) {
        attributed.push({ channel, batch });
      } else {
        const reason = !channel ? 'no channel of the store has this account' : !sameApp ? 'the account is connected through another app' : 'the channel is disconnected';
        this.logger.warn(
          { tenantId: signedFor.tenantId, channelId: signedFor.id, kind, accountId: accountId ?? null, messages: batch.messages.length, receipts: batch.receipts.length, reason },
          'Webhook events for an account not attributed to a channel; skipped',
        );
      }
    }
    return attributed;
  }

  /** Another account's channel whose secrets cannot be opened is not attributed; the others' events still are. */
  private async signingSecretOrNull(channel: MessagingChannel): Promise<string | null> {
    try {
      return (await this.channels.secretsOf(channel)).signingSecret;
    } catch (error) {
      if (error instanceof ChannelSecretsUnreadable) return null;
      throw error;
    }
  }

  /** Meta's GET handshake: the challenge back when the verify token matches, 403 otherwise. */
  async metaHandshake(channelId: string, kind: MessagingChannelKind | 'META', query: Record<string, string>): Promise<string> {
    const channel = await this.channelOf(channelId, kind === 'META' ? [MessagingChannelKind.INSTAGRAM, MessagingChannelKind.MESSENGER] : [kind]);
    const { verifyToken } = await this.channels.secretsOf(channel);
    if (query['hub.mode'] !== 'subscribe' || !verifyToken || query['hub.verify_token'] !== verifyToken || !query['hub.challenge']) {
      throw forbidden('The verify token does not match');
    }
    return query['hub.challenge'];
  }

  async signedMetaChannel(channelId: string, kinds: MessagingChannelKind[], request: RawBodyRequest<FastifyRequest>): Promise<MessagingChannel> {
    const channel = await this.channelOf(channelId, kinds);
    const header = request.headers['x-hub-signature-256'];
    if (!request.rawBody || !metaSignatureValid(request.rawBody, Array.isArray(header) ? header[0] : header, (await this.channels.secretsOf(channel)).signingSecret)) {
      throw unauthenticated('X-Hub-Signature-256 is missing or does not match the body');
    }
    return channel;
  }

  async xCrc(channelId: string, crcToken: string | undefined) {
    const channel = await this.channelOf(channelId, [MessagingChannelKind.X]);
    if (!crcToken) throw badInput('crc_token is required', { crc_token: ['required'] });
    return xCrcResponse(crcToken, (await this.channels.secretsOf(channel)).signingSecret);
  }

  async signedXChannel(channelId: string, request: RawBodyRequest<FastifyRequest>): Promise<MessagingChannel> {
    const channel = await this.channelOf(channelId, [MessagingChannelKind.X]);
    const header = request.headers['x-twitter-webhooks-signature'];
    if (!request.rawBody || !xSignatureValid(request.rawBody, Array.isArray(header) ? header[0] : header, (await this.channels.secretsOf(channel)).signingSecret)) {
      throw unauthenticated('X-Twitter-Webhooks-Signature is missing or does not match the body');
    }
    return channel;
  }

  /**
   * A Twilio form POST: its parameters when X-Twilio-Signature matches the URL Twilio called
   * (PUBLIC_URL and the path and query as received) and the parameters, under the Auth Token.
   */
  async signedTwilioRequest(channelId: string, request: RawBodyRequest<FastifyRequest>): Promise<{ channel: MessagingChannel; params: URLSearchParams }> {
    const channel = await this.channelOf(channelId, [MessagingChannelKind.TWILIO]);
    const params = new URLSearchParams(request.rawBody?.toString('utf8') ?? '');
    const header = request.headers['x-twilio-signature'];
    const url = this.channels.publicUrl(request.url);
    if (!twilioSignatureValid(url, params, Array.isArray(header) ? header[0] : header, (await this.channels.secretsOf(channel)).signingSecret)) {
      throw unauthenticated('X-Twilio-Signature is missing or does not match the URL and parameters');
    }
    return { channel, params };
  }

  /**
   * A signed payload read into events by a platform's (pure) reader. A payload that is not of the
   * documented shape — where the reader stumbles, or yields ids or texts that are not text — is the
   * sender's mistake: BAD_USER_INPUT, and nothing is stored.
   */
  read<T>(payload: T, reader: (payload: T) => AccountBatch[]): AccountBatch[] {
    let groups: AccountBatch[];
    try {
      groups = reader(payload);
    } catch {
      throw badInput('The webhook payload does not have the documented shape');
    }
    const problem = inboundShapeProblem(groups);
    if (problem) throw badInput(`The webhook payload does not have the documented shape (${problem})`);
    return groups;
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
