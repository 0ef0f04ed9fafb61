import { Injectable, OnModuleInit } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { EntityManager, IsNull, MoreThan } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AppConfig } from '../common/config/app-config';
import { AllStores } from '../common/database/all-stores';
import { TenantScope, TenantTransactions, tenantOf } from '../common/database/tenant-transactions';
import { DomainError, notFound } from '../common/errors/domain-error';
import { RequestContext, systemContext } from '../common/request-context';
import { insertTicketEvents } from '../tickets/ticket-events';
import { Ticket } from '../tickets/entities/ticket.entity';
import { AuthorType, TicketEventType, TicketStatus } from '../tickets/ticket-enums';
import { TicketChange, TicketListeners } from '../tickets/ticket-listeners';
import { TicketsService, TicketSteps } from '../tickets/tickets.service';
import { CsatAnswerInput } from './dto/csat.types';
import { CsatSurvey } from './entities/csat-survey.entity';

export const SURVEY_LIFETIME_DAYS = 7;
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
      .values({ tenantId, id: surveyId, ticketId, customerId, expiresAt: new Date(Date.now() + SURVEY_LIFETIME_DAYS * 86_400_000) })
      .orIgnore()
      .execute();
    await manager.update(Ticket, { tenantId, id: ticketId }, { csatSent: true });
  }

  tokenFor(surveyId: string): string {
    return `${surveyId}.${this.signature(surveyId)}`;
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
