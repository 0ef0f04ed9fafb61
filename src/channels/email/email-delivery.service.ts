import { Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import nodemailer, { Transporter } from 'nodemailer';
import type PgBoss from 'pg-boss';
import type { EntityManager } from 'typeorm';
import { SecretUnreadable } from '../../common/crypto/secret-box';
import { deferWrite } from '../../common/database/batch';
import { TenantTransactions } from '../../common/database/tenant-transactions';
import { JobQueue } from '../../common/jobs/job-queue';
import { OutboundGuard } from '../../common/net/outbound-guard';
import type { RequestContext } from '../../common/request-context';
import { AuthorType, Channel, DeliveryStatus } from '../../tickets/ticket-enums';
import { MessageDelivery, TicketChange, TicketListeners } from '../../tickets/ticket-listeners';
import { TicketsService } from '../../tickets/tickets.service';
import { replySubject } from './email-text';
import { ConnectionSecurity, MailAuthMethod, Mailbox } from './entities/mailbox.entity';
import { MailboxesService } from './mailboxes.service';

export const EMAIL_SEND_QUEUE = 'email-send';
const RETRY_LIMIT = 12; // with back-off from 30 s: about a day of attempts

interface SendJob {
  tenantId: string;
  messageId: string;
}

/**
 * Public replies on email conversations go out by SMTP from the store's mailbox, threaded
 * (Message-ID, In-Reply-To, References, the ticket number in the subject). Sending is a durable job
 * enqueued in the reply's own transaction; the message shows QUEUED → SENT or FAILED, and a
 * permanent failure is written on the ticket.
 */
@Injectable()
export class EmailDeliveryService implements OnModuleInit, OnApplicationBootstrap {
  private readonly transports = new Map<string, { version: number; transport: Transporter }>();

  constructor(
    private readonly db: TenantTransactions,
    private readonly listeners: TicketListeners,
    private readonly jobs: JobQueue,
    private readonly mailboxes: MailboxesService,
    private readonly tickets: TicketsService,
    private readonly logger: PinoLogger,
    private readonly guard: OutboundGuard,
  ) {
    this.logger.setContext(EmailDeliveryService.name);
  }

  onModuleInit() {
    this.listeners.register(this, 'email-delivery');
  }

  async onApplicationBootstrap() {
    await this.jobs.queue(EMAIL_SEND_QUEUE, { retryLimit: RETRY_LIMIT, retryDelay: 30, retryBackoff: true, expireInSeconds: 120 });
    await this.jobs.work<SendJob>(EMAIL_SEND_QUEUE, (job) => this.deliver(job), { pollingIntervalSeconds: 1 });
  }

  async afterChange(manager: EntityManager, ctx: RequestContext, change: TicketChange) {
    const message = change.message;
    if (!message || message.internal || message.channel !== Channel.EMAIL) return {};
    if (message.authorType !== AuthorType.AGENT && message.authorType !== AuthorType.SYSTEM) return {};
    Object.assign(message.delivery, await this.queue(manager, ctx.tenantId, change.ticket.id, message.id));
    return {};
  }

  /** Gives the message its Message-ID and mailbox and enqueues the send, in the caller's transaction; returns what it set on the message. */
  private async queue(manager: EntityManager, tenantId: string, ticketId: string, messageId: string): Promise<MessageDelivery> {
    const [mailbox]: Array<{ id: string; address: string }> = await manager.query(
      `SELECT b.id, b.address FROM mailboxes b
        WHERE b.tenant_id = $1 AND b.active
        ORDER BY b.id = (SELECT m.mailbox_id FROM messages m WHERE m.tenant_id = $1 AND m.ticket_id = $2 AND m.mailbox_id IS NOT NULL
                          ORDER BY m.created_at DESC LIMIT 1) DESC NULLS LAST, b.created_at
        LIMIT 1`,
      [tenantId, ticketId],
    );
    if (!mailbox) {
      // A mailbox the ticket came through (else the store's latest) that was disconnected says so.
      const [disconnected]: Array<{ address: string }> = await manager.query(
        `SELECT b.address FROM mailboxes b WHERE b.tenant_id = $1 AND NOT b.active
          ORDER BY EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = $1 AND m.ticket_id = $2 AND m.mailbox_id = b.id) DESC, b.updated_at DESC LIMIT 1`,
        [tenantId, ticketId],
      );
      const reason = disconnected
        ? `The mailbox ${disconnected.address} is disconnected: this reply was not sent. Reconnect it (updateMailbox with active: true) and send again, or answer on another channel`
        : 'The store has no active mailbox to send from';
      await deferWrite(manager, { sql: `UPDATE messages SET delivery_status = 'FAILED', delivery_error = $3 WHERE tenant_id = $1 AND id = $2`, parameters: [tenantId, messageId, reason] });
      return { deliveryStatus: DeliveryStatus.FAILED, deliveryError: reason };
    }
    const domain = mailbox.address.split('@')[1];
    const externalId = `<${messageId}@${domain}>`;
    // Nothing reads the row back in this change: the write rides with the job's insert.
    await deferWrite(manager, {
      sql: `UPDATE messages SET delivery_status = 'QUEUED', mailbox_id = $3, external_id = $4 WHERE tenant_id = $1 AND id = $2`,
      parameters: [tenantId, messageId, mailbox.id, externalId],
    });
    await this.jobs.send<SendJob>(manager, EMAIL_SEND_QUEUE, { tenantId, messageId });
    return { deliveryStatus: DeliveryStatus.QUEUED, mailboxId: mailbox.id, externalId };
  }

  /** The job: one attempt to hand the message to the mailbox's SMTP server. */
  async deliver(job: PgBoss.JobWithMetadata<SendJob>): Promise<void> {
    const { tenantId, messageId } = job.data;
    const [row] = await this.db.read(tenantId, (m) =>
      m.query(
        `SELECT m.body, m.author_type, m.external_id, m.delivery_status, m.mailbox_id, m.created_at, t.id AS ticket_id, t.number, t.subject,
              (SELECT ci.value FROM customer_identities ci WHERE ci.tenant_id = t.tenant_id AND ci.customer_id = t.customer_id AND ci.kind = 'EMAIL'
                ORDER BY ci.created_at LIMIT 1) AS customer_email, c.name AS customer_name
         FROM messages m JOIN tickets t ON t.tenant_id = m.tenant_id AND t.id = m.ticket_id JOIN customers c ON c.tenant_id = t.tenant_id AND c.id = t.customer_id
        WHERE m.tenant_id = $1 AND m.id = $2`,
        [tenantId, messageId],
      ),
    );
    if (!row || row.delivery_status !== DeliveryStatus.QUEUED) return; // already settled (a repeated job)
    const mailbox = await this.db.read(tenantId, (m) => m.findOneBy(Mailbox, { tenantId, id: row.mailbox_id }));
    if (!mailbox) return this.fail(tenantId, row.ticket_id, messageId, 'The mailbox was removed');
    if (!mailbox.active)
      return this.fail(
        tenantId,
        row.ticket_id,
        messageId,
        `The mailbox ${mailbox.address} is disconnected: this reply was not sent. Reconnect it (updateMailbox with active: true) and send again, or answer on another channel`,
      );
    if (!row.customer_email) return this.fail(tenantId, row.ticket_id, messageId, 'The customer has no email address');

    // The thread so far, oldest first: what the customer's mail client threads on.
    const earlier: Array<{ external_id: string; author_type: string }> = await this.db.read(tenantId, (m) =>
      m.query(
        `SELECT external_id, author_type FROM messages WHERE tenant_id = $1 AND ticket_id = $2 AND channel = 'EMAIL' AND external_id IS NOT NULL
            AND created_at < $3 AND id <> $4 ORDER BY created_at`,
        [tenantId, row.ticket_id, row.created_at, messageId],
      ),
    );
    const references = earlier.map((m) => m.external_id).slice(-20);
    const inReplyTo = [...earlier].reverse().find((m) => m.author_type === AuthorType.CUSTOMER)?.external_id ?? references[references.length - 1];
    const body = mailbox.signature && row.author_type === AuthorType.AGENT ? `${row.body}\n\n-- \n${mailbox.signature}` : row.body;
    try {
      await this.transportFor(mailbox).sendMail({
        from: { name: mailbox.name, address: mailbox.address },
        to: { name: row.customer_name ?? '', address: row.customer_email },
        subject: replySubject(row.subject, row.number),
        text: body,
        messageId: row.external_id,
        inReplyTo,
        references,
        // Automatic acknowledgements say so (RFC 3834), so other responders don't answer them.
        headers: row.author_type === AuthorType.SYSTEM ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' } : {},
      });
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      // A refused login, or a password no configured key opens, is the mailbox's problem, not the
      // message's: shown on the mailbox, and retried (a renewed password or token through
      // updateMailbox, or the old key back in SECRETS_KEY_PREVIOUS, lets the waiting replies go).
      const unreadable = error instanceof SecretUnreadable;
      const refusedLogin = unreadable || (error as { code?: string }).code === 'EAUTH';
      const reason = unreadable ? error.message : refusedLogin ? smtpLoginError(mailbox, error) : error instanceof Error ? error.message : String(error);
      if (refusedLogin) {
        await this.db.run(tenantId, (m) => m.query(`UPDATE mailboxes SET last_send_error = $3 WHERE tenant_id = $1 AND id = $2`, [tenantId, mailbox.id, reason.slice(0, 500)]));
      }
      if ((!refusedLogin && code !== undefined && code >= 500) || job.retryCount >= RETRY_LIMIT) return this.fail(tenantId, row.ticket_id, messageId, reason);
      await this.db.run(tenantId, (m) => m.query(`UPDATE messages SET delivery_error = $3 WHERE tenant_id = $1 AND id = $2`, [tenantId, messageId, reason]));
      throw error; // retried with back-off
    }
    await this.db.run(tenantId, async (m) => {
      await m.query(`UPDATE messages SET delivery_status = 'SENT', delivered_at = now(), delivery_error = NULL WHERE tenant_id = $1 AND id = $2`, [tenantId, messageId]);
      if (mailbox.lastSendError) await m.query(`UPDATE mailboxes SET last_send_error = NULL WHERE tenant_id = $1 AND id = $2`, [tenantId, mailbox.id]);
    });
  }

  /** A permanent failure: on the message, in the audit timeline and as a note for the agents. */
  private async fail(tenantId: string, ticketId: string, messageId: string, reason: string): Promise<void> {
    await this.tickets.recordDeliveryFailure(tenantId, { ticketId, messageId, channel: Channel.EMAIL, reason, note: `تعذّر إرسال الرد بالبريد الإلكتروني إلى العميل: ${reason}` });
    this.logger.warn({ tenantId, ticketId, messageId, reason }, 'Email reply failed permanently');
  }

  private transportFor(mailbox: Mailbox): Transporter {
    const version = mailbox.updatedAt.getTime();
    const cached = this.transports.get(mailbox.id);
    if (cached?.version === version) return cached.transport;
    const smtp = this.mailboxes.smtpLoginOf(mailbox);
    const transport = nodemailer.createTransport({
      host: mailbox.smtpHost,
      port: mailbox.smtpPort,
      secure: mailbox.smtpSecurity === ConnectionSecurity.TLS,
      requireTLS: mailbox.smtpSecurity === ConnectionSecurity.STARTTLS,
      ignoreTLS: mailbox.smtpSecurity === ConnectionSecurity.NONE,
      auth: !smtp || !mailbox.smtpUser ? undefined : 'accessToken' in smtp ? { type: 'OAuth2', user: mailbox.smtpUser, accessToken: smtp.accessToken } : { user: mailbox.smtpUser, pass: smtp.pass },
      connectionTimeout: 15_000,
      // The store's SMTP host, reached over a socket the outbound guard opened (nodemailer would resolve it itself).
      getSocket: (_options, callback) =>
        void this.guard.openSocket(mailbox.smtpHost, mailbox.smtpPort, 15_000).then(
          (connection) => callback(null, { connection }),
          (error: Error) => callback(error),
        ),
    });
    cached?.transport.close();
    this.transports.set(mailbox.id, { version, transport });
    return transport;
  }
}

function smtpLoginError(mailbox: Mailbox, error: unknown): string {
  const secret = mailbox.smtpAuthMethod === MailAuthMethod.OAUTH2 ? 'OAuth2 access token (expired or revoked?)' : 'password';
  return `SMTP login refused for ${mailbox.smtpUser} with its ${secret}: ${error instanceof Error ? error.message : String(error)}`;
}
