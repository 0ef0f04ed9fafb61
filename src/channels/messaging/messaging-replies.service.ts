import { Injectable } from '@nestjs/common';
import { badInput, DomainError, notFound } from '../../common/errors/domain-error';
import type { RequestContext } from '../../common/request-context';
import { AuthorType, Channel } from '../../tickets/ticket-enums';
import { TicketsService } from '../../tickets/tickets.service';
import { TicketReadsService } from '../../tickets/ticket-reads.service';
import { TenantTransactions } from '../../common/database/tenant-transactions';
import { MessagingChannel, MessagingChannelKind } from './entities/messaging-channel.entity';
import { MessagingDeliveryService } from './messaging-delivery.service';
import { DIRECT_CHANNEL } from './messaging-ingest.service';
import { MessagingChannelsService } from './messaging-channels.service';
import { PlatformApi, PlatformError, TemplateInfo } from './platform-api';

const TEMPLATE_CACHE_MS = 5 * 60_000;
/** X posts are 280 characters; a public answer elsewhere should be as short ("answer in public, resolve in private"). */
const PUBLIC_REPLY_LIMIT: Record<MessagingChannelKind, number> = { X: 280, INSTAGRAM: 1000, MESSENGER: 1000, WHATSAPP: 0, TWILIO: 0 };

/** Agent actions that go through a platform's rules: WhatsApp templates, public and private answers to comments. */
@Injectable()
export class MessagingRepliesService {
  private readonly templateCache = new Map<string, { at: number; version: number; templates: TemplateInfo[] }>();

  constructor(
    private readonly db: TenantTransactions,
    private readonly tickets: TicketsService,
    private readonly ticketReads: TicketReadsService,
    private readonly channels: MessagingChannelsService,
    private readonly api: PlatformApi,
    private readonly delivery: MessagingDeliveryService,
  ) {}

  async templates(ctx: RequestContext, channelId: string): Promise<TemplateInfo[]> {
    const channel = await this.channels.get(ctx, channelId);
    if (channel.kind !== MessagingChannelKind.WHATSAPP) throw badInput('Templates belong to WhatsApp channels', { channelId: ['not a WhatsApp channel'] });
    if (!channel.businessAccountId) throw badInput("Set the channel's businessAccountId (WABA id) to list its templates", { channelId: ['no businessAccountId'] });
    const cached = this.templateCache.get(channel.id);
    if (cached && cached.version === channel.updatedAt.getTime() && Date.now() - cached.at < TEMPLATE_CACHE_MS) return cached.templates;
    try {
      const templates = await this.api.whatsAppTemplates(channel, await this.channels.secretsOf(channel));
      this.templateCache.set(channel.id, { at: Date.now(), version: channel.updatedAt.getTime(), templates });
      return templates;
    } catch (error) {
      throw platformRefused(error);
    }
  }

  /** An approved template on a WhatsApp ticket: what may be sent after the 24-hour window closed. */
  async sendTemplate(ctx: RequestContext, ticketId: string, name: string, language: string, parameters: string[]) {
    const ticket = await this.ticketReads.get(ctx, ticketId);
    const channel = await this.db.read(ctx, (m) => this.delivery.accountFor(m, ctx.tenantId, ticket, Channel.WHATSAPP, null));
    if (!channel) throw badInput('The store has no active WhatsApp channel to send from', { ticketId: ['no WhatsApp channel'] });
    let body = `[${name}] ${parameters.join(' | ')}`.trim();
    if (channel.businessAccountId) {
      const template = (await this.templates(ctx, channel.id)).find((t) => t.name === name && t.language === language);
      if (!template) throw badInput(`No template "${name}" in language ${language}`, { name: ['unknown template'] });
      if (template.status !== 'APPROVED') throw badInput(`Template "${name}" is ${template.status}, not APPROVED`, { name: ['not approved'] });
      const expected = new Set(template.body?.match(/\{\{\d+\}\}/g) ?? []).size;
      if (expected !== parameters.length) throw badInput(`Template "${name}" takes ${expected} parameters`, { parameters: [`exactly ${expected}`] });
      if (template.body) body = template.body.replace(/\{\{(\d+)\}\}/g, (_, n: string) => parameters[Number(n) - 1] ?? '');
    }
    return this.tickets.addMessage(
      ctx,
      { ticketId: ticket.id, body, authorType: AuthorType.AGENT, authorId: this.agentOf(ctx), internal: false, channel: Channel.WHATSAPP },
      { messagingChannelId: channel.id, content: { type: 'template', template: { name, language, parameters } } },
    );
  }

  /** A short public answer under the customer's latest comment on a COMMENT ticket. */
  async replyPublicly(ctx: RequestContext, ticketId: string, body: string) {
    const { ticket, channel } = await this.commentTicket(ctx, ticketId);
    const limit = PUBLIC_REPLY_LIMIT[channel.kind];
    if ([...body].length > limit) throw badInput(`A public answer on ${channel.kind} is at most ${limit} characters; continue in private (replyPrivately)`, { body: [`at most ${limit} characters`] });
    return this.tickets.addMessage(
      ctx,
      { ticketId: ticket.id, body, authorType: AuthorType.AGENT, authorId: this.agentOf(ctx), internal: false, channel: Channel.COMMENT },
      { messagingChannelId: channel.id, content: { action: 'PUBLIC_REPLY' } },
    );
  }

  /**
   * Opens the private conversation about a public comment on the same ticket: Meta's private reply
   * to the comment (Instagram, Facebook), or a direct message to the author (X). The customer's
   * answers arrive as direct messages and join this ticket.
   */
  async replyPrivately(ctx: RequestContext, ticketId: string, body: string) {
    const { ticket, channel, comment } = await this.commentTicket(ctx, ticketId);
    return this.tickets.addMessage(
      ctx,
      { ticketId: ticket.id, body, authorType: AuthorType.AGENT, authorId: this.agentOf(ctx), internal: false, channel: DIRECT_CHANNEL[channel.kind] },
      { messagingChannelId: channel.id, content: { action: channel.kind === MessagingChannelKind.X ? 'DIRECT' : 'PRIVATE_REPLY', commentId: comment.externalId, to: comment.from } },
    );
  }

  private async commentTicket(ctx: RequestContext, ticketId: string) {
    const ticket = await this.ticketReads.get(ctx, ticketId);
    if (ticket.channel !== Channel.COMMENT) throw badInput('Only tickets from public comments can be answered publicly', { ticketId: ['not a COMMENT ticket'] });
    const [comment]: Array<{ external_id: string; messaging_channel_id: string; from: string }> = await this.db.read(ctx, (m) =>
      m.query(
        `SELECT external_id, messaging_channel_id, content->>'from' AS "from" FROM messages
          WHERE tenant_id = $1 AND ticket_id = $2 AND author_type = 'CUSTOMER' AND channel = 'COMMENT' AND messaging_channel_id IS NOT NULL
          ORDER BY created_at DESC LIMIT 1`,
        [ctx.tenantId, ticket.id],
      ),
    );
    const channel: MessagingChannel | null = comment && (await this.db.read(ctx, (m) => m.findOneBy(MessagingChannel, { tenantId: ctx.tenantId, id: comment.messaging_channel_id })));
    if (!comment || !channel) throw notFound('The comment this ticket came from (or its channel)');
    if (!channel.active) throw badInput('The channel this comment came from is disconnected', { ticketId: ['channel disconnected'] });
    return { ticket, channel, comment: { externalId: comment.external_id, from: comment.from } };
  }

  private agentOf(ctx: RequestContext): string | undefined {
    return ctx.actor.type === 'AGENT' && ctx.actor.id ? ctx.actor.id : undefined;
  }
}

function platformRefused(error: unknown): Error {
  if (error instanceof PlatformError) return new DomainError('CHANNEL_ERROR', `The platform refused: ${error.message}`);
  return error instanceof Error ? error : new Error(String(error));
}
