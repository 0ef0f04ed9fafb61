import { Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { TokensService } from '../../auth/tokens.service';
import { AppConfig } from '../../common/config/app-config';
import { TenantTransactions } from '../../common/database/tenant-transactions';
import { DomainError, forbidden } from '../../common/errors/domain-error';
import type { RequestContext } from '../../common/request-context';
import { SlaSettingsService } from '../../sla/sla-settings.service';
import { dueAt, matchPolicy } from '../../sla/sla-policy';
import { CustomersService } from '../../tickets/customers.service';
import { Channel } from '../../tickets/ticket-enums';
import { InboundContexts } from '../inbound-context';
import { ChatChannel } from './chat-channel.entity';
import { ChatChannelsService, normalisedOrigin } from './chat-channels.service';
import { LEAVE_A_MESSAGE_TAG, LiveChatService } from './live-chat.service';

export interface VisitorSessionRequest {
  channelId: string;
  /** The page's `Origin` header, as the browser sent it. */
  origin: string | undefined;
  /** The client address (behind a proxy: with TRUST_PROXY, from X-Forwarded-For). */
  ip: string;
  /** The visitor's current token, to renew it. */
  token?: string;
  /** A customer id signed by the store's server (identity verification). */
  customerId?: string;
  signature?: string;
}

export interface VisitorSession {
  token: string;
  /** The visitor's customer id: the same as before when a token was renewed, a new one when it could not be. */
  visitorId: string;
  expiresAt: Date;
  /** The session is for the customer the store signed, not an anonymous visitor. */
  identified: boolean;
  channel: { name: string; askName: boolean; askEmail: boolean; askPhone: boolean };
  /** Someone who could answer is online now. */
  staffed: boolean;
  /** When a message written now would get its first reply at the latest: a chat's when staffed, a left message's when not. */
  expectedReplyAt: Date | null;
}

const MINUTE_MS = 60_000;

/**
 * Visitor sessions for the storefront chat widget. A page from one of the channel's allowed origins
 * gets a customer token for one visitor: a new customer of its own for an anonymous visitor (at
 * most WIDGET_SESSIONS_PER_MINUTE new ones a minute from one address), the store's customer for an
 * identity signed with the channel's secret. With that token the visitor sees and writes only their
 * own conversations, as with any customer token.
 */
@Injectable()
export class VisitorSessionsService {
  /** New sessions per client address in the current minute (per instance: enough to blunt a flood from one address). */
  private readonly newSessions = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly channels: ChatChannelsService,
    private readonly customers: CustomersService,
    private readonly tokens: TokensService,
    private readonly chat: LiveChatService,
    private readonly sla: SlaSettingsService,
    private readonly contexts: InboundContexts,
    private readonly db: TenantTransactions,
    private readonly config: AppConfig,
  ) {}

  async open(request: VisitorSessionRequest): Promise<VisitorSession> {
    const channel = await this.channels.forVisitor(request.channelId);
    if (!channel || !channel.active) throw new DomainError('NOT_FOUND', 'No such chat channel (or it is switched off)');
    const origin = request.origin ? normalisedOrigin(request.origin) : null;
    if (!origin || !channel.allowedOrigins.includes(origin)) throw forbidden(`This site (${request.origin ?? 'no Origin header'}) may not open chats on this channel`);
    const store = await this.contexts.of(this.db, channel.tenantId);

    let customerId: string;
    const identified = request.customerId !== undefined || request.signature !== undefined;
    if (identified) {
      const externalId = this.verifiedIdentity(channel, request.customerId, request.signature);
      customerId = (await this.customers.resolveVerified(store, { externalId })).id;
    } else {
      customerId = (await this.renewable(store, request.token)) ?? (await this.newVisitor(store, request.ip));
    }
    const { token, expiresAt } = this.tokens.signCustomer(channel.tenantId, customerId, this.config.WIDGET_TOKEN_TTL_SECONDS);
    const ctx: RequestContext = { ...store, customerId };
    const staffed = await this.chat.staffed(ctx, null);
    return {
      token,
      visitorId: customerId,
      expiresAt,
      identified,
      channel: { name: channel.name, askName: channel.askName, askEmail: channel.askEmail, askPhone: channel.askPhone },
      staffed,
      expectedReplyAt: await this.expectedReplyAt(ctx, staffed),
    };
  }

  /**
   * The store's customer id, when its signature is the channel secret's HMAC-SHA256 of it (hex).
   * Compared in constant time, so the answer's timing does not reveal how much of a guess was right.
   */
  private verifiedIdentity(channel: ChatChannel, customerId: string | undefined, signature: string | undefined): string {
    if (!customerId?.trim() || !signature) throw forbidden('A customer identity needs both data-customer-id and data-signature');
    const secret = this.channels.identitySecretOf(channel);
    if (!secret) throw forbidden('This chat channel does not accept customer identities (it has no identity secret)');
    const expected = createHmac('sha256', secret).update(customerId, 'utf8').digest();
    // The format check says nothing about the secret; the comparison of the bytes is the constant-time one.
    const given = /^[0-9a-f]{64}$/i.test(signature) ? Buffer.from(signature, 'hex') : null;
    if (!given || !timingSafeEqual(expected, given)) {
      throw forbidden("The customer identity's signature does not match this channel's identity secret");
    }
    return customerId.trim();
  }

  /** The visitor of a still valid token of this store, whose customer still exists. */
  private async renewable(store: RequestContext, token: string | undefined): Promise<string | null> {
    const claims = token ? this.tokens.verify(token) : undefined;
    if (claims?.typ !== 'customer' || claims.tid !== store.tenantId) return null;
    const [customer] = await this.db.read(store, (m) => m.query(`SELECT 1 FROM customers WHERE tenant_id = $1 AND id = $2 AND merged_into_id IS NULL`, [store.tenantId, claims.sub]));
    return customer ? claims.sub : null;
  }

  private async newVisitor(store: RequestContext, ip: string): Promise<string> {
    const now = Date.now();
    if (this.newSessions.size > 10_000) for (const [address, window] of this.newSessions) if (window.resetAt <= now) this.newSessions.delete(address);
    let window = this.newSessions.get(ip);
    if (!window || window.resetAt <= now) this.newSessions.set(ip, (window = { count: 0, resetAt: now + MINUTE_MS }));
    if (window.count >= this.config.WIDGET_SESSIONS_PER_MINUTE) {
      throw new DomainError('RATE_LIMITED', `Too many new chat sessions from this address; retry in ${Math.ceil((window.resetAt - now) / 1000)} s`);
    }
    window.count++;
    return (await this.customers.createUnidentified(store, null)).id;
  }

  /** The SLA engine's first-reply time for what a message written now becomes: a chat, or (nobody online) a left message. */
  private async expectedReplyAt(ctx: RequestContext, staffed: boolean): Promise<Date | null> {
    const { calendar, policies } = await this.sla.readSettings(ctx);
    const facts = { category: 'GENERAL', priority: 'NORMAL', tier: 'STANDARD' };
    const policy = matchPolicy(policies, staffed ? { ...facts, channel: Channel.CHAT, tags: [] } : { ...facts, channel: Channel.WEB_FORM, tags: [LEAVE_A_MESSAGE_TAG] });
    return policy?.firstResponse ? dueAt(new Date(), policy.firstResponse, calendar) : null;
  }
}
