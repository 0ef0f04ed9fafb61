import { Injectable, OnModuleInit } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { EntityManager, IsNull, MoreThan } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AppConfig, publicUrlOf } from '../common/config/app-config';
import { AllStores } from '../common/database/all-stores';
import { TenantScope, TenantTransactions, tenantOf } from '../common/database/tenant-transactions';
import { DomainError, notFound } from '../common/errors/domain-error';
import { RequestContext, systemContext } from '../common/request-context';
import { insertTicketEvents, markTicketsChanged } from '../tickets/ticket-events';
import { Ticket } from '../tickets/entities/ticket.entity';
import { AuthorType, TicketEventType, TicketStatus } from '../tickets/ticket-enums';
import { TicketChange, TicketListeners } from '../tickets/ticket-listeners';
import { TicketsService, TicketSteps } from '../tickets/tickets.service';
import { detectLanguage } from '../common/text/arabic-text';
import { CsatAnswerInput, CsatSurveyInfo } from './dto/csat.types';
import { CsatSurvey } from './entities/csat-survey.entity';

export const SURVEY_LIFETIME_DAYS = 7;
/** After the rating, the customer may still add a comment and the 0–10 answer for this long. */
export const SURVEY_DETAILS_HOURS = 24;

/** What the survey page shows, and in which state the survey is. */
export interface SurveyPageFacts {
  state: 'OPEN' | 'ANSWERED' | 'EXPIRED';
  ticketNumber: number;
  subject: string;
  storeName: string;
  logoUrl: string | null;
  accentColor: string | null;
  /** The conversation's language: the customer's first message's (Arabic by default). */
  language: 'ar' | 'en';
  rating: number | null;
  /** The comment and 0–10 answer can still be added (answered within SURVEY_DETAILS_HOURS, neither given yet). */
  detailsOpen: boolean;
}
export const LOW_SCORE_TAG = 'csat-low';

/**
 * Satisfaction surveys: one per solve, answered once within 7 days through a public link. The
 * answer token is the survey id signed with an HMAC, so nothing secret is stored and a token for
 * one survey says nothing about another. A low score (1–2) flags the ticket for follow-up.
 */
@Injectable()
export class CsatService implements OnModuleInit {
  constructor(
    private readonly listeners: TicketListeners,
    private readonly tickets: TicketsService,
    private readonly allStores: AllStores,
    private readonly db: TenantTransactions,
    private readonly config: AppConfig,
  ) {}

  onModuleInit() {
    this.listeners.register(this, 'csat');
  }

  async afterChange(manager: EntityManager, ctx: RequestContext, change: TicketChange) {
    if (change.statusChange?.to !== TicketStatus.SOLVED) return {};
    const pending = await manager.existsBy(CsatSurvey, { tenantId: ctx.tenantId, ticketId: change.ticket.id, answeredAt: IsNull(), expiresAt: MoreThan(new Date()) });
    if (!pending) {
      await manager.insert(CsatSurvey, {
        tenantId: ctx.tenantId,
        id: uuidv7(),
        ticketId: change.ticket.id,
        customerId: change.ticket.customerId,
        expiresAt: new Date(Date.now() + SURVEY_LIFETIME_DAYS * 86_400_000),
      });
      // KPIs count the latest survey of each ticket: a new one is unanswered.
      await manager.update(Ticket, { tenantId: ctx.tenantId, id: change.ticket.id }, { csatSent: true, csatRating: null });
      markTicketsChanged(manager, ctx.tenantId, [change.ticket.id]);
      return { csatSent: true, csatRating: null };
    }
    return {};
  }

  /**
   * A survey on a ticket opened for it (7 days after delivery): the id is chosen by the caller,
   * so it can put the link in the message first, and issuing twice is harmless.
   */
  async issue(manager: EntityManager, tenantId: string, surveyId: string, ticketId: string, customerId: string): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(CsatSurvey)
      // Its message is the one that opened the ticket: no other survey message for this ticket.
      .values({ tenantId, id: surveyId, ticketId, customerId, expiresAt: new Date(Date.now() + SURVEY_LIFETIME_DAYS * 86_400_000), messageSentAt: new Date() })
      .orIgnore()
      .execute();
    await manager.update(Ticket, { tenantId, id: ticketId }, { csatSent: true });
    markTicketsChanged(manager, tenantId, [ticketId]);
  }

  tokenFor(surveyId: string): string {
    return `${surveyId}.${this.signature(surveyId)}`;
  }

  /** The survey page's address, as it goes into messages to the customer. */
  linkFor(surveyId: string): string {
    return `${publicUrlOf(this.config)}/survey/${this.tokenFor(surveyId)}`;
  }

  /** The language of a conversation, by its customer's first message (Arabic when there is none). */
  async conversationLanguage(manager: EntityManager, tenantId: string, ticketId: string): Promise<'ar' | 'en'> {
    const [first]: Array<{ body: string }> = await manager.query(`SELECT body FROM messages WHERE tenant_id = $1 AND ticket_id = $2 AND author_type = 'CUSTOMER' ORDER BY created_at LIMIT 1`, [
      tenantId,
      ticketId,
    ]);
    return first ? detectLanguage(first.body) : 'ar';
  }

  /** Everything the survey page needs, in one read; an unknown or forged token is NOT_FOUND. */
  async pageFacts(token: string): Promise<SurveyPageFacts> {
    const survey = await this.surveyOf(token);
    return this.db.read(survey.tenantId, async (m) => {
      // The store's logo and accent colour are store settings (src/channels/store-events owns the
      // table); read here by SQL so that metrics does not depend on channels.
      const [row]: Array<{ number: number; subject: string; name: string; logo: string | null; accent: string | null }> = await m.query(
        `SELECT t.number, t.subject, n.name, s.survey_logo_url AS logo, s.survey_accent_color AS accent
           FROM tickets t JOIN tenants n ON n.id = t.tenant_id LEFT JOIN store_settings s ON s.tenant_id = t.tenant_id
          WHERE t.tenant_id = $1 AND t.id = $2`,
        [survey.tenantId, survey.ticketId],
      );
      const answered = Boolean(survey.answeredAt);
      return {
        state: answered ? 'ANSWERED' : survey.expiresAt <= new Date() ? 'EXPIRED' : 'OPEN',
        ticketNumber: row.number,
        subject: row.subject,
        storeName: row.name,
        logoUrl: row.logo,
        accentColor: row.accent,
        language: await this.conversationLanguage(m, survey.tenantId, survey.ticketId),
        rating: survey.rating,
        detailsOpen: answered && survey.comment === null && survey.nps === null && survey.answeredAt!.getTime() > Date.now() - SURVEY_DETAILS_HOURS * 3_600_000,
      };
    });
  }

  /**
   * The comment and 0–10 answer given after the rating (the page records the rating with one tap,
   * then asks for these): once, within SURVEY_DETAILS_HOURS of the rating.
   */
  async addDetails(token: string, { comment, nps }: { comment?: string | null; nps?: number | null }): Promise<void> {
    const survey = await this.surveyOf(token);
    await this.db.run(systemContext(survey.tenantId), async (manager) => {
      const [rows] = await manager.query(
        `UPDATE csat_surveys SET comment = $3, nps = $4
          WHERE tenant_id = $1 AND id = $2 AND answered_at IS NOT NULL AND answered_at > now() - make_interval(hours => $5) AND comment IS NULL AND nps IS NULL
          RETURNING id`,
        [survey.tenantId, survey.id, comment || null, nps ?? null, SURVEY_DETAILS_HOURS],
      );
      if (rows.length === 0) throw new DomainError('CONFLICT', survey.answeredAt ? 'This survey is complete, thank you' : 'Rate first, then add a comment');
      if (nps !== undefined && nps !== null) {
        // The ticket's NPS fact is its latest survey's answer.
        await manager.query(
          `UPDATE tickets SET nps_score = $3 WHERE tenant_id = $1 AND id = $2
              AND NOT EXISTS (SELECT 1 FROM csat_surveys s WHERE s.tenant_id = $1 AND s.ticket_id = $2 AND s.created_at > $4)`,
          [survey.tenantId, survey.ticketId, nps, survey.createdAt],
        );
        markTicketsChanged(manager, survey.tenantId, [survey.ticketId]);
      }
      await insertTicketEvents(manager, { type: 'CUSTOMER', id: survey.customerId }, [
        {
          tenantId: survey.tenantId,
          ticketId: survey.ticketId,
          type: TicketEventType.CSAT_RECEIVED,
          data: { surveyId: survey.id, rating: survey.rating, details: true, ...(comment ? { comment } : {}), ...(nps !== undefined && nps !== null ? { nps } : {}) },
        },
      ]);
    });
  }

  /** A survey of the store as staff see it (Ticket.csatSurvey), with its answer token; null when there is none. */
  async get(ctx: RequestContext, id: string): Promise<CsatSurveyInfo | null> {
    const survey = await this.db.read(ctx, (m) => m.findOneBy(CsatSurvey, { tenantId: ctx.tenantId, id }));
    return survey && this.infoOf(survey);
  }

  infoOf(survey: CsatSurvey): CsatSurveyInfo {
    return { ...survey, answerToken: this.tokenFor(survey.id) };
  }

  /** The latest survey of each ticket. */
  latestFor(scope: TenantScope, ticketIds: readonly string[]): Promise<CsatSurvey[]> {
    const tenantId = tenantOf(scope);
    return this.db.read(scope, (m) =>
      m.query(
        `SELECT DISTINCT ON (ticket_id) tenant_id AS "tenantId", id, ticket_id AS "ticketId", customer_id AS "customerId", created_at AS "createdAt",
              expires_at AS "expiresAt", answered_at AS "answeredAt", rating, comment, nps
         FROM csat_surveys WHERE tenant_id = $1 AND ticket_id = ANY($2) ORDER BY ticket_id, created_at DESC`,
        [tenantId, ticketIds],
      ),
    );
  }

  /** What the public survey page shows. */
  async describe(token: string): Promise<{ ticketNumber: number; storeName: string; answered: boolean; expired: boolean }> {
    const survey = await this.surveyOf(token);
    const [row] = await this.db.read(survey.tenantId, (m) =>
      m.query(`SELECT t.number, n.name FROM tickets t JOIN tenants n ON n.id = t.tenant_id WHERE t.tenant_id = $1 AND t.id = $2`, [survey.tenantId, survey.ticketId]),
    );
    return { ticketNumber: row.number, storeName: row.name, answered: Boolean(survey.answeredAt), expired: survey.expiresAt <= new Date() };
  }

  /** Records the one answer; a low score flags the ticket for a follow-up in the same transaction. */
  async answer(token: string, { rating, comment, nps }: CsatAnswerInput): Promise<void> {
    const survey = await this.surveyOf(token);
    await this.tickets.inOneTransaction(systemContext(survey.tenantId), async (steps, manager) => {
      const [rows] = await manager.query(
        `UPDATE csat_surveys SET answered_at = now(), rating = $3, comment = $4, nps = $5
          WHERE tenant_id = $1 AND id = $2 AND answered_at IS NULL AND expires_at > now() RETURNING id`,
        [survey.tenantId, survey.id, rating, comment ?? null, nps ?? null],
      );
      if (rows.length === 0) {
        // Read again: another answer may have committed since the survey was looked up.
        const [{ answered_at: answeredAt }] = await manager.query(`SELECT answered_at FROM csat_surveys WHERE tenant_id = $1 AND id = $2`, [survey.tenantId, survey.id]);
        throw new DomainError('CONFLICT', answeredAt ? 'This survey was already answered, thank you' : 'This survey has expired');
      }
      // The ticket's KPI facts are its latest survey's answers.
      await manager.query(
        `UPDATE tickets SET csat_rating = $3, nps_score = $5 WHERE tenant_id = $1 AND id = $2
            AND NOT EXISTS (SELECT 1 FROM csat_surveys s, csat_surveys answered WHERE answered.tenant_id = $1 AND answered.id = $4
                              AND s.tenant_id = $1 AND s.ticket_id = $2 AND s.created_at > answered.created_at)`,
        [survey.tenantId, survey.ticketId, rating, survey.id, nps ?? null],
      );
      markTicketsChanged(manager, survey.tenantId, [survey.ticketId]);
      await insertTicketEvents(manager, { type: 'CUSTOMER', id: survey.customerId }, [
        {
          tenantId: survey.tenantId,
          ticketId: survey.ticketId,
          type: TicketEventType.CSAT_RECEIVED,
          data: { surveyId: survey.id, rating, ...(comment ? { comment } : {}), ...(nps !== undefined && nps !== null ? { nps } : {}) },
        },
      ]);
      if (rating <= 2) await this.followUp(steps, manager, survey, rating, comment);
    });
  }

  /** A closed ticket cannot change: its low score stays visible in its CSAT_RECEIVED event and the KPIs. */
  private async followUp(steps: TicketSteps, manager: EntityManager, survey: CsatSurvey, rating: number, comment?: string) {
    const ticket = await manager.findOneByOrFail(Ticket, { tenantId: survey.tenantId, id: survey.ticketId });
    if (ticket.status === TicketStatus.CLOSED) return;
    const { ticket: noted } = await steps.addMessage({
      ticketId: ticket.id,
      body: `تقييم منخفض (${rating}/5) — يحتاج متابعة مع العميل.${comment ? ` تعليق العميل: ${comment}` : ''}`,
      authorType: AuthorType.SYSTEM,
      internal: true,
    });
    await steps.update(ticket.id, { tags: [...noted.tags, LOW_SCORE_TAG] });
  }

  private async surveyOf(token: string): Promise<CsatSurvey> {
    const [id, signature] = token.split('.');
    const expected = id ? this.signature(id) : '';
    if (!id || !signature || signature.length !== expected.length || !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) {
      throw notFound('Survey');
    }
    // Across stores: a public link names its survey by the signed id alone; the survey then says its store.
    const [found]: Array<{ tenant_id: string }> = await this.allStores.query(`SELECT tenant_id FROM csat_surveys WHERE id = $1`, [id]);
    const survey = found && (await this.db.read(found.tenant_id, (m) => m.findOneBy(CsatSurvey, { tenantId: found.tenant_id, id })));
    if (!survey) throw notFound('Survey');
    return survey;
  }

  private signature(surveyId: string): string {
    return createHmac('sha256', this.config.JWT_SECRET!).update(`csat:${surveyId}`).digest('base64url');
  }
}
