import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantTransactions } from '../../common/database/tenant-transactions';
import { JobQueue } from '../../common/jobs/job-queue';
import { RequestContext, systemContext } from '../../common/request-context';
import { CsatService } from '../../metrics/csat.service';
import { CsatSurvey } from '../../metrics/entities/csat-survey.entity';
import { Customer } from '../../tickets/entities/customer.entity';
import { Ticket } from '../../tickets/entities/ticket.entity';
import { AuthorType, Channel, TicketStatus } from '../../tickets/ticket-enums';
import { TicketChange, TicketListeners } from '../../tickets/ticket-listeners';
import { TicketsService } from '../../tickets/tickets.service';
import { AutomationKind } from './entities/scheduled-automation.entity';
import { fillPlaceholders } from './order-lifecycle';
import { StoreEventsService } from './store-events.service';
import { surveyChannel, surveySkipReason } from './survey-channel';

const QUEUE = 'csat-after-solve';
/** WhatsApp allows free-form messages only this long after the customer last wrote. */
const WHATSAPP_WINDOW_MS = 24 * 3_600_000;

interface SurveyMessageJob {
  tenantId: string;
  surveyId: string;
}

/**
 * The survey message after a solve: when a ticket is solved, a durable delayed job (pg-boss, the
 * store's `csatAfterSolveMinutes`, default 60) sends the survey's link on the ticket's channel —
 * email, WhatsApp (the store's approved template once the 24-hour window has closed), Instagram,
 * Messenger or X where their window allows, live chat in the widget. The survey row decides: the
 * job sends only if the survey is still unanswered and open, the ticket is still solved (not
 * reopened, closed or merged) and no survey message of the ticket went out before — at most one
 * per ticket, marked in the same transaction as the message.
 */
@Injectable()
export class SurveyMessagesService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(SurveyMessagesService.name);

  constructor(
    private readonly listeners: TicketListeners,
    private readonly db: TenantTransactions,
    private readonly tickets: TicketsService,
    private readonly csat: CsatService,
    private readonly storeEvents: StoreEventsService,
    private readonly jobs: JobQueue,
  ) {}

  onModuleInit() {
    this.listeners.register(this, 'survey-message');
  }

  async onApplicationBootstrap() {
    await this.jobs.queue(QUEUE, { retryLimit: 5, retryDelay: 30, retryBackoff: true });
    await this.jobs.work<SurveyMessageJob>(QUEUE, (job) => this.send(job.data), { pollingIntervalSeconds: 1 });
  }

  /** A solve schedules the message of the survey the csat step just opened (or the one still open). */
  async afterChange(manager: EntityManager, ctx: RequestContext, change: TicketChange) {
    if (change.statusChange?.to !== TicketStatus.SOLVED || surveySkipReason(change.ticket)) return {};
    const settings = await this.storeEvents.settingsIn(manager, ctx.tenantId);
    if (settings.csatAfterSolveMinutes === null) return {};
    const [survey]: Array<{ id: string }> = await manager.query(
      `SELECT s.id FROM csat_surveys s
        WHERE s.tenant_id = $1 AND s.ticket_id = $2 AND s.answered_at IS NULL AND s.expires_at > now()
          AND NOT EXISTS (SELECT 1 FROM csat_surveys o WHERE o.tenant_id = $1 AND o.ticket_id = $2 AND o.message_sent_at IS NOT NULL)
        ORDER BY s.created_at DESC LIMIT 1`,
      [ctx.tenantId, change.ticket.id],
    );
    if (!survey) return {};
    const startAfter = new Date(Date.now() + settings.csatAfterSolveMinutes * 60_000);
    await this.jobs.send<SurveyMessageJob>(manager, QUEUE, { tenantId: ctx.tenantId, surveyId: survey.id }, { startAfter });
    return {};
  }

  /** Runs a due survey message once (see the class comment for what stops it). */
  async send({ tenantId, surveyId }: SurveyMessageJob): Promise<void> {
    const loaded = await this.db.run(tenantId, async (m) => {
      const survey = await m.findOneBy(CsatSurvey, { tenantId, id: surveyId });
      if (!survey || survey.answeredAt || survey.messageSentAt || survey.expiresAt <= new Date()) return null;
      const ticket = await m.findOneByOrFail(Ticket, { tenantId, id: survey.ticketId });
      if (ticket.status !== TicketStatus.SOLVED || surveySkipReason(ticket)) return null;
      const customer = await m.findOneByOrFail(Customer, { tenantId, id: ticket.customerId });
      const [tenant]: Array<{ timezone: string; default_country: string }> = await m.query(`SELECT timezone, default_country FROM tenants WHERE id = $1`, [tenantId]);
      const reach = await this.storeEvents.reachOf(m, tenantId, customer.id);
      const settings = await this.storeEvents.settingsIn(m, tenantId);
      const language = await this.csat.conversationLanguage(m, tenantId, ticket.id);
      return { survey, ticket, customer, tenant, reach, settings, language };
    });
    if (!loaded) return;
    const { survey, ticket, customer, tenant, reach, settings, language } = loaded;
    const channel = surveyChannel(ticket.channel, reach);
    if (!channel) {
      this.logger.log(`No channel reaches the customer of ticket #${ticket.number} (tenant ${tenantId}, ${ticket.channel}): no survey message`);
      return;
    }
    const values: Record<string, string> = {
      'customer.name': customer.name ?? (language === 'en' ? 'valued customer' : 'عميلنا العزيز'),
      'ticket.number': String(ticket.number),
      'ticket.subject': ticket.subject,
      'survey.link': this.csat.linkFor(survey.id),
    };
    const body = fillPlaceholders(language === 'en' ? settings.csatAfterSolveMessageEn : settings.csatAfterSolveMessage, values);
    const windowClosed = !ticket.lastCustomerMessageAt || ticket.lastCustomerMessageAt.getTime() < Date.now() - WHATSAPP_WINDOW_MS;
    const template = channel === Channel.WHATSAPP && windowClosed ? settings.whatsappTemplates.find((t) => t.kind === AutomationKind.SOLVED_CSAT) : undefined;
    const extras = template ? { content: { type: 'template', template: { name: template.name, language: template.language, parameters: template.parameters.map((p) => values[p] ?? '') } } } : {};

    const ctx = systemContext(tenantId, tenant.timezone, tenant.default_country);
    const sent = await this.tickets.inOneTransaction(ctx, async (steps, m) => {
      // Under the ticket's lock: a reopen, a close or another survey message racing this one wins.
      const [current]: Array<{ status: TicketStatus; tags: string[]; merged_into_id: string | null }> = await m.query(
        `SELECT status, tags, merged_into_id FROM tickets WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
        [tenantId, ticket.id],
      );
      if (current?.status !== TicketStatus.SOLVED || surveySkipReason({ tags: current.tags, mergedIntoId: current.merged_into_id })) return false;
      const [marked]: Array<{ id: string }> = await m.query(
        `UPDATE csat_surveys s SET message_sent_at = now()
          WHERE s.tenant_id = $1 AND s.id = $2 AND s.answered_at IS NULL AND s.expires_at > now() AND s.message_sent_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM csat_surveys o WHERE o.tenant_id = $1 AND o.ticket_id = $3 AND o.message_sent_at IS NOT NULL)
          RETURNING s.id`,
        [tenantId, survey.id, ticket.id],
      );
      if (!marked) return false;
      await steps.addMessage({ ticketId: ticket.id, body, authorType: AuthorType.SYSTEM, internal: false, channel }, extras);
      return true;
    });
    if (sent) this.logger.log(`Survey message sent on ${channel} for ticket #${ticket.number} of tenant ${tenantId}`);
  }
}
