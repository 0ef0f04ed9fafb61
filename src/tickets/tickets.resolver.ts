import { PAGE_ARGS } from '../common/graphql/connection';
import { ParseUUIDPipe } from '@nestjs/common';
import { Args, Context, ID, Info, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { RequirePermission } from '../auth/auth.decorators';
import { byKeys, GraphQLRequestContext, groupByKeys, selectsField, selectsFieldPath } from '../common/graphql/loaders';
import { Ctx, RequestContext } from '../common/request-context';
import { AddMessageInput } from './dto/add-message.input';
import { CreateTicketInput } from './dto/create-ticket.input';
import { AddMessagePayload, TicketConnection } from './dto/ticket-payloads';
import { TicketSortInput, TicketsFilterInput } from './dto/tickets-filter.input';
import { TransferTicketInput } from './dto/transfer-ticket.input';
import { UpdateTicketInput } from './dto/update-ticket.input';
import { badInput } from '../common/errors/domain-error';
import { Customer } from './entities/customer.entity';
import { Message } from './entities/message.entity';
import { TicketEvent } from './entities/ticket-event.entity';
import { Ticket } from './entities/ticket.entity';
import { CustomersService } from './customers.service';
import { TicketsService } from './tickets.service';
import { TicketReadsService } from './ticket-reads.service';
import { TicketSearchService } from './ticket-search.service';
import { TicketMergeService } from './ticket-merge.service';
import { TicketSearchResultConnection } from './dto/ticket-search.types';

@Resolver(() => Ticket)
export class TicketsResolver {
  constructor(
    private readonly ticketsService: TicketsService,
    private readonly ticketReads: TicketReadsService,
    private readonly customers: CustomersService,
    private readonly search: TicketSearchService,
    private readonly merge: TicketMergeService,
  ) {}

  @Query(() => Ticket, { description: 'One ticket by id. Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.' })
  @RequirePermission('tickets:read')
  ticket(@Ctx() ctx: RequestContext, @Args('id', { description: "The ticket's id (NOT_FOUND when not in the caller's store).", type: () => ID }, ParseUUIDPipe) id: string) {
    return this.ticketReads.get(ctx, id);
  }

  @Query(() => Ticket, {
    description: 'One ticket by its per-store number (#1001). Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.',
  })
  @RequirePermission('tickets:read')
  ticketByNumber(@Ctx() ctx: RequestContext, @Args('number', { description: "The store's ticket number, e.g. 1001.", type: () => Int }) number: number) {
    return this.ticketReads.getByNumber(ctx, number);
  }

  @Query(() => TicketConnection, {
    description:
      "The store's tickets, filtered and sorted, a page at a time (keyset cursors: deep pages cost what the first costs; rows created meanwhile neither repeat nor vanish). Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT.",
  })
  @RequirePermission('tickets:read')
  tickets(
    @Ctx() ctx: RequestContext,
    @Args('filter', { description: 'Which tickets; all when omitted.', nullable: true }) filter?: TicketsFilterInput,
    @Args('sort', { description: 'Newest created first unless given.', nullable: true }) sort?: TicketSortInput,
    @Args('first', PAGE_ARGS.first) first?: number | null,
    @Args('after', PAGE_ARGS.after) after?: string | null,
    @Args('last', PAGE_ARGS.last) last?: number | null,
    @Args('before', PAGE_ARGS.before) before?: string | null,
    @Context() graphql?: GraphQLRequestContext,
    @Info() info?: GraphQLResolveInfo,
  ) {
    // A page showing who wrote each ticket gets the customers with the page, in one round trip.
    const withCustomers = graphql && info && selectsFieldPath(info, ['edges', 'node', 'customer']) ? (customers: Customer[]) => this.customers.rememberAll(graphql.loaders, customers) : undefined;
    return this.ticketReads.list(ctx, filter, sort, { first, after, last, before }, withCustomers);
  }

  @Query(() => TicketSearchResultConnection, {
    description:
      'Tickets matching every word of the query (the last also as a prefix) in number (#1042, ١٠٤٢), subject, messages, customer name/email/phone, order id and tags; Arabic spelling variants, diacritics and the article are ignored. Ranked, with highlighted snippets; combinable with the tickets filters. Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT.',
  })
  @RequirePermission('tickets:read')
  searchTickets(
    @Ctx() ctx: RequestContext,
    @Args('query', { description: 'What the agent typed: words, #number, order id, phone or email (at most 200 characters).' }) query: string,
    @Args('filter', { description: 'Only tickets matching it as well.', nullable: true }) filter?: TicketsFilterInput,
    @Args('first', PAGE_ARGS.first) first?: number | null,
    @Args('after', PAGE_ARGS.after) after?: string | null,
    @Args('last', PAGE_ARGS.last) last?: number | null,
    @Args('before', PAGE_ARGS.before) before?: string | null,
  ) {
    return this.search.search(ctx, query, filter, { first, after, last, before });
  }

  @Mutation(() => Ticket, {
    description:
      "Creates a ticket with the customer's first message; idempotent with idempotencyKey. Needs the `tickets:write` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, CONFLICT, RATE_LIMITED.",
  })
  @RequirePermission('tickets:write')
  async createTicket(
    @Ctx() ctx: RequestContext,
    @Args('input', { description: 'The ticket, its first message and its customer.' }) input: CreateTicketInput,
    @Context() { loaders }: GraphQLRequestContext,
  ) {
    const { ticket, customer } = await this.ticketsService.create(ctx, input);
    if (customer) this.customers.remember(loaders, customer);
    return ticket;
  }

  @Mutation(() => AddMessagePayload, {
    description:
      'A customer message, a public agent reply or an internal note. Needs the `tickets:write` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT.',
  })
  @RequirePermission('tickets:write')
  addMessage(@Ctx() ctx: RequestContext, @Args('input', { description: 'The message and the ticket it goes on.' }) input: AddMessageInput) {
    return this.ticketsService.addMessage(ctx, input);
  }

  @Mutation(() => Ticket, {
    description:
      "Changes a ticket's status, priority, category, subject, tags, assignee or team; every change goes to the audit timeline. Needs the `tickets:write` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT.",
  })
  @RequirePermission('tickets:write')
  updateTicket(
    @Ctx() ctx: RequestContext,
    @Args('id', { description: 'The ticket.', type: () => ID }, ParseUUIDPipe) id: string,
    @Args('input', { description: 'The fields to change.' }) input: UpdateTicketInput,
  ) {
    return this.ticketsService.update(ctx, id, input);
  }

  @Mutation(() => Ticket, {
    description:
      'Hands a ticket to another team or agent with an internal note, in one audited step. Needs the `tickets:write` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT.',
  })
  @RequirePermission('tickets:write')
  transferTicket(
    @Ctx() ctx: RequestContext,
    @Args('id', { description: 'The ticket.', type: () => ID }, ParseUUIDPipe) id: string,
    @Args('input', { description: 'Where to, and the note for the next person.' }) input: TransferTicketInput,
  ) {
    if (input.teamId === undefined && input.assigneeId === undefined) throw badInput('Give a teamId or an assigneeId to transfer to', { teamId: ['teamId or assigneeId required'] });
    return this.ticketsService.transfer(ctx, id, { teamId: input.teamId, assigneeId: input.assigneeId }, input.note);
  }

  @ResolveField(() => Customer, { description: 'The customer the ticket is from.' })
  customer(@Parent() ticket: Ticket, @Context() { loaders }: GraphQLRequestContext, @Info() info: GraphQLResolveInfo) {
    // Asked for together, the customer and their identities travel in one round trip instead of one after the other.
    if (selectsField(info, 'identities')) this.customers.loadIdentities(loaders, ticket.tenantId, ticket.customerId).catch(() => undefined);
    return this.customers.loadById(loaders, ticket.tenantId, ticket.customerId);
  }

  @ResolveField(() => [Message], { description: 'Oldest first.' })
  messages(
    @Parent() ticket: Ticket,
    @Context() { loaders }: GraphQLRequestContext,
    @Args('includeInternal', { defaultValue: true, description: 'False: only what the customer sees.' }) includeInternal: boolean,
  ) {
    return loaders
      .get<string, Message[]>(`messagesByTicket:${includeInternal}`, async (ids) =>
        groupByKeys(ids, await this.ticketReads.messagesOf(loaders.scope(ticket.tenantId), ids, includeInternal), (m) => m.ticketId),
      )
      .load(ticket.id);
  }

  @ResolveField(() => [TicketEvent], { description: 'The audit timeline, oldest first.' })
  events(@Parent() ticket: Ticket, @Context() { loaders }: GraphQLRequestContext) {
    return loaders
      .get<string, TicketEvent[]>('eventsByTicket', async (ids) => groupByKeys(ids, await this.ticketReads.eventsOf(loaders.scope(ticket.tenantId), ids), (e) => e.ticketId))
      .load(ticket.id);
  }

  @Mutation(() => Ticket, {
    description:
      "Moves the source ticket's messages, events, calls, surveys and compensations to the target, closes the source with a link (mergedInto) and recomputes the target's facts. Returns the target. CONFLICT when either is closed. Needs the `tickets:write` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT.",
  })
  @RequirePermission('tickets:write')
  mergeTickets(
    @Ctx() ctx: RequestContext,
    @Args('sourceId', { description: 'The duplicate ticket, closed afterwards.', type: () => ID }, ParseUUIDPipe) sourceId: string,
    @Args('targetId', { description: 'The ticket that remains and receives the messages.', type: () => ID }, ParseUUIDPipe) targetId: string,
  ) {
    return this.merge.mergeTickets(ctx, sourceId, targetId);
  }

  @Mutation(() => Customer, {
    description:
      "Moves the source customer's identities, tickets, orders, calls and surveys to the target and adds up their order history; the source keeps mergedIntoId. Returns the target. Needs the `tickets:write` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT.",
  })
  @RequirePermission('tickets:write')
  mergeCustomers(
    @Ctx() ctx: RequestContext,
    @Args('sourceId', { description: 'The customer to merge away (their tickets and identities move).', type: () => ID }, ParseUUIDPipe) sourceId: string,
    @Args('targetId', { description: 'The customer that remains.', type: () => ID }, ParseUUIDPipe) targetId: string,
  ) {
    return this.merge.mergeCustomers(ctx, sourceId, targetId);
  }

  @ResolveField(() => Ticket, { nullable: true, description: 'The ticket this one was merged into (it is then closed).' })
  mergedInto(@Parent() ticket: Ticket, @Context() { loaders }: GraphQLRequestContext) {
    if (!ticket.mergedIntoId) return null;
    return loaders.get<string, Ticket | null>('ticketById', async (ids) => byKeys(ids, await this.ticketReads.byIds(loaders.scope(ticket.tenantId), ids), (t) => t.id)).load(ticket.mergedIntoId);
  }

  @ResolveField(() => Ticket, { nullable: true, description: 'The closed ticket this one follows up.' })
  followUpOf(@Parent() ticket: Ticket, @Context() { loaders }: GraphQLRequestContext) {
    if (!ticket.followUpOfId) return null;
    return loaders.get<string, Ticket | null>('ticketById', async (ids) => byKeys(ids, await this.ticketReads.byIds(loaders.scope(ticket.tenantId), ids), (t) => t.id)).load(ticket.followUpOfId);
  }
}
