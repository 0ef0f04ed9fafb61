import { Inject, ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Parent, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { RequirePermission } from '../auth/auth.decorators';
import { EventBus, PUB_SUB } from '../common/events/event-bus';
import type { GraphQLRequestContext } from '../common/graphql/loaders';
import { Ctx, RequestContext } from '../common/request-context';
import { LiveMessage, TicketEventNotice, TicketEventsFilterInput } from './dto/ticket-event-notice.type';
import { Ticket } from './entities/ticket.entity';
import { TicketEventType } from './ticket-enums';
import { TICKET_EVENTS, type TicketEventNotice as Notice } from './ticket-event-stream';
import { TicketReadsService } from './ticket-reads.service';

/** What a customer may hear about their own ticket. */
const CUSTOMER_EVENTS = new Set<TicketEventType>([TicketEventType.CREATED, TicketEventType.MESSAGE_ADDED, TicketEventType.STATUS_CHANGED, TicketEventType.REOPENED, TicketEventType.FOLLOW_UP_CREATED]);

/** Whether the caller may see this event at all: same store; for customers, own ticket and public only. */
export function visibleTo(ctx: RequestContext | undefined, notice: Notice): boolean {
  if (!ctx || ctx.tenantId !== notice.tenantId) return false;
  if (ctx.customerId === undefined) return true;
  return notice.ticket.customerId === ctx.customerId && CUSTOMER_EVENTS.has(notice.type) && notice.data.internal !== true;
}

function matches(filter: TicketEventsFilterInput | undefined, notice: Notice): boolean {
  if (!filter) return true;
  if (filter.types && !filter.types.includes(notice.type)) return false;
  if (filter.ticketId && filter.ticketId !== notice.ticketId) return false;
  if (filter.teamId && filter.teamId !== notice.ticket.teamId) return false;
  if (filter.assigneeId && filter.assigneeId !== notice.ticket.assigneeId) return false;
  if (filter.channels && !filter.channels.includes(notice.ticket.channel)) return false;
  return true;
}

const callerOf = (context: GraphQLRequestContext) => context.req.ctx;

/**
 * Live ticket events over graphql-ws, fed by TicketEventStream through the event bus (so an event
 * committed on any instance reaches subscribers on every instance).
 */
@Resolver(() => TicketEventNotice)
export class TicketSubscriptionsResolver {
  constructor(
    @Inject(PUB_SUB) private readonly bus: EventBus,
    private readonly ticketReads: TicketReadsService,
  ) {}

  @Subscription(() => TicketEventNotice, {
    description:
      "Events of the store's tickets as they are committed: created, updated, message added, assigned, SLA warning/breach … A customer token hears only its own tickets' public events. Needs the `tickets:read` or `portal` scope (roles: admin, supervisor, agent, integration, customer). Errors: UNAUTHENTICATED, FORBIDDEN.",
    filter: (notice: Notice, variables: { filter?: TicketEventsFilterInput }, context: GraphQLRequestContext) => visibleTo(callerOf(context), notice) && matches(variables.filter, notice),
    resolve: (notice: Notice, _args: unknown, context: GraphQLRequestContext) => toNotice(notice, callerOf(context)),
  })
  @RequirePermission('tickets:read', 'portal')
  ticketEvents(@Args('filter', { description: "Which events; all of the store's when omitted.", nullable: true }) _filter?: TicketEventsFilterInput) {
    return this.bus.asyncIterableIterator(TICKET_EVENTS);
  }

  @Subscription(() => LiveMessage, {
    description:
      "Messages added to one ticket (a chat window). Customer tokens: their own ticket's public messages only. Needs the `tickets:read` or `portal` scope (roles: admin, supervisor, agent, integration, customer). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.",
    filter: (notice: Notice, variables: { ticketId: string }, context: GraphQLRequestContext) =>
      notice.type === TicketEventType.MESSAGE_ADDED && notice.ticketId === variables.ticketId && visibleTo(callerOf(context), notice),
    resolve: function (this: TicketSubscriptionsResolver, notice: Notice) {
      return this.messageOf(notice.tenantId, notice.data.messageId as string);
    },
  })
  @RequirePermission('tickets:read', 'portal')
  async ticketMessages(
    @Ctx() ctx: RequestContext,
    @Args('ticketId', { description: 'The ticket; a customer may only follow their own (and gets public messages only).', type: () => ID }, ParseUUIDPipe) ticketId: string,
  ) {
    await this.ticketReads.getForCaller(ctx, ticketId); // NOT_FOUND for another store's ticket, or another customer's
    return this.bus.asyncIterableIterator(TICKET_EVENTS);
  }

  @ResolveField(() => Ticket, { nullable: true, description: 'The ticket now (staff only).' })
  async ticket(@Parent() notice: TicketEventNotice): Promise<Ticket | null> {
    if (notice.forCustomer) return null;
    const [ticket] = await this.ticketReads.byIds(notice.tenantId, [notice.ticketId]);
    return ticket ?? null;
  }

  @ResolveField(() => LiveMessage, { nullable: true, description: 'The message, for MESSAGE_ADDED.' })
  message(@Parent() notice: TicketEventNotice): Promise<LiveMessage | null> | null {
    return notice.messageId ? this.messageOf(notice.tenantId, notice.messageId) : null;
  }

  private async messageOf(tenantId: string, id: string): Promise<LiveMessage | null> {
    return (await this.ticketReads.messagesByIds(tenantId, [id]))[0] ?? null;
  }
}

function toNotice(notice: Notice, caller: RequestContext | undefined): TicketEventNotice {
  const forCustomer = caller?.customerId !== undefined;
  return {
    id: notice.id,
    type: notice.type,
    ticketId: notice.ticketId,
    ticketNumber: notice.ticket.number,
    ticketStatus: notice.ticket.status,
    at: new Date(notice.at),
    actorType: notice.actorType,
    data: forCustomer ? null : notice.data,
    tenantId: notice.tenantId,
    messageId: notice.type === TicketEventType.MESSAGE_ADDED ? ((notice.data.messageId as string | undefined) ?? null) : null,
    forCustomer,
  };
}
