import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { SecretBox } from '../../common/crypto/secret-box';
import { AllStores } from '../../common/database/all-stores';
import { deferWrite } from '../../common/database/batch';
import { forgetStoreKeyStatement, storeKeyStatement } from '../../common/database/store-keys';
import { TenantTransactions } from '../../common/database/tenant-transactions';
import { definedFields } from '../../common/defined-fields';
import { badInput, notFound } from '../../common/errors/domain-error';
import type { RequestContext } from '../../common/request-context';
import { ChatChannel } from './chat-channel.entity';
import { CreateChatChannelInput, UpdateChatChannelInput } from './chat-channels.types';

export const chatChannelSecretLabel = (channelId: string) => `chat-channel:${channelId}`;

/**
 * An origin as browsers send it in `Origin`: scheme, host and port only ("https://rose.example.sa").
 * Anything else (a path, a wildcard, credentials) is refused, so the comparison with the header
 * can be an exact one.
 */
export function normalisedOrigin(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || url.search || url.hash || url.pathname !== '/') return null;
  return url.origin;
}

function checkedOrigins(values: string[]): string[] {
  const origins = values.map((value) => ({ value, origin: normalisedOrigin(value) }));
  const wrong = origins.filter((o) => !o.origin).map((o) => o.value);
  if (wrong.length) throw badInput('Allowed origins are scheme, host and optional port, e.g. https://rose.example.sa', { allowedOrigins: wrong.map((w) => `not an origin: ${w}`) });
  return [...new Set(origins.map((o) => o.origin!))];
}

/** A store's chat widgets: created, listed and changed by admins; found by public id for visitors. */
@Injectable()
export class ChatChannelsService {
  constructor(
    private readonly db: TenantTransactions,
    private readonly allStores: AllStores,
    private readonly box: SecretBox,
  ) {}

  list(ctx: RequestContext): Promise<ChatChannel[]> {
    return this.db.read(ctx, (m) => m.find(ChatChannel, { where: { tenantId: ctx.tenantId }, order: { createdAt: 'ASC' } }));
  }

  async create(ctx: RequestContext, input: CreateChatChannelInput): Promise<{ channel: ChatChannel; identitySecret: string | null }> {
    const allowedOrigins = checkedOrigins(input.allowedOrigins);
    // Random (v4), not time-ordered: the id is public and should say nothing about when the store set it up.
    const id = randomUUID();
    const identitySecret = input.identityVerification ? newIdentitySecret() : null;
    const channel = await this.db.run(ctx, async (m) => {
      await deferWrite(m, storeKeyStatement('CHAT_CHANNEL', id, ctx.tenantId));
      return m.save(
        m.create(ChatChannel, {
          tenantId: ctx.tenantId,
          id,
          name: input.name.trim(),
          allowedOrigins,
          identitySecret: identitySecret ? this.box.seal(identitySecret, chatChannelSecretLabel(id)) : null,
          askName: input.askName ?? true,
          askEmail: input.askEmail ?? true,
          askPhone: input.askPhone ?? false,
          active: true,
        }),
      );
    });
    return { channel, identitySecret };
  }

  update(ctx: RequestContext, id: string, input: UpdateChatChannelInput): Promise<ChatChannel> {
    return this.db.run(ctx, async (m) => {
      const channel = await m.findOneBy(ChatChannel, { tenantId: ctx.tenantId, id });
      if (!channel) throw notFound('Chat channel', id);
      const { allowedOrigins, name, ...flags } = input;
      // An explicit null changes nothing either (every column here is required).
      Object.assign(channel, Object.fromEntries(Object.entries(definedFields(flags)).filter(([, value]) => value !== null)));
      if (name != null) channel.name = name.trim();
      if (allowedOrigins != null) channel.allowedOrigins = checkedOrigins(allowedOrigins);
      return m.save(channel);
    });
  }

  /** A new identity secret (turning identity verification on); the old one stops verifying at once. */
  rotateIdentitySecret(ctx: RequestContext, id: string): Promise<{ channel: ChatChannel; identitySecret: string }> {
    return this.db.run(ctx, async (m) => {
      const channel = await m.findOneBy(ChatChannel, { tenantId: ctx.tenantId, id });
      if (!channel) throw notFound('Chat channel', id);
      const identitySecret = newIdentitySecret();
      channel.identitySecret = this.box.seal(identitySecret, chatChannelSecretLabel(id));
      return { channel: await m.save(channel), identitySecret };
    });
  }

  async remove(ctx: RequestContext, id: string): Promise<boolean> {
    await this.db.run(ctx, async (m) => {
      const result = await m.delete(ChatChannel, { tenantId: ctx.tenantId, id });
      if (!result.affected) throw notFound('Chat channel', id);
      await deferWrite(m, forgetStoreKeyStatement('CHAT_CHANNEL', id));
    });
    return true;
  }

  /** The channel a visitor's widget names, whatever store it belongs to. */
  async forVisitor(id: string): Promise<ChatChannel | null> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
    // Across stores: a storefront's page carries only the public channel id, which is what names the store (store_keys).
    const tenantId = await this.allStores.storeOf('CHAT_CHANNEL', id.toLowerCase());
    if (!tenantId) return null;
    return this.allStores.read((m) => m.findOneBy(ChatChannel, { tenantId, id }));
  }

  /** The identity secret's plain text, opened only to check a signature. */
  identitySecretOf(channel: ChatChannel): string | null {
    return channel.identitySecret ? this.box.open(channel.identitySecret, chatChannelSecretLabel(channel.id)) : null;
  }
}

function newIdentitySecret(): string {
  return randomBytes(32).toString('hex');
}
