import { Inject, Injectable } from '@nestjs/common';
import { TenantTransactions } from '../../common/database/tenant-transactions';
import { EventBus, PUB_SUB } from '../../common/events/event-bus';
import { notFound } from '../../common/errors/domain-error';
import type { RequestContext } from '../../common/request-context';
import { TicketReadsService } from '../../tickets/ticket-reads.service';
import { ChatReadMarker } from './chat-read-marker.entity';

export const CHAT_ACTIVITY = 'chat-activity';

export type ChatSide = 'CUSTOMER' | 'AGENT';

/** What travels on the bus: someone typing, or a side having read up to a message. */
export interface ChatActivityNotice {
  tenantId: string;
  ticketId: string;
  kind: 'TYPING' | 'READ';
  by: ChatSide;
  agentId: string | null;
  messageId: string | null;
  at: string;
}

/**
 * Typing and read marks in a conversation. Typing is a passing signal (published, never stored);
 * a read mark is kept per side and only moves forward, so a chat window opened later still shows
 * "seen".
 */
@Injectable()
export class ChatActivityService {
  constructor(
    @Inject(PUB_SUB) private readonly bus: EventBus,
    private readonly db: TenantTransactions,
    private readonly ticketReads: TicketReadsService,
  ) {}

  async typing(ctx: RequestContext, ticketId: string): Promise<boolean> {
    await this.ticketReads.getForCaller(ctx, ticketId);
    await this.bus.publish(CHAT_ACTIVITY, this.notice(ctx, ticketId, 'TYPING', null));
    return true;
  }

  async markRead(ctx: RequestContext, ticketId: string, messageId: string): Promise<ChatReadMarker> {
    await this.ticketReads.getForCaller(ctx, ticketId);
    const reader = sideOf(ctx);
    const marker = await this.db.run(ctx, async (m) => {
      const [message]: Array<{ created_at: Date; internal: boolean }> = await m.query(`SELECT created_at, internal FROM messages WHERE tenant_id = $1 AND ticket_id = $2 AND id = $3`, [
        ctx.tenantId,
        ticketId,
        messageId,
      ]);
      if (!message || (reader === 'CUSTOMER' && message.internal)) throw notFound('Message', messageId);
      await m.query(
        `INSERT INTO chat_read_markers AS r (tenant_id, ticket_id, reader, message_id, read_at) VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (tenant_id, ticket_id, reader) DO UPDATE SET message_id = excluded.message_id, read_at = excluded.read_at
          WHERE (SELECT created_at FROM messages WHERE tenant_id = $1 AND id = r.message_id) <= $5`,
        [ctx.tenantId, ticketId, reader, messageId, message.created_at],
      );
      return m.findOneByOrFail(ChatReadMarker, { tenantId: ctx.tenantId, ticketId, reader });
    });
    await this.bus.publish(CHAT_ACTIVITY, this.notice(ctx, ticketId, 'READ', marker.messageId));
    return marker;
  }

  async markers(ctx: RequestContext, ticketId: string): Promise<ChatReadMarker[]> {
    await this.ticketReads.getForCaller(ctx, ticketId);
    return this.db.read(ctx, (m) => m.find(ChatReadMarker, { where: { tenantId: ctx.tenantId, ticketId }, order: { reader: 'ASC' } }));
  }

  private notice(ctx: RequestContext, ticketId: string, kind: ChatActivityNotice['kind'], messageId: string | null): ChatActivityNotice {
    const by = sideOf(ctx);
    return { tenantId: ctx.tenantId, ticketId, kind, by, agentId: by === 'AGENT' && ctx.actor.type === 'AGENT' ? ctx.actor.id : null, messageId, at: new Date().toISOString() };
  }
}

export const sideOf = (ctx: RequestContext): ChatSide => (ctx.customerId !== undefined ? 'CUSTOMER' : 'AGENT');
