import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { convert as htmlToText } from 'html-to-text';
import { simpleParser, ParsedMail } from 'mailparser';
import { PinoLogger } from 'nestjs-pino';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { v5 as uuidv5 } from 'uuid';
import { AppConfig } from '../../common/config/app-config';
import type { JsonObject, RequestContext } from '../../common/request-context';
import { detectLanguage, formatForCustomer } from '../../common/text/arabic-text';
import { isOpenAt } from '../../sla/business-hours';
import { SlaSettingsService } from '../../sla/sla-settings.service';
import { firstResponseDue } from '../../sla/sla-state';
import { AuthorType, Channel } from '../../tickets/ticket-enums';
import { TicketsService } from '../../tickets/tickets.service';
import { automatedMailReason } from './automated-mail';
import { stripQuotedReply, ticketNumberInSubject } from './email-text';
import { AutoAcknowledge, Mailbox } from './entities/mailbox.entity';
import { imapClientFor, imapErrorText } from './imap-client';
import { MailboxesService } from './mailboxes.service';
import { PeriodicTask } from '../../common/periodic-task';
import { inboundContext } from '../inbound-context';

export type IngestOutcome = 'CREATED' | 'REPLY' | 'DUPLICATE' | 'IGNORED';

const FETCH_CHUNK = 25;
/** Above this many new conversations from one sender in the window, mail joins their open ticket and gets no acknowledgement. */
const SENDER_CAP = { messages: 10, windowMs: 10 * 60_000 };
const ATTACHMENT_NAMESPACE = '3f0d8c52-7a11-4f8e-9b0e-6c1d2a7e5b44';

/**
 * Reads each store's mailboxes over IMAP and turns mail into tickets and replies. Nothing lost,
 * nothing twice: a message is flagged \Seen and the UID checkpoint advanced only after its ticket
 * is committed; a crash in between replays it, and the Message-ID (or a content hash) finds the
 * message already stored. One instance polls a mailbox at a time (advisory lock).
 */
@Injectable()
export class EmailIngestService implements OnModuleInit, OnApplicationShutdown {
  private readonly task = new PeriodicTask(
    () => this.pollAll(),
    (error) => this.logger.error({ err: error }, 'Mailbox polling failed'),
  );
  private readonly recentBySender = new Map<string, number[]>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly mailboxes: MailboxesService,
    private readonly tickets: TicketsService,
    private readonly sla: SlaSettingsService,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(EmailIngestService.name);
  }

  onModuleInit() {
    this.task.start(this.config.EMAIL_POLL_INTERVAL_SECONDS);
  }

  onApplicationShutdown() {
    return this.task.stop();
  }

  /** Polls every active mailbox of every store once. */
  async pollAll(): Promise<void> {
    const active: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM mailboxes WHERE active ORDER BY last_polled_at NULLS FIRST`);
    for (const { id } of active) await this.poll(id);
  }

  /** One pass over a mailbox's new mail; returns what happened to each message (nothing if another instance holds it). */
  async poll(mailboxId: string, options: { afterCommit?: (uid: number) => void } = {}): Promise<IngestOutcome[]> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = await runner.query(`SELECT pg_try_advisory_lock(hashtext('mailbox:' || $1)) AS locked`, [mailboxId]);
      if (!locked) return [];
      try {
        return await this.pollLocked(mailboxId, options);
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtext('mailbox:' || $1))`, [mailboxId]);
      }
    } finally {
      await runner.release();
    }
  }

  private async pollLocked(mailboxId: string, options: { afterCommit?: (uid: number) => void }): Promise<IngestOutcome[]> {
    const mailbox = await this.dataSource.getRepository(Mailbox).findOneBy({ id: mailboxId });
    if (!mailbox?.active) return [];
    const client = imapClientFor(mailbox, this.mailboxes.secretsOf(mailbox).imap);
    const outcomes: IngestOutcome[] = [];
    try {
      await client.connect();
      const lock = await client.getMailboxLock(mailbox.folder);
      try {
        const opened = client.mailbox;
        const uidValidity = opened ? String(opened.uidValidity) : null;
        let lastUid = Number(mailbox.lastUid);
        if (uidValidity !== mailbox.uidValidity) {
          // A new UIDVALIDITY renumbers the folder: start over; Message-IDs keep what is stored from repeating.
          lastUid = 0;
          await this.dataSource.query(`UPDATE mailboxes SET uid_validity = $2, last_uid = 0 WHERE id = $1`, [mailbox.id, uidValidity]);
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
            const outcome = source ? await this.ingest(mailbox, source) : 'IGNORED';
            outcomes.push(outcome);
            options.afterCommit?.(uid);
            await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
            await this.dataSource.query(
              `UPDATE mailboxes SET last_uid = $2, ingested_count = ingested_count + $3, ignored_count = ignored_count + $4 WHERE id = $1`,
              [mailbox.id, uid, outcome === 'CREATED' || outcome === 'REPLY' ? 1 : 0, outcome === 'IGNORED' ? 1 : 0],
            );
          }
        }
      } finally {
        lock.release();
      }
      await client.logout();
      await this.dataSource.query(`UPDATE mailboxes SET last_polled_at = now(), last_error = NULL WHERE id = $1`, [mailbox.id]);
    } catch (error) {
      client.close();
      const reason = imapErrorText(error, mailbox);
      await this.dataSource.query(`UPDATE mailboxes SET last_polled_at = now(), last_error = $2 WHERE id = $1`, [mailbox.id, reason.slice(0, 500)]);
      this.logger.warn({ mailboxId: mailbox.id, err: error }, 'Mailbox poll stopped');
      if (options.afterCommit) throw error; // tests want to see it
    }
    return outcomes;
  }

  /** One raw RFC 5322 message into the store's tickets. */
  async ingest(mailbox: Mailbox, source: Buffer): Promise<IngestOutcome> {
    const parsed = await simpleParser(source, { skipImageLinks: true });
    const from = parsed.from?.value[0];
    const headers = { get: (name: string) => headerText(parsed, name) };
    const reason = automatedMailReason(headers, from?.address);
    if (reason || !from?.address) {
      this.logger.info({ mailboxId: mailbox.id, reason: reason ?? 'no sender' }, 'Mail left alone');
      return 'IGNORED';
    }
    const ctx = await inboundContext(this.dataSource, mailbox.tenantId);
    const messageId = parsed.messageId ?? `<${createHash('sha256').update(source).digest('hex')}@content-hash.rida>`;

    const stored = await this.storedMessageId(mailbox.tenantId, messageId);
    if (stored) {
      await this.storeAttachments(mailbox, stored, messageId, parsed); // a replay after a crash may have missed them
      return 'DUPLICATE';
    }
    const text = parsed.text?.trim() ? parsed.text : parsed.html ? htmlToText(parsed.html, { wordwrap: false, selectors: [{ selector: 'img', format: 'skip' }] }) : '';
    const body = stripQuotedReply(text) || (parsed.attachments.length ? '(مرفقات)' : '(رسالة فارغة)');
    const ticketId = await this.threadOf(mailbox.tenantId, parsed, from.address);
    let outcome: IngestOutcome;
    let created = false;
    let ticket;
    if (ticketId) {
      ({ ticket } = await this.tickets.addMessage(ctx, {
        ticketId,
        body,
        authorType: AuthorType.CUSTOMER,
        authorName: from.name || undefined,
        internal: false,
        channel: Channel.EMAIL,
        externalId: messageId,
      }));
      outcome = 'REPLY';
    } else {
      const flooding = this.overSenderCap(`${mailbox.id}:${from.address.toLowerCase()}`);
      ({ ticket, created } = await this.tickets.create(ctx, {
        subject: (parsed.subject ?? '').trim() || '(بدون عنوان)',
        body,
        channel: Channel.EMAIL,
        customer: { email: from.address, name: from.name || undefined },
        externalMessageId: messageId,
        joinOpenTicket: flooding,
      }));
      outcome = created ? 'CREATED' : 'REPLY';
      if (created && !flooding) await this.acknowledge(ctx, mailbox, ticket.id, ticket.number, body, ticket.sla);
    }
    const messageRowId = (await this.storedMessageId(mailbox.tenantId, messageId))!;
    await this.dataSource.query(`UPDATE messages SET mailbox_id = $3 WHERE tenant_id = $1 AND id = $2`, [mailbox.tenantId, messageRowId, mailbox.id]);
    await this.storeAttachments(mailbox, messageRowId, messageId, parsed);
    return outcome;
  }

  /** The row of an email already stored under this Message-ID. */
  private async storedMessageId(tenantId: string, messageId: string): Promise<string | undefined> {
    const [row] = await this.dataSource.query(`SELECT id FROM messages WHERE tenant_id = $1 AND channel = 'EMAIL' AND external_id = $2`, [tenantId, messageId]);
    return row?.id;
  }

  /** The ticket a reply belongs to: by In-Reply-To/References, else by a [#number] of the sender's own ticket. */
  private async threadOf(tenantId: string, parsed: ParsedMail, sender: string): Promise<string | null> {
    const references = [parsed.inReplyTo, ...[parsed.references ?? []].flat()].filter((r): r is string => Boolean(r));
    if (references.length) {
      const [row] = await this.dataSource.query(
        `SELECT ticket_id FROM messages WHERE tenant_id = $1 AND channel = 'EMAIL' AND external_id = ANY($2) ORDER BY created_at DESC LIMIT 1`,
        [tenantId, references],
      );
      if (row) return row.ticket_id;
    }
    const number = ticketNumberInSubject(parsed.subject);
    if (number === null) return null;
    // Only the ticket's own customer can reply into it by number (numbers are guessable).
    const [row] = await this.dataSource.query(
      `SELECT t.id FROM tickets t JOIN customer_identities ci ON ci.tenant_id = t.tenant_id AND ci.customer_id = t.customer_id
        WHERE t.tenant_id = $1 AND t.number = $2 AND ci.kind = 'EMAIL' AND ci.value = lower($3)`,
      [tenantId, number, sender],
    );
    return row?.id ?? null;
  }

  private async storeAttachments(mailbox: Mailbox, messageRowId: string, messageId: string, parsed: ParsedMail) {
    for (const [index, attachment] of parsed.attachments.entries()) {
      const keep = attachment.size <= this.config.EMAIL_MAX_ATTACHMENT_BYTES;
      await this.dataSource.query(
        `INSERT INTO message_attachments (tenant_id, id, message_id, filename, content_type, size_bytes, content_id, content)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
        [
          mailbox.tenantId,
          uuidv5(`${mailbox.tenantId}:${messageId}:${index}`, ATTACHMENT_NAMESPACE),
          messageRowId,
          attachment.filename ?? null,
          attachment.contentType,
          attachment.size,
          attachment.cid ?? null,
          keep ? attachment.content : null,
        ],
      );
    }
  }

  /** "We received your message #n; expect a reply by …", in the customer's language, when the mailbox asks for it. */
  private async acknowledge(ctx: RequestContext, mailbox: Mailbox, ticketId: string, number: number, body: string, sla: JsonObject | null) {
    if (mailbox.autoAcknowledge === AutoAcknowledge.OFF) return;
    const { calendar } = await this.sla.readSettings(ctx);
    if (mailbox.autoAcknowledge === AutoAcknowledge.OUT_OF_HOURS && isOpenAt(new Date(), calendar)) return;
    const due = firstResponseDue(sla);
    const language = detectLanguage(body);
    const arabic = language === 'ar';
    const when = due ? formatForCustomer(due, language, calendar.timeZone) : null;
    const text = arabic
      ? `شكراً لتواصلك مع ${mailbox.name}. استلمنا رسالتك برقم #${number}${when ? ` وسنرد عليك قبل ${when}` : ' وسنرد عليك في أقرب وقت'}.`
      : `Thank you for contacting ${mailbox.name}. We received your message as #${number}${when ? ` and will reply by ${when}` : ' and will reply as soon as we can'}.`;
    await this.tickets.addMessage(ctx, { ticketId, body: text, authorType: AuthorType.SYSTEM, authorName: mailbox.name, internal: false, channel: Channel.EMAIL });
  }

  private overSenderCap(key: string): boolean {
    const now = Date.now();
    const recent = (this.recentBySender.get(key) ?? []).filter((t) => now - t < SENDER_CAP.windowMs);
    recent.push(now);
    this.recentBySender.set(key, recent);
    return recent.length > SENDER_CAP.messages;
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
