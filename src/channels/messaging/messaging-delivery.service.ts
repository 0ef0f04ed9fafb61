import { Inject, Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type PgBoss from 'pg-boss';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../../common/config/app-config';
import { AllStores } from '../../common/database/all-stores';
import { batch, deferWrite, Statement } from '../../common/database/batch';
import { TenantTransactions } from '../../common/database/tenant-transactions';
import { DomainError } from '../../common/errors/domain-error';
import { JobQueue } from '../../common/jobs/job-queue';
import type { JsonObject, RequestContext } from '../../common/request-context';
import type { Ticket } from '../../tickets/entities/ticket.entity';
import { AuthorType, Channel, DeliveryStatus } from '../../tickets/ticket-enums';
import { TicketChange, TicketListeners } from '../../tickets/ticket-listeners';
import { HUMAN_AGENT_WINDOW_HOURS, windowOpen } from './delivery-state';
import { MessagingChannel, MessagingChannelKind } from './entities/messaging-channel.entity';
import { applyReceipts, MessagingIngestService } from './messaging-ingest.service';
import { ChannelAccount, ChannelSecretsUnreadable, MessagingChannelsService } from './messaging-channels.service';
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
    const accounts = await this.platformAccounts(manager, ctx.tenantId, message.channel);
    if (accounts.length === 0) return {}; // the store has never connected this platform: the reply is recorded, not sent
    const facts = await this.replyFacts(manager, ctx.tenantId, change.ticket, message.channel, action === 'DIRECT' ? 'DIRECT' : content.commentId ? 'NONE' : 'COMMENT');
    const account = chooseAccount(accounts, message.channel, facts.ticketAccounts, message.messagingChannelId);
    const refuse = (reason: string) => {
      Object.assign(message.delivery, { deliveryStatus: DeliveryStatus.FAILED, deliveryError: reason });
      return this.refuse(manager, ctx, message.id, reason);
    };
    if (!account) {
      // Connected once and disconnected since: the reply cannot go out, and the agent must see why.
      const disconnected = chooseDisconnected(accounts, message.channel, facts.ticketAccounts);
      return disconnected ? refuse(disconnectedReason(disconnected)) : {};
    }

    if (action === 'DIRECT') {
      const recipient = facts.senders.get(account.id) ?? (account.kind === MessagingChannelKind.WHATSAPP && facts.phone ? facts.phone.replace(/^\+/, '') : null);
      if (!recipient) return refuse(`The customer has no ${account.kind} id to write to`);
      content.to = recipient;
      if (content.type !== 'template' && account.kind !== MessagingChannelKind.X) {
        const window = replyWindow(lastWrote(facts.lastWrote, account.id), account, message.at);
        if (window === 'CLOSED') {
          const reason =
            account.kind === MessagingChannelKind.WHATSAPP
              ? `The customer last wrote to ${account.displayName ?? account.name} on WhatsApp more than 24 hours ago: only an approved template can be sent from it (sendWhatsAppTemplate)`
              : `The customer last wrote on ${account.kind} more than 7 days ago: the platform allows no reply`;
          // An agent is told at once; an automatic message is recorded as failed for the agents to see.
          if (message.authorType === AuthorType.AGENT) {
            throw new DomainError(account.kind === MessagingChannelKind.WHATSAPP ? 'WHATSAPP_WINDOW_CLOSED' : 'MESSAGING_WINDOW_CLOSED', reason);
          }
          return refuse(reason);
        }
        if (window === 'HUMAN_AGENT') content.humanAgentTag = true;
      }
    } else {
      content.commentId ??= facts.latestComment;
      if (!content.commentId) return refuse('The ticket has no comment to answer');
    }
    content.action = action;
    Object.assign(message.delivery, { deliveryStatus: DeliveryStatus.QUEUED, messagingChannelId: account.id, content });
    // Nothing reads the row back in this change: the write rides with the job's insert.
    await deferWrite(manager, {
      sql: `UPDATE messages SET delivery_status = 'QUEUED', messaging_channel_id = $3, content = $4 WHERE tenant_id = $1 AND id = $2`,
      parameters: [ctx.tenantId, message.id, account.id, content],
    });
    await this.jobs.send<SendJob>(manager, CHANNEL_SEND_QUEUE, { tenantId: ctx.tenantId, ticketId: change.ticket.id });
    return {};
  }

  /** The account a reply on the ticket goes out through (see chooseAccount); null when none can send. */
  async accountFor(manager: EntityManager, tenantId: string, ticket: Pick<Ticket, 'id' | 'customerId'>, channel: Channel, named: string | null): Promise<ChannelAccount | null> {
    const accounts = await this.platformAccounts(manager, tenantId, channel);
    if (accounts.length === 0) return null;
    const { ticketAccounts } = await this.replyFacts(manager, tenantId, ticket, channel, 'NONE');
    return chooseAccount(accounts, channel, ticketAccounts, named);
  }

  /** The store's accounts a reply on `channel` could go through (a comment: any platform's), from memory. */
  private async platformAccounts(manager: EntityManager, tenantId: string, channel: Channel): Promise<ChannelAccount[]> {
    const kind = KIND_OF[channel] ?? null;
    return (await this.channels.accountsOf(tenantId, manager)).filter((a) => a.kind !== MessagingChannelKind.TWILIO && (kind === null || a.kind === kind));
  }

  /**
   * What choosing the account and writing to the customer need, in one round trip: the accounts
   * the ticket's messages went through (and when last on this channel); for a direct message, who
   * the customer wrote from on each account (their platform id), their phone (WhatsApp can write
   * to it) and when they last wrote on this channel through each account; for a comment reply,
   * the customer's latest comment.
   *
   * The platforms' customer-service window is per business account: a customer who wrote to one
   * WhatsApp number (or Page) has opened no window on another, so only their messages through the
   * account the reply goes out from count (and those whose account is unknown: written through
   * the API rather than a platform webhook).
   */
  private async replyFacts(manager: EntityManager, tenantId: string, ticket: Pick<Ticket, 'id' | 'customerId'>, channel: Channel, need: 'DIRECT' | 'COMMENT' | 'NONE') {
    const onChannel = KIND_OF[channel] ? channel : null; // a comment ticket: messages on any channel count
    const statements: Statement[] = [
      {
        sql: `SELECT messaging_channel_id AS id, max(created_at) FILTER (WHERE $3::text IS NULL OR channel = $3) AS latest FROM messages
               WHERE tenant_id = $1 AND ticket_id = $2 AND messaging_channel_id IS NOT NULL GROUP BY messaging_channel_id`,
        parameters: [tenantId, ticket.id, onChannel],
      },
    ];
    if (need === 'DIRECT') {
      statements.push(
        {
          sql: `SELECT DISTINCT ON (m.messaging_channel_id) m.messaging_channel_id AS id, m.content->>'from' AS sender
                  FROM tickets t JOIN messages m ON m.tenant_id = t.tenant_id AND m.ticket_id = t.id
                 WHERE t.tenant_id = $1 AND t.customer_id = $2 AND m.author_type = 'CUSTOMER' AND m.messaging_channel_id IS NOT NULL AND m.content ? 'from'
                 ORDER BY m.messaging_channel_id, m.created_at DESC`,
          parameters: [tenantId, ticket.customerId],
        },
        { sql: `SELECT value FROM customer_identities WHERE tenant_id = $1 AND customer_id = $2 AND kind = 'PHONE' ORDER BY created_at LIMIT 1`, parameters: [tenantId, ticket.customerId] },
        {
          sql: `SELECT m.messaging_channel_id AS id, max(m.created_at) AS last FROM tickets t JOIN messages m ON m.tenant_id = t.tenant_id AND m.ticket_id = t.id
                 WHERE t.tenant_id = $1 AND t.customer_id = $2 AND m.author_type = 'CUSTOMER' AND m.channel = $3 GROUP BY m.messaging_channel_id`,
          parameters: [tenantId, ticket.customerId, channel],
        },
      );
    }
    if (need === 'COMMENT') {
      statements.push({
        sql: `SELECT external_id FROM messages WHERE tenant_id = $1 AND ticket_id = $2 AND author_type = 'CUSTOMER' AND channel = 'COMMENT' AND external_id IS NOT NULL
               ORDER BY created_at DESC LIMIT 1`,
        parameters: [tenantId, ticket.id],
      });
    }
    const [used, ...rest] = await batch(manager, statements);
    const [senders = [], [phone] = [], lastWrote = []] = need === 'DIRECT' ? rest : [];
    const [comment] = need === 'COMMENT' ? rest[0] : [];
    return {
      ticketAccounts: new Map(used.map((row) => [row.id as string, row.latest ? new Date(row.latest as string) : null])),
      senders: new Map(senders.map((row) => [row.id as string, row.sender as string])),
      phone: phone ? String(phone.value) : null,
      lastWrote: new Map(lastWrote.map((row) => [(row.id as string | null) ?? null, new Date(row.last as string)])),
      latestComment: (comment?.external_id as string | undefined) ?? null,
    };
  }

  /** Recorded, not sent: the reason is on the message. */
  private async refuse(manager: EntityManager, ctx: RequestContext, messageId: string, reason: string) {
    await deferWrite(manager, { sql: `UPDATE messages SET delivery_status = 'FAILED', delivery_error = $3 WHERE tenant_id = $1 AND id = $2`, parameters: [ctx.tenantId, messageId, reason] });
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

/**
 * The account a reply goes out through: the one named, else the one the ticket last used on this
 * channel, else the store's first connected one of the platform. A comment is only answered
 * through an account the ticket came through.
 */
function chooseAccount(accounts: ChannelAccount[], channel: Channel, ticketAccounts: Map<string, Date | null>, named: string | null): ChannelAccount | null {
  const latest = [...ticketAccounts].filter(([, at]) => at).sort(([, a], [, b]) => b!.getTime() - a!.getTime())[0]?.[0];
  const rank = (a: ChannelAccount) => (a.id === named ? 0 : a.id === latest ? 1 : 2);
  const [account] = accounts.filter((a) => a.active).sort((a, b) => rank(a) - rank(b) || a.createdAt.getTime() - b.createdAt.getTime());
  if (!account) return null;
  if (channel === Channel.COMMENT && !ticketAccounts.has(account.id)) return null;
  return account;
}

/**
 * When no connected account can send: the disconnected one the reply would have gone through —
 * the ticket's own, else (not for comments, which only go back where they came from) the store's
 * latest changed of the platform. Null when the store never connected one.
 */
function chooseDisconnected(accounts: ChannelAccount[], channel: Channel, ticketAccounts: Map<string, Date | null>): ChannelAccount | null {
  const candidates = accounts.filter((a) => !a.active && (channel !== Channel.COMMENT || ticketAccounts.has(a.id)));
  const used = (a: ChannelAccount) => (ticketAccounts.has(a.id) ? 0 : 1);
  return candidates.sort((a, b) => used(a) - used(b) || b.updatedAt.getTime() - a.updatedAt.getTime())[0] ?? null;
}

/** When the customer last wrote through the account, or through no known account (the API). */
function lastWrote(byAccount: Map<string | null, Date>, accountId: string): Date | null {
  const times = [byAccount.get(accountId), byAccount.get(null)].filter((t): t is Date => t !== undefined);
  return times.length ? new Date(Math.max(...times.map((t) => t.getTime()))) : null;
}

/** Whether the platform lets a free-form reply through now, given when the customer last wrote. */
function replyWindow(lastWroteAt: Date | null, account: ChannelAccount, now: Date): 'OPEN' | 'HUMAN_AGENT' | 'CLOSED' {
  if (windowOpen(lastWroteAt, now)) return 'OPEN';
  if (account.kind !== MessagingChannelKind.WHATSAPP && windowOpen(lastWroteAt, now, HUMAN_AGENT_WINDOW_HOURS)) return 'HUMAN_AGENT';
  return 'CLOSED';
}
