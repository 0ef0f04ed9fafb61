import { ParseUUIDPipe } from '@nestjs/common';
import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { RequirePermission } from '../auth/auth.decorators';
import { Connection, PAGE_ARGS } from '../common/graphql/connection';
import { GraphQLRequestContext, groupByKeys } from '../common/graphql/loaders';
import { Ctx, RequestContext } from '../common/request-context';
import { PortalCreateTicketInput, PortalMessage, PortalReplyInput, PortalTicket, PortalTicketConnection } from './dto/portal.types';
import { Ticket } from './entities/ticket.entity';
import { AuthorType, Channel } from './ticket-enums';
import { TicketsService } from './tickets.service';
import { TicketReadsService } from './ticket-reads.service';

/** The customer portal / chat widget API, for customer tokens: own tickets only, public messages only. */
@Resolver(() => PortalTicket)
export class PortalResolver {
  constructor(
    private readonly ticketsService: TicketsService,
    private readonly ticketReads: TicketReadsService,
  ) {}

  @Query(() => PortalTicketConnection, { description: "The signed-in customer's tickets, newest first. Needs the `portal` scope (roles: customer). Errors: UNAUTHENTICATED, FORBIDDEN." })
  @RequirePermission('portal')
  portalTickets(
    @Ctx() ctx: RequestContext,
    @Args('first', PAGE_ARGS.first) first?: number | null,
    @Args('after', PAGE_ARGS.after) after?: string | null,
    @Args('last', PAGE_ARGS.last) last?: number | null,
    @Args('before', PAGE_ARGS.before) before?: string | null,
  ): Promise<Connection<Ticket>> {
    return this.ticketReads.list(ctx, { customerId: ctx.customerId }, undefined, { first, after, last, before });
  }

  @Query(() => PortalTicket, {
    description: "One of the signed-in customer's own tickets, as the customer sees it. Needs the `portal` scope (roles: customer). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.",
  })
  @RequirePermission('portal')
  portalTicket(@Ctx() ctx: RequestContext, @Args('id', { description: "The ticket's id (NOT_FOUND when it is not the customer's).", type: () => ID }, ParseUUIDPipe) id: string) {
    return this.ticketReads.getForCaller(ctx, id);
  }

  @Mutation(() => PortalTicket, {
    description: 'Opens a ticket for the signed-in customer from the portal or chat widget. Needs the `portal` scope (roles: customer). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT.',
  })
  @RequirePermission('portal')
  async portalCreateTicket(@Ctx() ctx: RequestContext, @Args('input', { description: 'Subject and first message.' }) input: PortalCreateTicketInput) {
    const { ticket } = await this.ticketsService.create(ctx, {
      subject: input.subject,
      body: input.body,
      channel: input.channel ?? Channel.WEB_FORM,
      customer: { id: ctx.customerId },
    });
    return ticket;
  }

  @Mutation(() => PortalTicket, {
    description: 'The customer answers one of their tickets (reopens it when solved). Needs the `portal` scope (roles: customer). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT.',
  })
  @RequirePermission('portal')
  async portalReply(@Ctx() ctx: RequestContext, @Args('input', { description: 'The ticket and the reply.' }) input: PortalReplyInput) {
    await this.ticketReads.getForCaller(ctx, input.ticketId);
    const { ticket } = await this.ticketsService.addMessage(ctx, { ticketId: input.ticketId, body: input.body, authorType: AuthorType.CUSTOMER, internal: false });
    return ticket;
  }

  @ResolveField(() => [PortalMessage], { description: 'Public messages only, oldest first.' })
  messages(@Parent() ticket: Ticket, @Context() { loaders }: GraphQLRequestContext) {
    return loaders
      .get<string, PortalMessage[]>('messagesByTicket:false', async (ids) => groupByKeys(ids, await this.ticketReads.messagesOf(loaders.scope(ticket.tenantId), ids, false), (m) => m.ticketId))
      .load(ticket.id);
  }
}
