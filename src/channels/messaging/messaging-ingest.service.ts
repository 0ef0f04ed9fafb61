import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type PgBoss from 'pg-boss';
import type { EntityManager } from 'typeorm';
import { v5 as uuidv5 } from 'uuid';
import { AppConfig } from '../../common/config/app-config';
import { batch, deferWrite, Statement } from '../../common/database/batch';
import { entityReader, selectListOf } from '../../common/database/entity-rows';
import { TenantScope, TenantTransactions, tenantOf } from '../../common/database/tenant-transactions';
import { JobQueue } from '../../common/jobs/job-queue';
import { OutboundTargetRefused } from '../../common/net/outbound-guard';
import type { RequestContext } from '../../common/request-context';
import { InboundContexts } from '../inbound-context';
import { normaliseHandle, normalisePhone } from '../../tickets/customer-identity';
import { AuthorType, Channel, IdentityKind } from '../../tickets/ticket-enums';
import { Ticket } from '../../tickets/entities/ticket.entity';
import { TicketsService } from '../../tickets/tickets.service';
import { DeliveryState, furthestDelivery } from './delivery-state';
import { MessagingChannel, MessagingChannelKind } from './entities/messaging-channel.entity';
import { InboundBatch, InboundMessage, InboundReceipt, subjectFrom } from './inbound';
import { MessagingChannelsService } from './messaging-channels.service';
import { PlatformApi, PlatformError } from './platform-api';

export type InboundOutcome = 'CREATED' | 'JOINED' | 'DUPLICATE' | 'IGNORED';

export const CHANNEL_MEDIA_QUEUE = 'channel-media';
const MEDIA_NAMESPACE = '8c0f6f0e-3b7a-4d0c-9a55-1f2e6b7c9d10';
/** A solved conversation the customer writes into again within this many hours is reopened, not replaced. */
const REOPEN_SOLVED_WITHIN_HOURS = 72;

/** The ticket channel of direct messages on each platform (Twilio's are calls, logged by the phone module). */
export const DIRECT_CHANNEL: Record<MessagingChannelKind, Channel> = {
  WHATSAPP: Channel.WHATSAPP,
  INSTAGRAM: Channel.INSTAGRAM,
  MESSENGER: Channel.FACEBOOK,
  X: Channel.X,
  TWILIO: Channel.PHONE,
};

const IDENTITY: Record<MessagingChannelKind, IdentityKind> = {
  WHATSAPP: IdentityKind.PHONE,
  INSTAGRAM: IdentityKind.INSTAGRAM,
  MESSENGER: IdentityKind.FACEBOOK,
  X: IdentityKind.X,
  TWILIO: IdentityKind.PHONE,
};

interface MediaJob {
  tenantId: string;
  attachmentId: string;
  channelId: string;
}

/**
 * Turns what a platform's webhook said into tickets, messages and delivery states. Called by the
 * webhook controllers before they answer 200, so everything here is committed when the platform
 * hears "received"; a repeated delivery finds its messages by their platform ids. Media files are
 * fetched afterwards by a durable job.
 */
@Injectable()
export class MessagingIngestService implements OnApplicationBootstrap {
  /** The ticket's columns for the conversation look-up (see selectListOf), listed once. */
  private ticketColumns?: string;

  constructor(
    private readonly db: TenantTransactions,
    private readonly inbound: InboundContexts,
    private readonly tickets: TicketsService,
    private readonly channels: MessagingChannelsService,
    private readonly api: PlatformApi,
    private readonly jobs: JobQueue,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(MessagingIngestService.name);
  }

  async onApplicationBootstrap() {
    await this.jobs.queue(CHANNEL_MEDIA_QUEUE, { retryLimit: 8, retryDelay: this.config.CHANNEL_RETRY_DELAY_SECONDS, retryBackoff: true, expireInSeconds: 300 });
    await this.jobs.work<MediaJob>(CHANNEL_MEDIA_QUEUE, (job) => this.fetchMedia(job), { pollingIntervalSeconds: 1 });
  }

  /**
   * One webhook's messages and receipts, in one unit of work: committed together before the
   * platform is answered (a failure rolls all of it back and the platform's retry brings it again;
   * every message is de-duplicated by its platform id).
   */
  async receive(channel: MessagingChannel, batch: InboundBatch): Promise<InboundOutcome[]> {
    const unitOfWork = this.db.unitOfWork(true, { allOrNothing: true });
    try {
      const ctx: RequestContext = { ...(await this.inbound.of(this.db, channel.tenantId)), unitOfWork };
      const outcomes: InboundOutcome[] = [];
      for (const message of batch.messages) outcomes.push(await this.receiveMessage(ctx, channel, message));
      for (const receipt of batch.receipts) await this.applyReceipt(ctx, channel, receipt);
      const received = outcomes.filter((o) => o === 'CREATED' || o === 'JOINED').length;
      // Nothing waits for the counters: they ride with COMMIT itself, behind what COMMIT's hooks
      // write (the KPI capture, the change notice), so the channel's row — which every webhook of
      // the channel updates — is locked for the commit alone.
      await this.db.run(ctx, (m) =>
        deferWrite(
          m,
          {
            sql: `UPDATE messaging_channels SET received_count = received_count + $3, last_event_at = now() WHERE tenant_id = $1 AND id = $2`,
            parameters: [channel.tenantId, channel.id, received],
          },
          { atCommit: true },
        ),
      );
      await unitOfWork.finish(true);
      return outcomes;
    } catch (error) {
      await unitOfWork.finish(false);
      throw error;
    }
  }

  private async receiveMessage(ctx: RequestContext, channel: MessagingChannel, inbound: InboundMessage): Promise<InboundOutcome> {
    const ticketChannel = inbound.comment ? Channel.COMMENT : DIRECT_CHANNEL[channel.kind];
    const customerRef = this.customerRef(ctx, channel, inbound);
    // The one duplicate check of the message (the tickets module is told it was made) and the
    // conversation look-up, in one round trip.
    const { stored, ticketId, locked } = await this.db.read(ctx, async (m) => {
      const [[storedRow], [latest]] = await batch(m, [
        storedMessageStatement(ctx.tenantId, ticketChannel, inbound.externalId),
        customerRef ? this.latestConversationStatement(m, ctx.tenantId, channel, inbound, customerRef.identity) : { sql: 'SELECT NULL WHERE false' },
      ]);
      const stored = storedRow?.id as string | undefined;
      if (stored || !customerRef) return { stored, ticketId: null };
      const replied = inbound.replyTo ? await this.repliedConversation(m, ctx.tenantId, channel, inbound.replyTo) : null;
      if (replied || !latest) return { stored, ticketId: replied };
      return { stored, ticketId: { id: latest.id as string, open: latest.open as boolean }, locked: entityReader(m, Ticket)(latest) };
    });
    if (stored) {
      await this.keepMedia(ctx, channel, stored, inbound); // a retry after a crash may have missed them
      return 'DUPLICATE';
    }
    if (!customerRef) {
      this.logger.warn({ channelId: channel.id, from: inbound.from }, 'Message from a sender id that is not a valid identity; left alone');
      return 'IGNORED';
    }
    const extras = { messagingChannelId: channel.id, content: { ...inbound.content, ...(inbound.username ? { username: inbound.username } : {}) } };
    if (inbound.reaction && !ticketId?.open) return 'IGNORED'; // a 👍 neither opens nor reopens a conversation

    let outcome: InboundOutcome;
    let messageId: string | undefined;
    if (ticketId) {
      ({
        message: { id: messageId },
      } = await this.tickets.addMessage(
        ctx,
        { ticketId: ticketId.id, body: inbound.body, authorType: AuthorType.CUSTOMER, authorName: inbound.name, internal: false, channel: ticketChannel, externalId: inbound.externalId },
        extras,
        undefined,
        { duplicateChecked: true, locked },
      ));
      outcome = 'JOINED';
    } else {
      const { created } = await this.tickets.create(
        ctx,
        {
          subject: subjectFrom(inbound.body),
          body: inbound.body,
          channel: ticketChannel,
          customer: { ...customerRef.ref, name: inbound.name ?? inbound.username },
          externalMessageId: inbound.externalId,
          // A public complaint stays its own ticket; a direct message may continue an open one from another channel.
          joinOpenTicket: !inbound.comment,
          tags: inbound.comment ? ['public-comment', inbound.comment.platform.toLowerCase()] : undefined,
          customFields: inbound.comment ? { platform: inbound.comment.platform, postId: inbound.comment.postId ?? null } : undefined,
        },
        extras,
        { duplicateChecked: true },
      );
      outcome = created ? 'CREATED' : 'JOINED';
    }
    if (inbound.media.length) {
      messageId ??= await this.storedMessage(ctx, ticketChannel, inbound.externalId);
      if (messageId) await this.keepMedia(ctx, channel, messageId, inbound);
    }
    return outcome;
  }

  /** How the sender is known as a customer: the identity to look up and the reference to create one. */
  private customerRef(ctx: RequestContext, channel: MessagingChannel, inbound: InboundMessage) {
    const kind = IDENTITY[channel.kind];
    if (kind === IdentityKind.PHONE) {
      const e164 = normalisePhone(inbound.from, ctx.tenantCountry);
      return e164 ? { identity: { kind, value: e164 }, ref: { whatsapp: e164 } } : undefined;
    }
    const value = normaliseHandle(inbound.from);
    if (!value) return undefined;
    const field = kind === IdentityKind.INSTAGRAM ? 'instagram' : kind === IdentityKind.FACEBOOK ? 'facebook' : 'x';
    return { identity: { kind, value }, ref: { [field]: value } };
  }

  /**
   * The ticket a message continues: the one holding the message it replies to, else the sender's
   * latest conversation through this account (comments only join comment tickets), if it is open
   * or was solved recently. Closed tickets are left to the tickets module (a follow-up).
   */
  private async repliedConversation(m: EntityManager, tenantId: string, channel: MessagingChannel, replyTo: string) {
    const [row] = await m.query(
      `SELECT t.id, t.status IN ('NEW','OPEN','PENDING','ON_HOLD') AS open FROM messages m JOIN tickets t ON t.tenant_id = m.tenant_id AND t.id = m.ticket_id
        WHERE m.tenant_id = $1 AND m.messaging_channel_id = $2 AND m.external_id = $3 AND t.status <> 'CLOSED'`,
      [tenantId, channel.id, replyTo],
    );
    return (row as { id: string; open: boolean } | undefined) ?? null;
  }

  /**
   * The sender's latest conversation through this account (comments only join comment tickets), if
   * it is open or was solved recently: the ticket row, locked as the message's write will lock it
   * (the tickets module is handed it, and takes no lock of its own), with whether it was open.
   */
  private latestConversationStatement(m: EntityManager, tenantId: string, channel: MessagingChannel, inbound: InboundMessage, identity: { kind: IdentityKind; value: string }): Statement {
    this.ticketColumns ??= selectListOf(m, Ticket, 'tk');
    return {
      // The sender's few tickets first (MATERIALIZED keeps the planner from starting at the
      // account's messages, which a plan kept for every call may estimate at one row).
      sql: `WITH senders_tickets AS MATERIALIZED (
              SELECT t.tenant_id, t.id, t.status IN ('NEW','OPEN','PENDING','ON_HOLD') AS open, t.updated_at
                FROM customer_identities ci JOIN tickets t ON t.tenant_id = ci.tenant_id AND t.customer_id = ci.customer_id
               WHERE ci.tenant_id = $1 AND ci.kind = $2 AND ci.value = $3
                 AND (t.status IN ('NEW','OPEN','PENDING','ON_HOLD') OR (t.status = 'SOLVED' AND t.solved_at > now() - make_interval(hours => $5)))
                 AND ($6::boolean IS FALSE OR t.channel = 'COMMENT')),
            latest AS (
              SELECT s.tenant_id, s.id, s.open FROM senders_tickets s
               WHERE EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = s.tenant_id AND m.messaging_channel_id = $4 AND m.ticket_id = s.id)
               ORDER BY s.updated_at DESC LIMIT 1)
            SELECT l.open, ${this.ticketColumns} FROM latest l JOIN tickets tk ON tk.tenant_id = l.tenant_id AND tk.id = l.id
               FOR UPDATE OF tk`,
      parameters: [tenantId, identity.kind, identity.value, channel.id, REOPEN_SOLVED_WITHIN_HOURS, Boolean(inbound.comment)],
      prepare: true,
    };
  }

  private storedMessage(ctx: RequestContext, channel: Channel, externalId: string): Promise<string | undefined> {
    return this.db.read(ctx, (m) => storedMessageIn(m, ctx.tenantId, channel, externalId));
  }

  /** Lists the message's files and enqueues their download (idempotent: ids are derived from the platform's). */
  private async keepMedia(ctx: RequestContext, channel: MessagingChannel, messageRowId: string, inbound: InboundMessage) {
    if (!inbound.media.length) return;
    const { tenantId } = ctx;
    await this.db.run(ctx, async (manager) => {
      for (const [index, media] of inbound.media.entries()) {
        const id = uuidv5(`${tenantId}:${channel.id}:${inbound.externalId}:${index}`, MEDIA_NAMESPACE);
        const inserted: unknown[] = await manager.query(
          `INSERT INTO message_attachments (tenant_id, id, message_id, filename, content_type, size_bytes, provider_media_id, source_url)
           VALUES ($1, $2, $3, $4, $5, 0, $6, $7) ON CONFLICT DO NOTHING RETURNING id`,
          [tenantId, id, messageRowId, media.filename ?? null, media.contentType, media.providerMediaId ?? null, media.url ?? null],
        );
        if (inserted.length) await this.jobs.send<MediaJob>(manager, CHANNEL_MEDIA_QUEUE, { tenantId, attachmentId: id, channelId: channel.id });
      }
    });
  }

  /** The job: fetch one file from the platform into the attachment store. */
  async fetchMedia(job: PgBoss.JobWithMetadata<MediaJob>): Promise<void> {
    const { tenantId, attachmentId, channelId } = job.data;
    const [row, channel] = await this.db.read(
      tenantId,
      async (m) =>
        [
          (await m.query(`SELECT provider_media_id, source_url, content IS NOT NULL AS fetched FROM message_attachments WHERE tenant_id = $1 AND id = $2`, [tenantId, attachmentId]))[0],
          await m.findOneBy(MessagingChannel, { tenantId, id: channelId }),
        ] as const,
    );
    if (!row || row.fetched || !channel) return;
    const max = this.config.EMAIL_MAX_ATTACHMENT_BYTES;
    try {
      const file = row.provider_media_id
        ? await this.api.fetchWhatsAppMedia(channel, await this.channels.secretsOf(channel), row.provider_media_id, max)
        : await this.api.download(row.source_url, max);
      await this.db.run(tenantId, (m) =>
        m.query(`UPDATE message_attachments SET content = $3, content_type = $4, size_bytes = $5, fetch_error = $6 WHERE tenant_id = $1 AND id = $2`, [
          tenantId,
          attachmentId,
          file.content,
          file.contentType,
          file.size,
          file.content ? null : `Larger than ${max} bytes: not kept`,
        ]),
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      // A link to an inside address stays refused however often it is tried.
      const retry = !(error instanceof OutboundTargetRefused) && (!(error instanceof PlatformError) || error.retryable);
      if (retry && job.retryCount < 8) throw error;
      await this.db.run(tenantId, (m) => m.query(`UPDATE message_attachments SET fetch_error = $3 WHERE tenant_id = $1 AND id = $2`, [tenantId, attachmentId, reason.slice(0, 500)]));
    }
  }

  /**
   * A receipt for one of our messages: kept (it may precede the send job's record of the id) and
   * applied as the furthest state; a failure is written on the ticket for the agents.
   */
  async applyReceipt(ctx: RequestContext, channel: MessagingChannel, receipt: InboundReceipt): Promise<void> {
    const ticketChannel = DIRECT_CHANNEL[channel.kind];
    const failed = await this.db.run(ctx, async (manager) => {
      await manager.query(`INSERT INTO delivery_receipts (tenant_id, channel, external_id, status, occurred_at, error) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`, [
        ctx.tenantId,
        ticketChannel,
        receipt.externalId,
        receipt.status,
        receipt.at,
        receipt.error ?? null,
      ]);
      return applyReceipts(manager, ctx.tenantId, ticketChannel, receipt.externalId);
    });
    if (failed) await this.noteFailure(ctx, failed.ticketId, failed.messageId, ticketChannel, failed.reason);
  }

  async noteFailure(scope: TenantScope, ticketId: string, messageId: string, channel: Channel, reason: string) {
    const tenantId = tenantOf(scope);
    await this.tickets.recordDeliveryFailure(scope, { ticketId, messageId, channel, reason, note: `تعذّر إيصال الرد إلى العميل عبر ${channel}: ${reason}` });
    this.logger.warn({ tenantId, ticketId, messageId, channel, reason }, 'Outbound message failed');
  }
}

function storedMessageStatement(tenantId: string, channel: Channel, externalId: string): Statement {
  return { sql: `SELECT id FROM messages WHERE tenant_id = $1 AND channel = $2 AND external_id = $3`, parameters: [tenantId, channel, externalId] };
}

async function storedMessageIn(m: EntityManager, tenantId: string, channel: Channel, externalId: string): Promise<string | undefined> {
  const [[row]] = await batch(m, [storedMessageStatement(tenantId, channel, externalId)]);
  return row?.id as string | undefined;
}

/**
 * Brings a message's deliveryStatus to the furthest of its receipts, in the caller's transaction.
 * Returns the failure to report when this application made it FAILED.
 */
export async function applyReceipts(manager: EntityManager, tenantId: string, channel: Channel, externalId: string): Promise<{ ticketId: string; messageId: string; reason: string } | undefined> {
  const [message] = await manager.query(`SELECT id, ticket_id, delivery_status FROM messages WHERE tenant_id = $1 AND channel = $2 AND external_id = $3 FOR UPDATE`, [tenantId, channel, externalId]);
  if (!message) return undefined; // not recorded yet: the send job applies the receipts it finds
  const receipts: Array<{ status: Exclude<DeliveryState, 'QUEUED'>; occurred_at: Date; error: string | null }> = await manager.query(
    `SELECT status, occurred_at, error FROM delivery_receipts WHERE tenant_id = $1 AND channel = $2 AND external_id = $3 ORDER BY occurred_at, received_at`,
    [tenantId, channel, externalId],
  );
  const before = message.delivery_status as DeliveryState | null;
  const after = receipts.reduce<DeliveryState | null>((state, r) => furthestDelivery(state, r.status), before);
  if (after === before) return undefined;
  const failure = receipts.find((r) => r.status === 'FAILED');
  const deliveredAt = receipts.find((r) => r.status === 'DELIVERED' || r.status === 'READ')?.occurred_at ?? null;
  await manager.query(
    `UPDATE messages SET delivery_status = $3, delivery_error = CASE WHEN $3 = 'FAILED' THEN $4 ELSE delivery_error END,
            delivered_at = COALESCE($5, delivered_at) WHERE tenant_id = $1 AND id = $2`,
    [tenantId, message.id, after, failure?.error ?? 'The platform reported a failure', deliveredAt],
  );
  return after === 'FAILED' ? { ticketId: message.ticket_id, messageId: message.id, reason: failure?.error ?? 'The platform reported a failure' } : undefined;
}
