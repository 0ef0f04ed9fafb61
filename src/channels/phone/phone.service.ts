import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { TenantScope, TenantTransactions, tenantOf } from '../../common/database/tenant-transactions';
import { Agent } from '../../auth/entities/agent.entity';
import { badInput, DomainError, notFound } from '../../common/errors/domain-error';
import { storeSystemContext, type RequestContext } from '../../common/request-context';
import { normalisePhone } from '../../tickets/customer-identity';
import { Customer } from '../../tickets/entities/customer.entity';
import { Ticket } from '../../tickets/entities/ticket.entity';
import { AuthorType, Channel, TicketPriority } from '../../tickets/ticket-enums';
import { TicketsService } from '../../tickets/tickets.service';
import { LogCallInput } from './dto/log-call.input';
import { Call, CallDirection, CallOutcome } from './entities/call.entity';
import type { MessagingChannel } from '../messaging/entities/messaging-channel.entity';
import { readTwilioCallStatus } from './twilio-voice';

const CALL_BACK_TAG = 'call-back';

/** Phone calls on the caller's tickets, and the screen pop (who is calling). */
const MAX_CALL_SECONDS = 86_400;

@Injectable()
export class PhoneService {
  constructor(
    private readonly db: TenantTransactions,
    private readonly tickets: TicketsService,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(PhoneService.name);
  }

  /**
   * Logs a call on the customer's open ticket, or opens a PHONE ticket. A missed inbound call (or
   * a voicemail) is a promise to call back: the ticket gets the `call-back` tag, whose SLA policy
   * gives it an hour, and HIGH priority. The summary, the agent's note, the tag and the call record
   * are one transaction; a call the phone system reports twice (even at the same moment) is logged once.
   */
  async logCall(ctx: RequestContext, input: LogCallInput): Promise<{ call: Call; ticket: Ticket; created: boolean }> {
    const from = this.phone(ctx, input.from, 'from');
    const to = this.phone(ctx, input.to, 'to');
    const customerNumber = input.direction === CallDirection.INBOUND ? from : to;
    const provider = input.provider ?? 'api';
    if (input.endedAt && input.endedAt < input.startedAt) throw badInput('endedAt is before startedAt', { endedAt: ['not before startedAt'] });
    const duration = input.durationSeconds ?? (input.endedAt ? Math.round((input.endedAt.getTime() - input.startedAt.getTime()) / 1000) : 0);
    // The same bound as durationSeconds: a stored duration is a 32-bit integer.
    if (duration > MAX_CALL_SECONDS) throw badInput('A call lasts at most 24 hours: endedAt is too long after startedAt', { endedAt: ['at most 24 hours after startedAt'] });
    const missed = input.direction === CallDirection.INBOUND && input.outcome !== CallOutcome.ANSWERED;
    const summary = describeCall(input, duration);

    return this.tickets.inOneTransaction(ctx, async (steps, manager) => {
      if (input.agentId && !(await manager.existsBy(Agent, { tenantId: ctx.tenantId, id: input.agentId }))) throw notFound('Agent', input.agentId);
      if (input.providerCallId) {
        // A repeat sent while the first is still being written waits here, then finds the call committed.
        await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`call:${ctx.tenantId}:${provider}:${input.providerCallId}`]);
        const known = await manager.findOneBy(Call, { tenantId: ctx.tenantId, provider, providerCallId: input.providerCallId });
        if (known) return { call: known, ticket: await manager.findOneByOrFail(Ticket, { tenantId: ctx.tenantId, id: known.ticketId }), created: false };
      }
      const open = await this.openTicketOf(manager, ctx.tenantId, customerNumber);
      let ticket: Ticket;
      if (open) {
        ticket = (await steps.addMessage({ ticketId: open.id, body: summary, authorType: AuthorType.SYSTEM, internal: true, channel: Channel.PHONE })).ticket;
        if (missed && !ticket.tags.includes(CALL_BACK_TAG)) ticket = await steps.update(ticket.id, { tags: [...ticket.tags, CALL_BACK_TAG], priority: higher(ticket.priority) });
      } else {
        ({ ticket } = await steps.create({
          subject: missed ? 'مكالمة فائتة — يرجى معاودة الاتصال' : input.direction === CallDirection.INBOUND ? 'مكالمة واردة' : 'مكالمة صادرة',
          body: summary,
          channel: Channel.PHONE,
          customer: { phone: customerNumber },
          tags: missed ? [CALL_BACK_TAG] : undefined,
          priority: missed ? TicketPriority.HIGH : undefined,
        }));
      }
      if (input.note) await steps.addMessage({ ticketId: ticket.id, body: input.note, authorType: AuthorType.AGENT, authorId: input.agentId, internal: true, channel: Channel.PHONE });

      const call = await manager.save(
        manager.create(Call, {
          tenantId: ctx.tenantId,
          id: uuidv7(),
          ticketId: ticket.id,
          customerId: ticket.customerId,
          direction: input.direction,
          outcome: input.outcome,
          fromNumber: from,
          toNumber: to,
          startedAt: input.startedAt,
          endedAt: input.endedAt ?? null,
          durationSeconds: duration,
          recordingUrl: input.recordingUrl ?? null,
          agentId: input.agentId ?? null,
          provider,
          providerCallId: input.providerCallId ?? null,
        }),
      );
      return { call, ticket: await manager.findOneByOrFail(Ticket, { tenantId: ctx.tenantId, id: ticket.id }), created: true };
    });
  }

  /**
   * A Twilio Voice status callback on the store's connected account (its signature already
   * checked): a finished call is logged as the store's system, once per CallSid. Anything else
   * (a progress event, another account, a browser or SIP leg without a phone number) is left
   * alone; Twilio still hears 200, as there is nothing for it to retry.
   */
  async receiveTwilioCallStatus(channel: MessagingChannel, params: URLSearchParams): Promise<'LOGGED' | 'DUPLICATE' | 'IGNORED'> {
    const reading = readTwilioCallStatus(params, channel.accountId);
    const log = { tenantId: channel.tenantId, channelId: channel.id, callSid: params.get('CallSid') };
    if ('ignored' in reading) {
      this.logger.info({ ...log, reason: reading.ignored }, 'Twilio callback not logged as a call');
      return 'IGNORED';
    }
    const ctx = await storeSystemContext((sql, parameters) => this.db.read(channel.tenantId, (m) => m.query(sql, parameters)), channel.tenantId);
    if (!ctx) throw new DomainError('NOT_FOUND', 'Store not found');
    const { report } = reading;
    if (!normalisePhone(report.from, ctx.tenantCountry) || !normalisePhone(report.to, ctx.tenantCountry)) {
      this.logger.warn({ ...log, reason: 'From or To is not a phone number' }, 'Twilio callback not logged as a call');
      return 'IGNORED';
    }
    const { created } = await this.logCall(ctx, report);
    if (created) {
      await this.db.run(ctx, (m) =>
        m.query(`UPDATE messaging_channels SET received_count = received_count + 1, last_event_at = now() WHERE tenant_id = $1 AND id = $2`, [channel.tenantId, channel.id]),
      );
    }
    return created ? 'LOGGED' : 'DUPLICATE';
  }

  /** Screen pop: the customer with this number, in one indexed lookup. */
  async customerByPhone(ctx: RequestContext, raw: string): Promise<Customer | null> {
    const e164 = this.phone(ctx, raw, 'phone');
    return this.db.read(ctx, (m) =>
      m
        .createQueryBuilder(Customer, 'c')
        .innerJoin('customer_identities', 'ci', `ci.tenant_id = c.tenant_id AND ci.customer_id = c.id AND ci.kind = 'PHONE' AND ci.value = :e164`, { e164 })
        .where('c.tenant_id = :tenantId', { tenantId: ctx.tenantId })
        .getOne(),
    );
  }

  callsOf(scope: TenantScope, ticketIds: readonly string[]): Promise<Call[]> {
    const tenantId = tenantOf(scope);
    return this.db.read(scope, (m) => m.createQueryBuilder(Call, 'c').where('c.tenant_id = :tenantId AND c.ticket_id IN (:...ids)', { tenantId, ids: ticketIds }).orderBy('c.started_at').getMany());
  }

  private async openTicketOf(manager: EntityManager, tenantId: string, e164: string): Promise<{ id: string } | undefined> {
    const [row] = await manager.query(
      `SELECT t.id FROM customer_identities ci JOIN tickets t ON t.tenant_id = ci.tenant_id AND t.customer_id = ci.customer_id
        WHERE ci.tenant_id = $1 AND ci.kind = 'PHONE' AND ci.value = $2 AND t.status IN ('NEW','OPEN','PENDING','ON_HOLD')
        ORDER BY t.updated_at DESC LIMIT 1`,
      [tenantId, e164],
    );
    return row;
  }

  private phone(ctx: RequestContext, raw: string, field: string): string {
    const e164 = normalisePhone(raw, ctx.tenantCountry);
    if (!e164) throw badInput(`${field} "${raw}" is not a valid phone number`, { [field]: ['not a valid phone number'] });
    return e164;
  }
}

function describeCall(input: LogCallInput, seconds: number): string {
  const length = `${Math.floor(seconds / 60)} د ${seconds % 60} ث`;
  if (input.direction === CallDirection.OUTBOUND) return `📞 مكالمة صادرة إلى العميل (${input.outcome === CallOutcome.ANSWERED ? length : 'لم يرد'})`;
  if (input.outcome === CallOutcome.ANSWERED) return `📞 مكالمة واردة من العميل (${length})`;
  return input.outcome === CallOutcome.VOICEMAIL ? '📞 مكالمة فائتة ترك فيها العميل رسالة صوتية — يرجى معاودة الاتصال' : '📞 مكالمة فائتة من العميل — يرجى معاودة الاتصال';
}

/** A call-back is at least HIGH. */
function higher(priority: TicketPriority): TicketPriority {
  return priority === TicketPriority.URGENT ? priority : TicketPriority.HIGH;
}
