import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import type { EntityManager } from 'typeorm';
import { SettingsRegion, StoreSettingsCache } from '../../common/cache/store-settings-cache';
import { AppConfig, publicUrlOf } from '../../common/config/app-config';
import { SecretBox, SecretUnreadable } from '../../common/crypto/secret-box';
import { AllStores } from '../../common/database/all-stores';
import { deferWrite } from '../../common/database/batch';
import { forgetStoreKeyStatement, storeKeyStatement } from '../../common/database/store-keys';
import { TenantTransactions } from '../../common/database/tenant-transactions';
import { definedFields } from '../../common/defined-fields';
import { badInput, DomainError, notFound } from '../../common/errors/domain-error';
import type { RequestContext } from '../../common/request-context';
import { ConnectMetaInput, ConnectTwilioInput, ConnectWhatsAppInput, ConnectXInput, UpdateMessagingChannelInput } from './dto/connect-channel.input';
import { MessagingChannel, MessagingChannelKind } from './entities/messaging-channel.entity';

/** A channel's credentials, opened only where a platform is called or a webhook checked. */
export interface ChannelSecrets {
  accessToken: string;
  /** Meta app secret, X consumer secret or Twilio Auth Token: what webhook signatures are keyed with. */
  signingSecret: string;
  /** Meta's subscription handshake token (not used by X). */
  verifyToken?: string;
}

export const channelSecretLabel = (channelId: string) => `messaging-channel:${channelId}`;

/** What a channel's lastError starts with when its secrets cannot be opened. */
const UNREADABLE_PREFIX = 'Channel secrets: ';

/** The channel's secrets were sealed under a key no longer configured: this channel only is out of service. */
export class ChannelSecretsUnreadable extends DomainError {
  constructor(reason: string) {
    super('CHANNEL_ERROR', reason, undefined, 503);
    this.name = 'ChannelSecretsUnreadable';
  }
}

const WEBHOOK_PATH: Record<MessagingChannelKind, (id: string) => string> = {
  WHATSAPP: (id) => `/webhooks/whatsapp/${id}`,
  INSTAGRAM: (id) => `/webhooks/meta/${id}`,
  MESSENGER: (id) => `/webhooks/meta/${id}`,
  X: (id) => `/webhooks/x/${id}`,
  TWILIO: (id) => `/webhooks/twilio/${id}/voice`,
};

/** What choosing the account a reply goes out through needs of a channel (no secrets, no counters). */
export type ChannelAccount = Pick<MessagingChannel, 'id' | 'kind' | 'name' | 'accountId' | 'displayName' | 'businessAccountId' | 'active' | 'createdAt' | 'updatedAt'>;

/** Connects, lists and disconnects a store's WhatsApp numbers, Instagram accounts, Pages, X accounts and Twilio accounts. */
@Injectable()
export class MessagingChannelsService {
  /** The store's channels as stored (secrets sealed; counters as they were when read, never to be used from here). */
  private readonly storeChannels: SettingsRegion<MessagingChannel[]>;

  constructor(
    private readonly db: TenantTransactions,
    private readonly allStores: AllStores,
    private readonly config: AppConfig,
    private readonly box: SecretBox,
    cache: StoreSettingsCache,
  ) {
    this.storeChannels = cache.region('messaging-channels');
  }

  /** The store's accounts, connected or not, oldest first: kept in memory, dropped on every instance when one is connected, changed or removed. */
  async accountsOf(tenantId: string, manager: EntityManager): Promise<ChannelAccount[]> {
    return (await this.channelsOf(tenantId, manager)).map(({ id, kind, name, accountId, displayName, businessAccountId, active, createdAt, updatedAt }) => ({
      id,
      kind,
      name,
      accountId,
      displayName,
      businessAccountId,
      active,
      createdAt,
      updatedAt,
    }));
  }

  /**
   * The store's channels, kept like its other settings. Shared by every request of the instance:
   * read them, never change them (only secretsOf notes on a channel the error its secrets gave,
   * and drops them on every instance). Secrets resealed under a new key reach this copy at the
   * latest when it is dropped for age; until then the old ones still open (a key is only retired
   * by a restart).
   */
  private channelsOf(tenantId: string, manager?: EntityManager): Promise<MessagingChannel[]> {
    const load = (m: EntityManager) => m.find(MessagingChannel, { where: { tenantId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return this.storeChannels.get(tenantId, () => (manager ? load(manager) : this.db.read(tenantId, load)));
  }

  static webhookPath(channel: Pick<MessagingChannel, 'kind' | 'id'>): string {
    return WEBHOOK_PATH[channel.kind](channel.id);
  }

  webhookUrl(channel: Pick<MessagingChannel, 'kind' | 'id'>): string {
    return this.publicUrl(MessagingChannelsService.webhookPath(channel));
  }

  /** Our address as the platforms call it (PUBLIC_URL), followed by a path and query. */
  publicUrl(pathAndQuery: string): string {
    return `${publicUrlOf(this.config)}${pathAndQuery}`;
  }

  list(ctx: RequestContext, kind?: MessagingChannelKind): Promise<MessagingChannel[]> {
    return this.db.read(ctx, (m) => m.find(MessagingChannel, { where: { tenantId: ctx.tenantId, ...(kind ? { kind } : {}) }, order: { createdAt: 'ASC' } }));
  }

  get(ctx: RequestContext, id: string): Promise<MessagingChannel> {
    return this.db.read(ctx, async (m) => {
      const channel = await m.findOneBy(MessagingChannel, { tenantId: ctx.tenantId, id });
      if (!channel) throw notFound('Messaging channel', id);
      return channel;
    });
  }

  connectWhatsApp(ctx: RequestContext, input: ConnectWhatsAppInput): Promise<MessagingChannel> {
    return this.insert(ctx, {
      kind: MessagingChannelKind.WHATSAPP,
      accountId: input.phoneNumberId,
      displayName: input.displayPhoneNumber.trim(),
      businessAccountId: input.businessAccountId ?? null,
      name: input.name?.trim() ?? `WhatsApp ${input.displayPhoneNumber.trim()}`,
      secrets: { accessToken: input.accessToken, signingSecret: input.appSecret, verifyToken: input.verifyToken },
    });
  }

  connectMeta(ctx: RequestContext, input: ConnectMetaInput): Promise<MessagingChannel> {
    if (input.kind !== MessagingChannelKind.INSTAGRAM && input.kind !== MessagingChannelKind.MESSENGER) {
      throw badInput('kind must be INSTAGRAM or MESSENGER', { kind: ['INSTAGRAM or MESSENGER'] });
    }
    return this.insert(ctx, {
      kind: input.kind,
      accountId: input.accountId,
      displayName: input.displayName?.trim() || null,
      businessAccountId: null,
      name: input.name?.trim() ?? `${input.kind === MessagingChannelKind.INSTAGRAM ? 'Instagram' : 'Messenger'} ${input.displayName ?? input.accountId}`,
      secrets: { accessToken: input.accessToken, signingSecret: input.appSecret, verifyToken: input.verifyToken },
    });
  }

  connectX(ctx: RequestContext, input: ConnectXInput): Promise<MessagingChannel> {
    return this.insert(ctx, {
      kind: MessagingChannelKind.X,
      accountId: input.userId,
      displayName: input.screenName?.trim() || null,
      businessAccountId: null,
      name: input.name?.trim() ?? `X ${input.screenName ?? input.userId}`,
      secrets: { accessToken: input.accessToken, signingSecret: input.consumerSecret },
    });
  }

  /** Twilio's Auth Token both signs its webhooks and authenticates calls to its API. */
  connectTwilio(ctx: RequestContext, input: ConnectTwilioInput): Promise<MessagingChannel> {
    return this.insert(ctx, {
      kind: MessagingChannelKind.TWILIO,
      accountId: input.accountSid,
      displayName: input.phoneNumber?.trim() || null,
      businessAccountId: null,
      name: input.name?.trim() ?? `Twilio ${input.phoneNumber?.trim() || input.accountSid}`,
      secrets: { accessToken: input.authToken, signingSecret: input.authToken },
    });
  }

  async update(ctx: RequestContext, id: string, input: UpdateMessagingChannelInput): Promise<MessagingChannel> {
    return this.db.run(ctx, async (m) => {
      const channel = await m.findOneBy(MessagingChannel, { tenantId: ctx.tenantId, id });
      if (!channel) throw notFound('Messaging channel', id);
      const { accessToken, appSecret, verifyToken, ...fields } = input;
      if (verifyToken && (channel.kind === MessagingChannelKind.X || channel.kind === MessagingChannelKind.TWILIO)) {
        throw badInput(`${channel.kind} channels have no verify token`, { verifyToken: [`not used by ${channel.kind}`] });
      }
      Object.assign(channel, definedFields(fields));
      if (accessToken || appSecret || verifyToken) {
        const secrets = this.storedSecretsForUpdate(channel, input);
        const authToken = channel.kind === MessagingChannelKind.TWILIO ? (appSecret ?? accessToken) : undefined; // one token, both roles
        channel.secrets = this.seal(id, {
          accessToken: authToken ?? accessToken ?? secrets.accessToken,
          signingSecret: authToken ?? appSecret ?? secrets.signingSecret,
          verifyToken: verifyToken ?? secrets.verifyToken,
        });
        channel.lastError = null;
      }
      await this.storeChannels.changedIn(m, ctx.tenantId);
      return m.save(channel);
    });
  }

  /**
   * What an update keeps of the stored secrets. When they cannot be opened (sealed under a key no
   * longer configured) an update giving every secret anew still goes through: that is the way out.
   */
  private storedSecretsForUpdate(channel: MessagingChannel, input: UpdateMessagingChannelInput): ChannelSecrets {
    try {
      return this.openSecrets(channel);
    } catch (error) {
      if (!(error instanceof SecretUnreadable)) throw error;
      const twilioToken = channel.kind === MessagingChannelKind.TWILIO ? (input.appSecret ?? input.accessToken) : undefined;
      if (twilioToken) return { accessToken: twilioToken, signingSecret: twilioToken };
      if (input.accessToken && input.appSecret) return { accessToken: input.accessToken, signingSecret: input.appSecret, verifyToken: input.verifyToken };
      throw badInput(`The channel's stored secrets cannot be opened (${error.message}); give accessToken and appSecret together`, {
        appSecret: ['required with accessToken: the stored secrets cannot be opened'],
      });
    }
  }

  async remove(ctx: RequestContext, id: string): Promise<boolean> {
    return this.db.run(ctx, async (m) => {
      // The messages keep their history without the channel (on Citus a foreign key through
      // tenant_id cannot clear it on delete, so the app does, first).
      await m.query(`UPDATE messages SET messaging_channel_id = NULL WHERE tenant_id = $1 AND messaging_channel_id = $2`, [ctx.tenantId, id]);
      const result = await m.delete(MessagingChannel, { tenantId: ctx.tenantId, id });
      if (!result.affected) throw notFound('Messaging channel', id);
      await deferWrite(m, forgetStoreKeyStatement('MESSAGING_CHANNEL', id));
      await this.storeChannels.changedIn(m, ctx.tenantId);
      return true;
    });
  }

  /** The channel a webhook path names, whatever store it belongs to (webhooks carry no credentials of ours): from the store's kept channels. */
  async forWebhook(id: string): Promise<MessagingChannel | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    // Across stores: the webhook's path is all that names the channel, and so its store (store_keys).
    const tenantId = await this.allStores.storeOf('MESSAGING_CHANNEL', id.toLowerCase());
    if (!tenantId) return null;
    return (await this.channelsOf(tenantId)).find((channel) => channel.id === id.toLowerCase()) ?? null;
  }

  /** The store's channel for a platform account named inside a webhook payload. */
  forAccount(tenantId: string, kind: MessagingChannelKind, accountId: string): Promise<MessagingChannel | null> {
    return this.db.read(tenantId, (m) => m.findOneBy(MessagingChannel, { tenantId, kind, accountId }));
  }

  /**
   * The channel's tokens and secrets. When no configured key opens them only this channel fails:
   * its lastError says why, and the caller gets ChannelSecretsUnreadable (503 to a platform, which
   * retries later; a send job retries too). The next successful opening clears that lastError.
   */
  async secretsOf(channel: MessagingChannel): Promise<ChannelSecrets> {
    let secrets: ChannelSecrets;
    try {
      secrets = this.openSecrets(channel);
    } catch (error) {
      if (!(error instanceof SecretUnreadable)) throw error;
      const reason = `${UNREADABLE_PREFIX}${error.message}`;
      if (channel.lastError !== reason) {
        await this.db.run(channel.tenantId, async (m) => {
          await m.query(`UPDATE messaging_channels SET last_error = $3 WHERE tenant_id = $1 AND id = $2`, [channel.tenantId, channel.id, reason]);
          await this.storeChannels.changedIn(m, channel.tenantId);
        });
        channel.lastError = reason;
      }
      throw new ChannelSecretsUnreadable(reason);
    }
    if (channel.lastError?.startsWith(UNREADABLE_PREFIX)) {
      await this.db.run(channel.tenantId, async (m) => {
        await m.query(`UPDATE messaging_channels SET last_error = NULL WHERE tenant_id = $1 AND id = $2 AND last_error LIKE $3`, [channel.tenantId, channel.id, `${UNREADABLE_PREFIX}%`]);
        await this.storeChannels.changedIn(m, channel.tenantId);
      });
      channel.lastError = null;
    }
    return secrets;
  }

  private openSecrets(channel: MessagingChannel): ChannelSecrets {
    return JSON.parse(this.box.open(channel.secrets, channelSecretLabel(channel.id))) as ChannelSecrets;
  }

  private seal(id: string, secrets: ChannelSecrets): Buffer {
    return this.box.seal(JSON.stringify(secrets), channelSecretLabel(id));
  }

  private async insert(
    ctx: RequestContext,
    fields: Pick<MessagingChannel, 'kind' | 'accountId' | 'displayName' | 'businessAccountId' | 'name'> & { secrets: ChannelSecrets },
  ): Promise<MessagingChannel> {
    const id = uuidv7();
    return this.db.run(ctx, async (m) => {
      const taken = await m.findOneBy(MessagingChannel, { tenantId: ctx.tenantId, kind: fields.kind, accountId: fields.accountId });
      if (taken) throw new DomainError('CONFLICT', `This ${fields.kind} account is already connected`, { accountId: ['already connected'] });
      await this.storeChannels.changedIn(m, ctx.tenantId);
      await deferWrite(m, storeKeyStatement('MESSAGING_CHANNEL', id, ctx.tenantId));
      return m.save(m.create(MessagingChannel, { ...fields, tenantId: ctx.tenantId, id, secrets: this.seal(id, fields.secrets), active: true }));
    });
  }
}
