import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { convert as htmlToText } from 'html-to-text';
import type { ImapFlow } from 'imapflow';
import { simpleParser, ParsedMail } from 'mailparser';
import { PinoLogger } from 'nestjs-pino';
import { createHash } from 'node:crypto';
import type PgBoss from 'pg-boss';
import type { EntityManager } from 'typeorm';
import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import { AppConfig } from '../../common/config/app-config';
import { AllStores } from '../../common/database/all-stores';
import { TenantTransactions } from '../../common/database/tenant-transactions';
import { JobQueue } from '../../common/jobs/job-queue';
import { OutboundGuard } from '../../common/net/outbound-guard';
import type { JsonObject, RequestContext } from '../../common/request-context';
import { detectLanguage, formatForCustomer } from '../../common/text/arabic-text';
import { isOpenAt } from '../../sla/business-hours';
import { SlaSettingsService } from '../../sla/sla-settings.service';
import { firstResponseDue } from '../../sla/sla-state';
import { AuthorType, Channel } from '../../tickets/ticket-enums';
import { TicketsService } from '../../tickets/tickets.service';
import { automatedMailReason } from './automated-mail';
import { stripQuotedReply, ticketNumberInSubject } from './email-text';
import { EmailIngestFailure } from './entities/email-ingest-failure.entity';
import { AutoAcknowledge, Mailbox } from './entities/mailbox.entity';
import { imapClientFor, imapErrorText } from './imap-client';
import { MailboxesService } from './mailboxes.service';
import { PeriodicTask } from '../../common/periodic-task';
import { InboundContexts } from '../inbound-context';

export type IngestOutcome = 'CREATED' | 'REPLY' | 'DUPLICATE' | 'IGNORED' | 'FAILED';

/** Polls in a row a message may fail before it is set aside (a failure may be passing: the database restarting). */
export const MAX_INGEST_ATTEMPTS = 3;

interface AcknowledgeJob {
  tenantId: string;
  mailboxId: string;
  ticketId: string;
}

const FETCH_CHUNK = 25;
export const EMAIL_ACKNOWLEDGE_QUEUE = 'email-acknowledge';
/** The tag on the ticket a runaway sender's mail was gathered into. */
export const MAIL_LOOP_TAG = 'mail-loop';
/** message.content.type of the automatic acknowledgement. */
const ACKNOWLEDGEMENT = 'auto-acknowledgement';
const ATTACHMENT_NAMESPACE = '3f0d8c52-7a11-4f8e-9b0e-6c1d2a7e5b44';

/**
 * Reads each store's mailboxes over IMAP and turns mail into tickets and replies. Nothing lost,
 * nothing twice: a message is flagged \Seen and the UID checkpoint advanced only after its ticket
 * is committed; a crash in between replays it, and the Message-ID (or a content hash) finds the
 * message already stored. One instance polls a mailbox at a time (advisory lock).
 */
@Injectable()
export class EmailIngestService implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task = new PeriodicTask(
    () => this.pollAll(),
    (error) => this.logger.error({ err: error }, 'Mailbox polling failed'),
  );

  constructor(
    private readonly db: TenantTransactions,
    private readonly inbound: InboundContexts,
    private readonly allStores: AllStores,
    private readonly mailboxes: MailboxesService,
    private readonly tickets: TicketsService,
    private readonly sla: SlaSettingsService,
    private readonly jobs: JobQueue,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly logger: PinoLogger,
    private readonly guard: OutboundGuard,
  ) {
    this.logger.setContext(EmailIngestService.name);
  }

  onModuleInit() {
    this.task.start(this.config.EMAIL_POLL_INTERVAL_SECONDS);
  }

  async onApplicationBootstrap() {
    await this.jobs.queue(EMAIL_ACKNOWLEDGE_QUEUE, { retryLimit: 8, retryDelay: 30, retryBackoff: true, expireInSeconds: 120 });
    await this.jobs.work<AcknowledgeJob>(EMAIL_ACKNOWLEDGE_QUEUE, (job) => this.acknowledge(job), { pollingIntervalSeconds: 1 });
  }

  onApplicationShutdown() {
    return this.task.stop();
  }

  /** Polls every active mailbox of every store once. */
  async pollAll(): Promise<void> {
    // Across stores: one poller serves every store's mailboxes; each poll then works for its mailbox's store.
    const active: Array<{ id: string }> = await this.allStores.query(`SELECT id FROM mailboxes WHERE active ORDER BY last_polled_at NULLS FIRST`);
    for (const { id } of active) await this.poll(id);
  }

  /** One pass over a mailbox's new mail; returns what happened to each message (nothing if another instance holds it). */
  async poll(mailboxId: string, options: { afterCommit?: (uid: number) => void } = {}): Promise<IngestOutcome[]> {
    // Across instances: one of them polls a mailbox at a time.
    const lock = await this.allStores.tryLock(`mailbox:${mailboxId}`);
    if (!lock) return [];
    try {
      return await this.pollLocked(mailboxId, options);
    } finally {
      await lock.release();
    }
  }

  private async pollLocked(mailboxId: string, options: { afterCommit?: (uid: number) => void }): Promise<IngestOutcome[]> {
    // Across stores: a mailbox is named by its id alone (the poller's list, an IDLE watch); from here on its store is known.
    const [found]: Array<{ tenant_id: string }> = await this.allStores.query(`SELECT tenant_id FROM mailboxes WHERE id = $1`, [mailboxId]);
    if (!found) return [];
    const tenantId = found.tenant_id;
    const mailbox = await this.db.read(tenantId, (m) => m.findOneBy(Mailbox, { tenantId, id: mailboxId }));
    if (!mailbox?.active) return [];
    const outcomes: IngestOutcome[] = [];
    let client: ImapFlow | undefined;
    try {
      client = imapClientFor(mailbox, this.mailboxes.imapLoginOf(mailbox), this.guard); // an unreadable password fails this mailbox only
      await client.connect();
      const lock = await client.getMailboxLock(mailbox.folder);
      try {
        const opened = client.mailbox;
        const uidValidity = opened ? String(opened.uidValidity) : null;
        let lastUid = Number(mailbox.lastUid);
        if (uidValidity !== mailbox.uidValidity) {
          // A new UIDVALIDITY renumbers the folder: start over; Message-IDs keep what is stored from repeating.
          lastUid = 0;
          await this.db.run(tenantId, (m) => m.query(`UPDATE mailboxes SET uid_validity = $3, last_uid = 0 WHERE tenant_id = $1 AND id = $2`, [tenantId, mailbox.id, uidValidity]));
        }
        const found = (await client.search({ uid: `${lastUid + 1}:*` }, { uid: true })) || [];
        const uids = found.filter((uid) => uid > lastUid).sort((a, b) => a - b);
        for (let i = 0; i < uids.length; i += FETCH_CHUNK) {
          const chunk = uids.slice(i, i + FETCH_CHUNK);
          const sources = new Map<number, Buffer>();
          for await (const message of client.fetch(chunk.join(','), { uid: true, source: true }, { uid: true })) {
            if (message.source) sources.set(message.uid, message.source);
          }
          for (const uid of chunk) {
            const source = sources.get(uid);
            const outcome = source ? await this.ingestOrSetAside(mailbox, uidValidity, uid, source) : 'IGNORED';
            outcomes.push(outcome);
            options.afterCommit?.(uid);
            // A message set aside stays unread and flagged in the mailbox, for a person to look at.
            await client.messageFlagsAdd(String(uid), [outcome === 'FAILED' ? '\\Flagged' : '\\Seen'], { uid: true });
            await this.db.run(tenantId, (m) =>
              m.query(`UPDATE mailboxes SET last_uid = $3, ingested_count = ingested_count + $4, ignored_count = ignored_count + $5 WHERE tenant_id = $1 AND id = $2`, [
                tenantId,
                mailbox.id,
                uid,
                outcome === 'CREATED' || outcome === 'REPLY' ? 1 : 0,
                outcome === 'IGNORED' ? 1 : 0,
              ]),
            );
          }
        }
      } finally {
        lock.release();
      }
      await client.logout();
      await this.db.run(tenantId, (m) => m.query(`UPDATE mailboxes SET last_polled_at = now(), last_error = NULL WHERE tenant_id = $1 AND id = $2`, [tenantId, mailbox.id]));
    } catch (error) {
      client?.close();
      const reason = imapErrorText(error, mailbox);
      await this.db.run(tenantId, (m) => m.query(`UPDATE mailboxes SET last_polled_at = now(), last_error = $3 WHERE tenant_id = $1 AND id = $2`, [tenantId, mailbox.id, reason.slice(0, 500)]));
      this.logger.warn({ mailboxId: mailbox.id, err: error }, 'Mailbox poll stopped');
      if (options.afterCommit) throw error; // tests want to see it
    }
    return outcomes;
  }

  /**
   * ingest(), or — when the same message has now failed MAX_INGEST_ATTEMPTS polls in a row — the
   * message kept whole in email_ingest_failures, so one bad message cannot hold its mailbox forever.
   * Earlier failures are thrown: the poll stops and the next one tries again.
   */
  private async ingestOrSetAside(mailbox: Mailbox, uidValidity: string | null, uid: number, source: Buffer): Promise<IngestOutcome> {
    try {
      return await this.ingest(mailbox, source);
    } catch (error) {
      const [[{ failing_attempts: attempts }]] = await this.db.run(mailbox.tenantId, (m) =>
        m.query(
          `UPDATE mailboxes SET failing_attempts = CASE WHEN failing_uid = $3 THEN failing_attempts + 1 ELSE 1 END, failing_uid = $3
            WHERE tenant_id = $1 AND id = $2 RETURNING failing_attempts`,
          [mailbox.tenantId, mailbox.id, uid],
        ),
      );
      if (attempts < MAX_INGEST_ATTEMPTS) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      const parsed = await simpleParser(source, { skipImageLinks: true }).catch(() => null);
      await this.db.run(mailbox.tenantId, async (m) => {
        await m.insert(EmailIngestFailure, {
          tenantId: mailbox.tenantId,
          id: uuidv7(),
          mailboxId: mailbox.id,
          uidValidity,
          uid: String(uid),
          messageId: parsed?.messageId?.slice(0, 10_000) ?? null,
          subject: parsed?.subject?.slice(0, 10_000) ?? null,
          raw: source,
          error: reason.slice(0, 2000),
        });
        await m.query(`UPDATE mailboxes SET failed_count = failed_count + 1, failing_uid = NULL, failing_attempts = 0 WHERE tenant_id = $1 AND id = $2`, [mailbox.tenantId, mailbox.id]);
      });
      this.logger.error({ mailboxId: mailbox.id, uid, reason }, `Mail set aside after ${attempts} failed tries`);
      return 'FAILED';
    }
  }

  /**
   * One raw RFC 5322 message into the store's tickets, in one transaction: the message with its
   * mailbox, its attachments and (for a new conversation) the acknowledgement job. Once it is
   * committed a replay finds it by Message-ID, so nothing may be left for after the commit.
   */
  async ingest(mailbox: Mailbox, source: Buffer): Promise<IngestOutcome> {
    const parsed = await simpleParser(source, { skipImageLinks: true });
    const from = parsed.from?.value[0];
    const headers = { get: (name: string) => headerText(parsed, name) };
    const reason = automatedMailReason(headers, from?.address);
    if (reason || !from?.address) {
      this.logger.info({ mailboxId: mailbox.id, reason: reason ?? 'no sender' }, 'Mail left alone');
      return 'IGNORED';
    }
    const ctx = await this.inbound.of(this.db, mailbox.tenantId);
    const messageId = parsed.messageId ?? `<${createHash('sha256').update(source).digest('hex')}@content-hash.rida>`;
    if (await this.storedMessageId(mailbox.tenantId, messageId)) return 'DUPLICATE';

    const text = parsed.text?.trim() ? parsed.text : parsed.html ? htmlToText(parsed.html, { wordwrap: false, selectors: [{ selector: 'img', format: 'skip' }] }) : '';
    const body = stripQuotedReply(text) || (parsed.attachments.length ? '(مرفقات)' : '(رسالة فارغة)');
    const thread = await this.threadOf(mailbox.tenantId, parsed, from.address);
    // A runaway sender (two auto-responders mailing each other, a script) opens no more tickets and gets no acknowledgements.
    const loopingInto = thread ? null : await this.ticketOfLoopingSender(mailbox.tenantId, from.address);
    const acknowledge = !thread && !loopingInto && (await this.acknowledgesNow(ctx, mailbox));
    const reply = { body, authorType: AuthorType.CUSTOMER, authorName: from.name || undefined, internal: false, channel: Channel.EMAIL, externalId: messageId };

    return this.tickets.inOneTransaction(ctx, async (steps, manager) => {
      let outcome: IngestOutcome = 'REPLY';
      let messageRowId: string;
      if (thread || loopingInto) {
        const { message, ticket } = await steps.addMessage({ ...reply, ticketId: (thread ?? loopingInto)! });
        messageRowId = message.id;
        if (loopingInto && !ticket.tags.includes(MAIL_LOOP_TAG)) await steps.update(ticket.id, { tags: [...ticket.tags, MAIL_LOOP_TAG] });
      } else {
        const { ticket, created } = await steps.create({
          subject: (parsed.subject ?? '').trim() || '(بدون عنوان)',
          body,
          channel: Channel.EMAIL,
          customer: { email: from.address, name: from.name || undefined },
          externalMessageId: messageId,
        });
        if (created) outcome = 'CREATED';
        messageRowId = (await manager.query(`SELECT id FROM messages WHERE tenant_id = $1 AND channel = 'EMAIL' AND external_id = $2`, [mailbox.tenantId, messageId]))[0].id;
        if (created && acknowledge) await this.jobs.send<AcknowledgeJob>(manager, EMAIL_ACKNOWLEDGE_QUEUE, { tenantId: mailbox.tenantId, mailboxId: mailbox.id, ticketId: ticket.id });
      }
      await manager.query(`UPDATE messages SET mailbox_id = $3 WHERE tenant_id = $1 AND id = $2`, [mailbox.tenantId, messageRowId, mailbox.id]);
      await this.storeAttachments(manager, mailbox, messageRowId, messageId, parsed);
      return outcome;
    });
  }

  /** The row of an email already stored under this Message-ID. */
  private async storedMessageId(tenantId: string, messageId: string): Promise<string | undefined> {
    const [row] = await this.db.read(tenantId, (m) => m.query(`SELECT id FROM messages WHERE tenant_id = $1 AND channel = 'EMAIL' AND external_id = $2`, [tenantId, messageId]));
    return row?.id;
  }

  /** The ticket a reply belongs to: by In-Reply-To/References, else by a [#number] of the sender's own ticket. */
  private async threadOf(tenantId: string, parsed: ParsedMail, sender: string): Promise<string | null> {
    const references = [parsed.inReplyTo, ...[parsed.references ?? []].flat()].filter((r): r is string => Boolean(r));
    if (references.length) {
      const [row] = await this.db.read(tenantId, (m) =>
        m.query(`SELECT ticket_id FROM messages WHERE tenant_id = $1 AND channel = 'EMAIL' AND external_id = ANY($2) ORDER BY created_at DESC LIMIT 1`, [tenantId, references]),
      );
      if (row) return row.ticket_id;
    }
    const number = ticketNumberInSubject(parsed.subject);
    if (number === null) return null;
    // Only the ticket's own customer can reply into it by number (numbers are guessable).
    const [row] = await this.db.read(tenantId, (m) =>
      m.query(
        `SELECT t.id FROM tickets t JOIN customer_identities ci ON ci.tenant_id = t.tenant_id AND ci.customer_id = t.customer_id
        WHERE t.tenant_id = $1 AND t.number = $2 AND ci.kind = 'EMAIL' AND ci.value = lower($3)`,
        [tenantId, number, sender],
      ),
    );
    return row?.id ?? null;
  }

  private async storeAttachments(manager: EntityManager, mailbox: Mailbox, messageRowId: string, messageId: string, parsed: ParsedMail) {
    const max = this.config.EMAIL_MAX_ATTACHMENT_BYTES;
    for (const [index, attachment] of parsed.attachments.entries()) {
      const keep = attachment.size <= max;
      await manager.query(
        // clock_timestamp(): one transaction's now() is the same for all, and created_at orders them as the mail did.
        `INSERT INTO message_attachments (tenant_id, id, message_id, filename, content_type, size_bytes, content_id, content, fetch_error, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, clock_timestamp()) ON CONFLICT DO NOTHING`,
        [
          mailbox.tenantId,
          uuidv5(`${mailbox.tenantId}:${messageId}:${index}`, ATTACHMENT_NAMESPACE),
          messageRowId,
          attachment.filename ?? null,
          attachment.contentType,
          attachment.size,
          attachment.cid ?? null,
          keep ? attachment.content : null,
          keep ? null : `Larger than EMAIL_MAX_ATTACHMENT_BYTES (${attachment.size} > ${max} bytes): listed, content not kept`,
        ],
      );
    }
  }

  /** Whether a new conversation arriving now gets an acknowledgement (the mailbox's setting, the store's hours). */
  private async acknowledgesNow(ctx: RequestContext, mailbox: Mailbox): Promise<boolean> {
    if (mailbox.autoAcknowledge === AutoAcknowledge.OFF) return false;
    if (mailbox.autoAcknowledge === AutoAcknowledge.ALWAYS) return true;
    const { calendar } = await this.sla.readSettings(ctx);
    return !isOpenAt(new Date(), calendar);
  }

  /**
   * The job: "We received your message #n; expect a reply by …", in the customer's language, as a
   * public SYSTEM message that email delivery sends. Written once per ticket even if the job runs again.
   */
  async acknowledge(job: PgBoss.JobWithMetadata<AcknowledgeJob>): Promise<void> {
    const { tenantId, mailboxId, ticketId } = job.data;
    const mailbox = await this.db.read(tenantId, (m) => m.findOneBy(Mailbox, { tenantId, id: mailboxId }));
    if (!mailbox) return;
    const ctx = await this.inbound.of(this.db, tenantId);
    const { calendar } = await this.sla.readSettings(ctx);
    await this.tickets.inOneTransaction({ ...ctx, actor: { type: 'SYSTEM', id: null } }, async (steps, manager) => {
      const [ticket] = await manager.query(
        `SELECT t.number, t.sla, (SELECT m.body FROM messages m WHERE m.tenant_id = t.tenant_id AND m.ticket_id = t.id ORDER BY m.created_at LIMIT 1) AS body,
                EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = t.tenant_id AND m.ticket_id = t.id AND m.content->>'type' = $3) AS acknowledged
           FROM tickets t WHERE t.tenant_id = $1 AND t.id = $2 FOR UPDATE`,
        [tenantId, ticketId, ACKNOWLEDGEMENT],
      );
      if (!ticket || ticket.acknowledged) return;
      const due = firstResponseDue(ticket.sla as JsonObject | null);
      const language = detectLanguage(ticket.body ?? '');
      const when = due ? formatForCustomer(due, language, calendar.timeZone) : null;
      const text =
        language === 'ar'
          ? `شكراً لتواصلك مع ${mailbox.name}. استلمنا رسالتك برقم #${ticket.number}${when ? ` وسنرد عليك قبل ${when}` : ' وسنرد عليك في أقرب وقت'}.`
          : `Thank you for contacting ${mailbox.name}. We received your message as #${ticket.number}${when ? ` and will reply by ${when}` : ' and will reply as soon as we can'}.`;
      await steps.addMessage({ ticketId, body: text, authorType: AuthorType.SYSTEM, authorName: mailbox.name, internal: false, channel: Channel.EMAIL }, { content: { type: ACKNOWLEDGEMENT } });
    });
  }

  /**
   * When the sender has already sent EMAIL_SENDER_CAP_PER_HOUR messages in the last hour (counted
   * in the database, so it holds across instances and restarts): their most recent ticket, which
   * the message joins instead of opening another. Their mail is kept, only the ticket flood stops.
   */
  private async ticketOfLoopingSender(tenantId: string, sender: string): Promise<string | null> {
    const [row] = await this.db.read(tenantId, (m) =>
      m.query(
        `WITH sender_tickets AS (
         SELECT t.id, t.status, t.last_customer_message_at, t.created_at FROM customer_identities ci JOIN tickets t ON t.tenant_id = ci.tenant_id AND t.customer_id = ci.customer_id
          WHERE ci.tenant_id = $1 AND ci.kind = 'EMAIL' AND ci.value = lower($2))
       -- The conversation they wrote to last (not the last one touched: our acknowledgements touch them too).
       SELECT (SELECT id FROM sender_tickets ORDER BY status <> 'CLOSED' DESC, last_customer_message_at DESC NULLS LAST, created_at DESC LIMIT 1) AS ticket_id,
              (SELECT count(*)::int FROM sender_tickets st JOIN messages m ON m.tenant_id = $1 AND m.ticket_id = st.id
                WHERE m.channel = 'EMAIL' AND m.author_type = 'CUSTOMER' AND m.created_at > now() - interval '1 hour') AS last_hour`,
        [tenantId, sender],
      ),
    );
    if (!row?.ticket_id || row.last_hour < this.config.EMAIL_SENDER_CAP_PER_HOUR) return null;
    this.logger.warn({ tenantId, lastHour: row.last_hour, ticketId: row.ticket_id }, 'Sender over the per-hour cap: mail joins their latest ticket');
    return row.ticket_id;
  }
}

function headerText(parsed: ParsedMail, name: string): string | undefined {
  const value = parsed.headers.get(name);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  // Address headers come parsed ({ text, value: [...] }), structured ones as { value, params }.
  if (typeof value === 'object' && 'text' in value) return String((value as { text: unknown }).text);
  if (typeof value === 'object' && 'value' in value) return String((value as { value: unknown }).value);
  return String(value);
}
