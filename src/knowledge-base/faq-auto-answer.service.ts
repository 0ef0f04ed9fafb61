import { Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { Statement } from '../common/database/batch';
import { TenantTransactions } from '../common/database/tenant-transactions';
import { checkReportPeriod } from '../common/period';
import { JobQueue } from '../common/jobs/job-queue';
import { RequestContext, storeSystemContext, systemContext } from '../common/request-context';
import { detectLanguage, formatForCustomer } from '../common/text/arabic-text';
import { RoutingService } from '../routing/routing.service';
import { ContentLocale } from '../tickets/canned-replies/canned-reply.entity';
import { Ticket } from '../tickets/entities/ticket.entity';
import { AuthorType, CustomerTier, TicketEventType, TicketPriority, TicketStatus } from '../tickets/ticket-enums';
import { insertTicketEvents } from '../tickets/ticket-events';
import { NewTicketDetails, PendingMessage, TicketChange, TicketListener, TicketListeners } from '../tickets/ticket-listeners';
import { TicketsService } from '../tickets/tickets.service';
import { readFeedback } from './article-match';
import { FaqDeflectionFilter } from './dto/article.input';
import { ArticleMatch, FaqDeflection } from './dto/article.types';
import { FaqAnswer, FaqOutcome } from './entities/faq-answer.entity';
import { ArticleStatus } from './entities/kb-article.entity';
import { AUTO_ANSWER_CHANNELS, KnowledgeBaseService } from './knowledge-base.service';

const ANSWER_QUEUE = 'faq-auto-answer';
const FEEDBACK_QUEUE = 'faq-feedback';
export const SELF_SERVED_TAG = 'self-served';
const BOT_NAME = { ar: 'المساعد الآلي', en: 'Assistant' };

interface AnswerJob {
  tenantId: string;
  ticketId: string;
}

interface FeedbackJob {
  tenantId: string;
  ticketId: string;
  outcome: FaqOutcome.HELPED | FaqOutcome.NOT_HELPED;
  locale: ContentLocale;
}

/** Nobody has answered the customer yet and the ticket is still open: the bot may still speak. */
function withTheBot(ticket: Ticket): boolean {
  return ticket.publicAgentReplyCount === 0 && [TicketStatus.NEW, TicketStatus.OPEN].includes(ticket.status);
}

/** What the customer reads: the article's answer, its link, and the question the next message answers. */
export function composeAnswer(match: ArticleMatch, link: string | null, locale: ContentLocale): string {
  const { article } = match;
  const ask = locale === ContentLocale.AR ? 'هل أفادتك هذه الإجابة؟ ردّ بـ «نعم» أو «لا».' : 'Did this answer your question? Reply "yes" or "no".';
  const more = link ? (locale === ContentLocale.AR ? `التفاصيل: ${link}` : `More: ${link}`) : null;
  return [article.title, article.summary, more, ask].filter(Boolean).join('\n\n');
}

function composeFollowUp(outcome: FeedbackJob['outcome'], locale: ContentLocale, expectedReplyAt: string | null): string {
  if (outcome === FaqOutcome.HELPED) {
    return locale === ContentLocale.AR ? 'يسعدنا أننا أفدناك! إذا احتجت أي شيء آخر راسلنا هنا.' : 'Glad it helped! Write here if you need anything else.';
  }
  if (locale === ContentLocale.AR) return `شكرًا لك، حوّلنا محادثتك إلى أحد موظفينا${expectedReplyAt ? ` وسيرد عليك قبل ${expectedReplyAt}` : ' وسيرد عليك قريبًا'}.`;
  return `Thank you — a member of our team will reply${expectedReplyAt ? ` by ${expectedReplyAt}` : ' shortly'}.`;
}

/**
 * The seeds' chatbot for repeated questions, done conservatively: the first message of a chat or
 * WhatsApp conversation that a published article answers with enough confidence gets the
 * article's summary and link and "did this help?". "Yes" solves the ticket as self-served; any
 * other reply leaves it with the agents. The ticket is routed and its SLA clock runs from the
 * customer's first message all along — the bot's message is not a first response and never
 * holds a ticket back from agents. Never for VIP customers or urgent/angry messages.
 */
@Injectable()
export class FaqAutoAnswerService implements TicketListener, OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly db: TenantTransactions,
    private readonly jobs: JobQueue,
    private readonly listeners: TicketListeners,
    private readonly tickets: TicketsService,
    private readonly kb: KnowledgeBaseService,
    private readonly routing: RoutingService,
  ) {}

  onModuleInit() {
    this.listeners.register(this, 'faq-auto-answer');
  }

  async onApplicationBootstrap() {
    await this.jobs.queue(ANSWER_QUEUE, { retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 60 });
    await this.jobs.queue(FEEDBACK_QUEUE, { retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 60 });
    await this.jobs.work<AnswerJob>(ANSWER_QUEUE, (job) => this.answer(job.data), { pollingIntervalSeconds: 0.5 });
    await this.jobs.work<FeedbackJob>(FEEDBACK_QUEUE, (job) => this.followUp(job.data), { pollingIntervalSeconds: 0.5 });
  }

  /** A new conversation on an auto-answer channel, not VIP, not urgent: matched after commit, by a job (the webhook answers at once). */
  async fieldsForNewTicket(manager: EntityManager, ctx: RequestContext, ticket: Ticket, details: NewTicketDetails) {
    if (!AUTO_ANSWER_CHANNELS.includes(ticket.channel) || details.customerTier === CustomerTier.VIP || ticket.priority === TicketPriority.URGENT) return {};
    const settings = await this.kb.settingsIn(manager, ctx.tenantId);
    if (!settings.autoAnswerChannels.includes(ticket.channel)) return {};
    if (await this.routing.urgentWording(manager, ctx, `${ticket.subject} ${details.body}`)) return {};
    await this.jobs.send<AnswerJob>(manager, ANSWER_QUEUE, { tenantId: ctx.tenantId, ticketId: ticket.id });
    return {};
  }

  /**
   * The customer's next message after an automatic answer is the answer to "did this help?"; an
   * agent's first public reply before it ends the wait (the agent has taken over).
   */
  async afterChange(manager: EntityManager, ctx: RequestContext, change: TicketChange): Promise<Partial<Ticket>> {
    const { message, ticket } = change;
    const ends = message && waitEndedBy(ticket, message);
    if (!message || !ends) return {};
    const fromCustomer = ends === 'CUSTOMER_ANSWERED';
    const pendingAnswer = this.pendingAnswerStatement(ctx.tenantId, ticket.id);
    const [pending] = (change.reads?.get(this) ?? (await manager.query(pendingAnswer.sql, [...pendingAnswer.parameters]))) as Array<{ id: string; article_id: string | null }>;
    if (!pending) return {};
    let outcome = FaqOutcome.HANDED_OVER;
    let locale = ContentLocale.AR;
    if (fromCustomer) {
      const [{ body }]: Array<{ body: string }> = await manager.query(`SELECT body FROM messages WHERE tenant_id = $1 AND id = $2`, [ctx.tenantId, message.id]);
      const feedback = readFeedback(body);
      outcome = feedback === 'YES' ? FaqOutcome.HELPED : feedback === 'NO' ? FaqOutcome.NOT_HELPED : FaqOutcome.HANDED_OVER;
      locale = detectLanguage(body) as ContentLocale;
    }
    await manager.update(FaqAnswer, { tenantId: ctx.tenantId, id: pending.id }, { outcome, answeredAt: message.at });
    await insertTicketEvents(manager, ctx.actor, [
      { tenantId: ctx.tenantId, ticketId: ticket.id, type: TicketEventType.FAQ_FEEDBACK, data: { outcome, articleId: pending.article_id, messageId: message.id } },
    ]);
    if (outcome === FaqOutcome.HANDED_OVER) return {};
    if (pending.article_id) await this.kb.countVote(manager, ctx.tenantId, pending.article_id, outcome === FaqOutcome.HELPED);
    await this.jobs.send<FeedbackJob>(manager, FEEDBACK_QUEUE, { tenantId: ctx.tenantId, ticketId: ticket.id, outcome, locale });
    return {};
  }

  /** The pending answer's read, sent with the message that may end its wait. */
  readWithMessage(ctx: RequestContext, ticket: Ticket, message: PendingMessage): Statement | undefined {
    return waitEndedBy(ticket, message) ? this.pendingAnswerStatement(ctx.tenantId, ticket.id) : undefined;
  }

  private pendingAnswerStatement(tenantId: string, ticketId: string) {
    return { sql: `SELECT id, article_id FROM faq_answers WHERE tenant_id = $1 AND ticket_id = $2 AND outcome = 'PENDING'`, parameters: [tenantId, ticketId] as const };
  }

  /** Matches the first message and sends the answer with its record, in one transaction; a retry after that finds the record and stops. */
  private async answer({ tenantId, ticketId }: AnswerJob): Promise<void> {
    const found = await this.db.read(tenantId, async (m) => {
      const ticket = await m.findOneBy(Ticket, { tenantId, id: ticketId });
      if (!ticket || !withTheBot(ticket)) return null;
      if (await m.existsBy(FaqAnswer, { tenantId, ticketId })) return null;
      const [first]: Array<{ body: string }> = await m.query(`SELECT body FROM messages WHERE tenant_id = $1 AND ticket_id = $2 AND author_type = 'CUSTOMER' ORDER BY created_at LIMIT 1`, [
        tenantId,
        ticketId,
      ]);
      const text = `${ticket.subject} ${first?.body ?? ''}`;
      const locale = detectLanguage(first?.body ?? ticket.subject) as ContentLocale;
      const settings = await this.kb.settingsIn(m, tenantId);
      const [best] = await this.kb.searchIn(m, tenantId, text, { status: ArticleStatus.PUBLISHED, locale }, 1);
      if (!best || best.confidence < settings.autoAnswerMinConfidence) return null;
      return { ticket, best, locale, link: settings.helpCentreUrl ? `${settings.helpCentreUrl}/${encodeURIComponent(best.article.slug)}` : null };
    });
    if (!found) return;
    const { ticket, best, locale, link } = found;
    const ctx = systemContext(tenantId);
    await this.tickets.addMessage(ctx, { ticketId, body: composeAnswer(best, link, locale), authorType: AuthorType.BOT, authorName: BOT_NAME[locale], internal: false }, {}, async (m, { message }) => {
      await m.insert(FaqAnswer, {
        tenantId,
        id: uuidv7(),
        ticketId,
        articleId: best.article.id,
        channel: ticket.channel,
        confidence: best.confidence,
        messageId: message.id,
        outcome: FaqOutcome.PENDING,
        answeredAt: null,
      });
      await insertTicketEvents(m, ctx.actor, [
        { tenantId, ticketId, type: TicketEventType.FAQ_ANSWERED, data: { articleId: best.article.id, slug: best.article.slug, confidence: best.confidence, messageId: message.id } },
      ]);
    });
  }

  /** "Yes": thank the customer and solve as self-served. "No": tell them an agent will answer, and by when. */
  private async followUp({ tenantId, ticketId, outcome, locale }: FeedbackJob): Promise<void> {
    const ctx = systemContext(tenantId);
    const { ticket, store } = await this.db.read(tenantId, async (m) => ({
      ticket: await m.findOneBy(Ticket, { tenantId, id: ticketId }),
      store: await storeSystemContext((sql, parameters) => m.query(sql, parameters), tenantId),
    }));
    // Already solved (a retry), or an agent took over meanwhile: nothing to add.
    if (!ticket || !store || !withTheBot(ticket)) return;
    const expected = ticket.slaDueAt ? formatForCustomer(ticket.slaDueAt, locale, store.tenantTimezone) : null;
    await this.tickets.addMessage(ctx, { ticketId, body: composeFollowUp(outcome, locale, expected), authorType: AuthorType.BOT, authorName: BOT_NAME[locale], internal: false });
    if (outcome === FaqOutcome.HELPED) {
      await this.tickets.update(ctx, ticketId, { status: TicketStatus.SOLVED, tags: [...ticket.tags, SELF_SERVED_TAG] });
    }
  }

  async deflection(ctx: RequestContext, filter: FaqDeflectionFilter): Promise<FaqDeflection> {
    checkReportPeriod(filter);
    const [row]: Array<Omit<FaqDeflection, 'deflectionRate'>> = await this.db.read(ctx, (m) =>
      m.query(
        `SELECT count(*)::int AS answered,
                count(*) FILTER (WHERE outcome = 'HELPED')::int AS helped,
                count(*) FILTER (WHERE outcome = 'NOT_HELPED')::int AS "notHelped",
                count(*) FILTER (WHERE outcome = 'HANDED_OVER')::int AS "handedOver",
                count(*) FILTER (WHERE outcome = 'PENDING')::int AS pending
           FROM faq_answers
          WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3 AND ($4::text IS NULL OR channel = $4)`,
        [ctx.tenantId, filter.from, filter.to, filter.channel ?? null],
      ),
    );
    return { ...row, deflectionRate: row.answered ? Math.round((row.helped / row.answered) * 10_000) / 10_000 : null };
  }
}

/**
 * Whether a message may end the wait for "did this help?" on a ticket (counts as the message
 * leaves them): the customer's next message before any agent reply answers it; an agent's first
 * public reply takes over.
 */
function waitEndedBy(ticket: Pick<Ticket, 'channel' | 'publicAgentReplyCount'>, message: PendingMessage): 'CUSTOMER_ANSWERED' | 'AGENT_TOOK_OVER' | undefined {
  if (message.internal || !AUTO_ANSWER_CHANNELS.includes(ticket.channel)) return undefined;
  if (message.authorType === AuthorType.CUSTOMER && ticket.publicAgentReplyCount === 0) return 'CUSTOMER_ANSWERED';
  if (message.authorType === AuthorType.AGENT && ticket.publicAgentReplyCount === 1) return 'AGENT_TOOK_OVER';
  return undefined;
}
