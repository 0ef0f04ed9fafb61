import { Inject, Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type PgBoss from 'pg-boss';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../../common/config/app-config';
import { AllStores } from '../../common/database/all-stores';
import { batch } from '../../common/database/batch';
import { TenantTransactions } from '../../common/database/tenant-transactions';
import { DomainError } from '../../common/errors/domain-error';
import { JobQueue } from '../../common/jobs/job-queue';
import type { JsonObject, RequestContext } from '../../common/request-context';
import { AuthorType, Channel } from '../../tickets/ticket-enums';
import { TicketChange, TicketListeners } from '../../tickets/ticket-listeners';
import { HUMAN_AGENT_WINDOW_HOURS, windowOpen } from './delivery-state';
import { MessagingChannel, MessagingChannelKind } from './entities/messaging-channel.entity';
import { applyReceipts, MessagingIngestService } from './messaging-ingest.service';
import { ChannelSecretsUnreadable, MessagingChannelsService } from './messaging-channels.service';
import { OutboundContent, PlatformApi, PlatformError } from './platform-api';

export const CHANNEL_SEND_QUEUE = 'channel-send';
const RETRY_LIMIT = 8; // with back-off from CHANNEL_RETRY_DELAY_SECONDS (10 s): about 40 minutes

/** The platform a ticket channel's direct messages go through. */
const KIND_OF: Partial<Record<Channel, MessagingChannelKind>> = {
  WHATSAPP: MessagingChannelKind.WHATSAPP,
  INSTAGRAM: MessagingChannelKind.INSTAGRAM,
  FACEBOOK: MessagingChannelKind.MESSENGER,
  X: MessagingChannelKind.X,
};

/** What an outbound message asks of the platform, kept in its `content`. */
export type OutboundAction = 'DIRECT' | 'PUBLIC_REPLY' | 'PRIVATE_REPLY';

interface SendJob {
  tenantId: string;
  ticketId: string;
}

interface QueuedMessage {
  id: string;
  body: string;
  channel: Channel;
  content: JsonObject;
  messaging_channel_id: string;
}

/**
 * Public replies on WhatsApp, Instagram, Messenger, X and comment tickets go out through the
 * platform by a durable job enqueued in the reply's own transaction. The service window is checked
 * before anything is stored (an agent's free-form WhatsApp reply after 24 h is refused). A ticket's
 * messages are sent one at a time in order (an advisory lock per ticket); temporary failures retry
 * with back-off and hold back the later messages, permanent ones fail the message and move on.
 */
@Injectable()
export class MessagingDeliveryService implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly db: TenantTransactions,
    private readonly allStores: AllStores,
    private readonly listeners: TicketListeners,
    private readonly jobs: JobQueue,
    private readonly channels: MessagingChannelsService,
    private readonly ingest: MessagingIngestService,
    private readonly api: PlatformApi,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(MessagingDeliveryService.name);
  }

  onModuleInit() {
    this.listeners.register(this, 'messaging-delivery');
  }

  async onApplicationBootstrap() {
    await this.jobs.queue(CHANNEL_SEND_QUEUE, { retryLimit: RETRY_LIMIT, retryDelay: this.config.CHANNEL_RETRY_DELAY_SECONDS, retryBackoff: true, expireInSeconds: 300 });
    await this.jobs.work<SendJob>(CHANNEL_SEND_QUEUE, (job) => this.deliver(job), { pollingIntervalSeconds: 1 });
  }

  async afterChange(manager: EntityManager, ctx: RequestContext, change: TicketChange) {
    const message = change.message;
    if (!message || message.internal || message.authorType === AuthorType.CUSTOMER) return {};
    if (message.channel !== Channel.COMMENT && !KIND_OF[message.channel]) return {};
    const content: JsonObject = { ...(message.content ?? {}) };
    const action: OutboundAction = content.action ?? (message.channel === Channel.COMMENT ? 'PUBLIC_REPLY' : 'DIRECT');
    const account = await this.accountFor(manager, ctx.tenantId, change.ticket.id, message.channel, message.messagingChannelId);
    if (!account) {
      // Connected once and disconnected since: the reply cannot go out, and the agent must see why.
      const disconnected = await this.disconnectedAccountFor(manager, ctx.tenantId, change.ticket.id, message.channel);
      if (disconnected) return this.refuse(manager, ctx, message.id, disconnectedReason(disconnected));
      return {}; // the store has never connected this platform: the reply is recorded, not sent
    }

    if (action === 'DIRECT') {
      const customer = await this.customerOn(manager, ctx.tenantId, change.ticket.customerId, message.channel, account);
      const recipient = customer.sender ?? (account.kind === MessagingChannelKind.WHATSAPP && customer.phone ? customer.phone.replace(/^\+/, '') : null);
      if (!recipient) return this.refuse(manager, ctx, message.id, `The customer has no ${account.kind} id to write to`);
      content.to = recipient;
      if (content.type !== 'template' && account.kind !== MessagingChannelKind.X) {
        const window = replyWindow(customer.lastWroteAt, account, message.at);
        if (window === 'CLOSED') {
          const reason =
            account.kind === MessagingChannelKind.WHATSAPP
              ? `The customer last wrote to ${account.displayName ?? account.name} on WhatsApp more than 24 hours ago: only an approved template can be sent from it (sendWhatsAppTemplate)`
              : `The customer last wrote on ${account.kind} more than 7 days ago: the platform allows no reply`;
          // An agent is told at once; an automatic message is recorded as failed for the agents to see.
          if (message.authorType === AuthorType.AGENT) {
            throw new DomainError(account.kind === MessagingChannelKind.WHATSAPP ? 'WHATSAPP_WINDOW_CLOSED' : 'MESSAGING_WINDOW_CLOSED', reason);
          }
          return this.refuse(manager, ctx, message.id, reason);
        }
        if (window === 'HUMAN_AGENT') content.humanAgentTag = true;
      }
    } else {
      content.commentId ??= await this.latestComment(manager, ctx.tenantId, change.ticket.id);
      if (!content.commentId) return this.refuse(manager, ctx, message.id, 'The ticket has no comment to answer');
    }
    content.action = action;
    await manager.query(`UPDATE messages SET delivery_status = 'QUEUED', messaging_channel_id = $3, content = $4 WHERE tenant_id = $1 AND id = $2`, [ctx.tenantId, message.id, account.id, content]);
    await this.jobs.send<SendJob>(manager, CHANNEL_SEND_QUEUE, { tenantId: ctx.tenantId, ticketId: change.ticket.id });
    return {};
  }

  /** The account a reply goes out through: the one named, else the ticket's latest, else the store's first active one of the platform. */
  async accountFor(manager: EntityManager, tenantId: string, ticketId: string, channel: Channel, named: string | null): Promise<MessagingChannel | null> {
    const kind = KIND_OF[channel] ?? null; // null: a comment ticket, whatever platform it came from
    const [row] = await manager.query(
      `SELECT c.id FROM messaging_channels c
        WHERE c.tenant_id = $1 AND c.active AND c.kind <> 'TWILIO' AND ($4::text IS NULL OR c.kind = $4)
        ORDER BY c.id = $3 DESC,
                 c.id = (SELECT m.messaging_channel_id FROM messages m WHERE m.tenant_id = $1 AND m.ticket_id = $2 AND m.messaging_channel_id IS NOT NULL
                          AND ($4::text IS NULL OR m.channel = $5) ORDER BY m.created_at DESC LIMIT 1) DESC NULLS LAST,
                 c.created_at
        LIMIT 1`,
      [tenantId, ticketId, named, kind, channel],
    );
    if (!row) return null;
    const account = await manager.findOneByOrFail(MessagingChannel, { tenantId, id: row.id });
    // Comment tickets only go back through the account they came from.
    if (!kind && !(await this.ticketUsed(manager, tenantId, ticketId, account.id))) return null;
    return account;
  }

  /**
   * When no connected account can send: the disconnected one the reply would have gone through —
   * the ticket's own, else (not for comments, which only go back where they came from) the store's
   * latest of the platform. Null when the store never connected one.
   */
  private async disconnectedAccountFor(manager: EntityManager, tenantId: string, ticketId: string, channel: Channel): Promise<MessagingChannel | null> {
    const kind = KIND_OF[channel] ?? null;
    const [row] = await manager.query(
      `SELECT c.id FROM messaging_channels c
        WHERE c.tenant_id = $1 AND NOT c.active AND c.kind <> 'TWILIO' AND ($3::text IS NULL OR c.kind = $3)
          AND ($3::text IS NOT NULL OR EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = $1 AND m.ticket_id = $2 AND m.messaging_channel_id = c.id))
        ORDER BY EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = $1 AND m.ticket_id = $2 AND m.messaging_channel_id = c.id) DESC, c.updated_at DESC
        LIMIT 1`,
      [tenantId, ticketId, kind],
    );
    return row ? manager.findOneBy(MessagingChannel, { tenantId, id: row.id }) : null;
  }

  private async ticketUsed(manager: EntityManager, tenantId: string, ticketId: string, channelId: string): Promise<boolean> {
    const [row] = await manager.query(`SELECT 1 FROM messages WHERE tenant_id = $1 AND ticket_id = $2 AND messaging_channel_id = $3 LIMIT 1`, [tenantId, ticketId, channelId]);
    return Boolean(row);
  }

  /** Who to write to: the sender id of the customer's latest message through the account, else (WhatsApp) their phone number. */

  /**
   * The platforms' customer-service window is per business account: a customer who wrote to one
   * WhatsApp number (or Page) has opened no window on another, so only their messages through the
   * account the reply goes out from count (and those whose account is unknown: written through
   * the API rather than a platform webhook).
   */
  /**
   * What a reply to the customer on `account` needs, in one round trip: who they wrote from there
   * last (their platform id), their phone (WhatsApp can write to it), and when they last wrote on
   * this channel (the platform's reply window).
   */
  private async customerOn(manager: EntityManager, tenantId: string, customerId: string, channel: Channel, account: MessagingChannel) {
    const [[latest], [phone], [last]] = await batch(manager, [
      {
        sql: `SELECT m.content->>'from' AS sender FROM tickets t JOIN messages m ON m.tenant_id = t.tenant_id AND m.ticket_id = t.id
               WHERE t.tenant_id = $1 AND t.customer_id = $2 AND m.author_type = 'CUSTOMER' AND m.messaging_channel_id = $3 AND m.content ? 'from'
               ORDER BY m.created_at DESC LIMIT 1`,
        parameters: [tenantId, customerId, account.id],
      },
      { sql: `SELECT value FROM customer_identities WHERE tenant_id = $1 AND customer_id = $2 AND kind = 'PHONE' ORDER BY created_at LIMIT 1`, parameters: [tenantId, customerId] },
      {
        sql: `SELECT max(m.created_at) AS last FROM tickets t JOIN messages m ON m.tenant_id = t.tenant_id AND m.ticket_id = t.id
               WHERE t.tenant_id = $1 AND t.customer_id = $2 AND m.author_type = 'CUSTOMER' AND m.channel = $3
                 AND (m.messaging_channel_id = $4 OR m.messaging_channel_id IS NULL)`,
        parameters: [tenantId, customerId, channel, account.id],
      },
    ]);
    return {
      sender: (latest?.sender as string | null | undefined) ?? null,
      phone: phone ? String(phone.value) : null,
      lastWroteAt: last?.last ? new Date(last.last as string) : null,
    };
  }

  private async latestComment(manager: EntityManager, tenantId: string, ticketId: string): Promise<string | null> {
    const [row] = await manager.query(
      `SELECT external_id FROM messages WHERE tenant_id = $1 AND ticket_id = $2 AND author_type = 'CUSTOMER' AND channel = 'COMMENT' AND external_id IS NOT NULL
        ORDER BY created_at DESC LIMIT 1`,
      [tenantId, ticketId],
    );
    return row?.external_id ?? null;
  }

  /** Recorded, not sent: the reason is on the message. */
  private async refuse(manager: EntityManager, ctx: RequestContext, messageId: string, reason: string) {
    await manager.query(`UPDATE messages SET delivery_status = 'FAILED', delivery_error = $3 WHERE tenant_id = $1 AND id = $2`, [ctx.tenantId, messageId, reason]);
    return {};
  }

  /** The job: send the ticket's queued messages, oldest first. */
  async deliver(job: PgBoss.JobWithMetadata<SendJob>): Promise<void> {
    const { tenantId, ticketId } = job.data;
    // Across instances: one of them sends a ticket's messages at a time, in order.
    const lock = await this.allStores.lock(`channel-send:${ticketId}`);
    try {
      const queued: QueuedMessage[] = await this.db.read(tenantId, (m) =>
        m.query(
          `SELECT id, body, channel, content, messaging_channel_id FROM messages
            WHERE tenant_id = $1 AND ticket_id = $2 AND delivery_status = 'QUEUED' AND messaging_channel_id IS NOT NULL ORDER BY created_at, id`,
          [tenantId, ticketId],
        ),
      );
      for (const message of queued) await this.sendOne(job, tenantId, ticketId, message);
    } finally {
      await lock.release();
    }
  }

  private async sendOne(job: PgBoss.JobWithMetadata<SendJob>, tenantId: string, ticketId: string, message: QueuedMessage) {
    const account = await this.db.read(tenantId, (m) => m.findOneBy(MessagingChannel, { tenantId, id: message.messaging_channel_id }));
    if (!account?.active) return this.fail(tenantId, ticketId, message, account ? disconnectedReason(account) : 'The channel was removed: this reply was not sent', account);
    let externalId: string;
    let recipient: string | null = null;
    try {
      const secrets = await this.channels.secretsOf(account);
      const content = message.content;
      if (content.action === 'PUBLIC_REPLY') {
        externalId = await this.api.replyToComment(account, secrets, content.commentId, message.body);
      } else if (content.action === 'PRIVATE_REPLY' && account.kind !== MessagingChannelKind.X) {
        ({ messageId: externalId, recipientId: recipient } = await this.api.privateReply(account, secrets, content.commentId, message.body));
      } else {
        const outbound: OutboundContent = content.type === 'template' ? { template: content.template } : { text: message.body };
        externalId = await this.api.sendDirect(account, secrets, content.to, outbound, { humanAgentTag: Boolean(content.humanAgentTag) });
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      // Secrets no configured key opens wait for the old key to come back (SECRETS_KEY_PREVIOUS) or new ones.
      const retryable = (error instanceof PlatformError && error.retryable) || error instanceof ChannelSecretsUnreadable;
      if (retryable && job.retryCount < RETRY_LIMIT) {
        await this.db.run(tenantId, (m) => m.query(`UPDATE messages SET delivery_error = $3 WHERE tenant_id = $1 AND id = $2`, [tenantId, message.id, reason]));
        throw error; // retried with back-off; later messages of the ticket wait for this one
      }
      return this.fail(tenantId, ticketId, message, reason, account);
    }
    const overtaken = await this.db.run(tenantId, async (manager) => {
      await manager.query(
        `UPDATE messages SET delivery_status = 'SENT', external_id = $3, delivery_error = NULL,
                content = CASE WHEN $4::text IS NULL THEN content ELSE content || jsonb_build_object('to', $4::text) END
          WHERE tenant_id = $1 AND id = $2`,
        [tenantId, message.id, externalId, recipient],
      );
      await manager.query(`UPDATE messaging_channels SET sent_count = sent_count + 1, last_error = NULL WHERE tenant_id = $1 AND id = $2`, [tenantId, account.id]);
      // Receipts that overtook this send are applied now.
      return applyReceipts(manager, tenantId, message.channel, externalId);
    });
    if (overtaken) await this.ingest.noteFailure(tenantId, ticketId, message.id, message.channel, overtaken.reason);
  }

  private async fail(tenantId: string, ticketId: string, message: QueuedMessage, reason: string, account: MessagingChannel | null) {
    if (account) {
      await this.db.run(tenantId, (m) => m.query(`UPDATE messaging_channels SET last_error = $3 WHERE tenant_id = $1 AND id = $2`, [tenantId, account.id, reason.slice(0, 500)]));
    }
    await this.ingest.noteFailure(tenantId, ticketId, message.id, message.channel, reason);
  }
}

const PLATFORM_NAMES: Record<string, string> = { WHATSAPP: 'WhatsApp', INSTAGRAM: 'Instagram', MESSENGER: 'Messenger', X: 'X' };

/** What an agent reads on a reply that could not go out because its channel was disconnected. */
export function disconnectedReason(account: Pick<MessagingChannel, 'kind' | 'name' | 'displayName'>): string {
  const platform = PLATFORM_NAMES[account.kind] ?? account.kind;
  return `The ${platform} channel "${account.displayName ?? account.name}" is disconnected: this reply was not sent. Reconnect it (updateMessagingChannel with active: true) and send again, or answer on another channel`;
}

/** Whether the platform lets a free-form reply through now, given when the customer last wrote. */
function replyWindow(lastWroteAt: Date | null, account: MessagingChannel, now: Date): 'OPEN' | 'HUMAN_AGENT' | 'CLOSED' {
  if (windowOpen(lastWroteAt, now)) return 'OPEN';
  if (account.kind !== MessagingChannelKind.WHATSAPP && windowOpen(lastWroteAt, now, HUMAN_AGENT_WINDOW_HOURS)) return 'HUMAN_AGENT';
  return 'CLOSED';
}
