import { Injectable } from '@nestjs/common';
import { TenantTransactions } from '../../common/database/tenant-transactions';
import { RequestContext, systemWithin } from '../../common/request-context';
import { detectLanguage, formatForCustomer } from '../../common/text/arabic-text';
import { replyDue } from '../../sla/sla-state';
import { Ticket } from '../../tickets/entities/ticket.entity';
import { AuthorType, Channel, TicketStatus } from '../../tickets/ticket-enums';
import { TicketsService } from '../../tickets/tickets.service';
import { CustomersService } from '../../tickets/customers.service';
import { TicketReadsService } from '../../tickets/ticket-reads.service';

export const LEAVE_A_MESSAGE_TAG = 'leave-a-message';

/** Contact details a chat widget's visitor typed (unverified). */
export interface VisitorContact {
  name?: string;
  email?: string;
  phone?: string;
}

export interface ChatStart {
  ticket: Ticket;
  /** An agent of the ticket's team (any agent, when it has no team) is online. */
  staffed: boolean;
  /** When the customer can expect the first reply (the SLA engine's due time). */
  expectedReplyAt: Date | null;
}

/**
 * Live chat for a customer with a token: the chat is a CHAT ticket, its messages travel on the
 * `ticketMessages` subscription. When nobody who could answer is online, the chat is left as a
 * message and the customer is told when to expect the answer: a new chat continues as a WEB_FORM
 * ticket (business-hours SLA instead of the chat's five minutes); one that joined an open
 * conversation keeps that conversation's channel.
 */
@Injectable()
export class LiveChatService {
  constructor(
    private readonly tickets: TicketsService,
    private readonly ticketReads: TicketReadsService,
    private readonly db: TenantTransactions,
    private readonly customers: CustomersService,
  ) {}

  async start(ctx: RequestContext, body: string, subject?: string, contact?: VisitorContact): Promise<ChatStart> {
    const { ticket, created } = await this.tickets.create(ctx, {
      subject: subject?.trim() || body.trim().slice(0, 80),
      body,
      channel: Channel.CHAT,
      customer: { id: ctx.customerId },
      joinOpenTicket: true,
    });
    if (contact?.name && ctx.customerId) await this.customers.nameIfUnnamed(ctx, ctx.customerId, contact.name);
    if (contact?.email || contact?.phone) await this.noteContact(ctx, ticket.id, contact);
    const staffed = await this.staffed(ctx, ticket.teamId);
    if (staffed) return { ticket, staffed, expectedReplyAt: replyDue(ticket.sla) };
    // Nobody online: the customer is told so either way. A new chat continues as a web-form message;
    // a chat that joined the customer's open conversation (email, WhatsApp, an earlier chat or
    // message) leaves it on its channel and its clock, as it is.
    const staff = systemWithin(ctx);
    const tags = ticket.tags.includes(LEAVE_A_MESSAGE_TAG) ? ticket.tags : [...ticket.tags, LEAVE_A_MESSAGE_TAG];
    const convert = created && ticket.channel === Channel.CHAT;
    const left = convert || tags !== ticket.tags ? await this.tickets.update(staff, ticket.id, { ...(convert ? { channel: Channel.WEB_FORM } : {}), tags }) : ticket;
    const due = replyDue(left.sla);
    const language = detectLanguage(body);
    const when = due ? formatForCustomer(due, language, ctx.tenantTimezone) : null;
    const text =
      language === 'ar'
        ? created
          ? `لا يوجد موظف متاح للمحادثة الآن، وقد استلمنا رسالتك برقم #${left.number}. ${when ? `سنرد عليك قبل ${when}` : 'سنرد عليك في أقرب وقت'}، وسيصلك الرد هنا.`
          : `لا يوجد موظف متاح للمحادثة الآن، وقد أضفنا رسالتك إلى طلبك السابق رقم #${left.number}. ${when ? `سنرد عليك قبل ${when}` : 'سنرد عليك في أقرب وقت'}.`
        : created
          ? `No one is available to chat right now; we received your message as #${left.number} and will reply ${when ? `by ${when}` : 'as soon as we can'}, right here.`
          : `No one is available to chat right now; we added your message to your open request #${left.number} and will reply ${when ? `by ${when}` : 'as soon as we can'}.`;
    await this.tickets.addMessage(staff, { ticketId: left.id, body: text, authorType: AuthorType.SYSTEM, internal: false });
    return { ticket: left, staffed: false, expectedReplyAt: due };
  }

  async send(ctx: RequestContext, ticketId: string, body: string): Promise<Ticket> {
    const ticket = await this.ticketReads.getForCaller(ctx, ticketId);
    if (ticket.status === TicketStatus.CLOSED) return (await this.start(ctx, body, ticket.subject)).ticket;
    return (await this.tickets.addMessage(ctx, { ticketId, body, authorType: AuthorType.CUSTOMER, internal: false })).ticket;
  }

  /**
   * What a chat widget's visitor typed as their email or phone, for the agent to continue there:
   * an internal note, not an identity of the customer (nothing proves the visitor owns it).
   */
  private async noteContact(ctx: RequestContext, ticketId: string, contact: VisitorContact): Promise<void> {
    const lines = [contact.email ? `البريد: ${contact.email} — Email` : null, contact.phone ? `الجوال: ${contact.phone} — Phone` : null].filter(Boolean);
    const body = `بيانات تواصل كتبها الزائر (غير موثقة) — Contact details the visitor typed (not verified):\n${lines.join('\n')}`;
    await this.tickets.addMessage(systemWithin(ctx), { ticketId, body, authorType: AuthorType.SYSTEM, internal: true });
  }

  /** Whether an active agent of the team (of the store, with no team) is ONLINE. */
  async staffed(ctx: RequestContext, teamId: string | null): Promise<boolean> {
    const [row]: Array<{ staffed: boolean }> = await this.db.read(ctx, (m) =>
      m.query(
        `SELECT EXISTS (SELECT 1 FROM agents a WHERE a.tenant_id = $1 AND a.active AND a.availability = 'ONLINE'
                          AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM team_members tm WHERE tm.tenant_id = $1 AND tm.team_id = $2 AND tm.agent_id = a.id))) AS staffed`,
        [ctx.tenantId, teamId],
      ),
    );
    return row.staffed;
  }
}
