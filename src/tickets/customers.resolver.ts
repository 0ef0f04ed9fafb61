import { PAGE_ARGS } from '../common/graphql/connection';
import { ParseUUIDPipe } from '@nestjs/common';
import { Args, Context, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { RequirePermission } from '../auth/auth.decorators';
import { TicketStatus } from './ticket-enums';
import './graphql-enums';
import { GraphQLRequestContext } from '../common/graphql/loaders';
import { Ctx, RequestContext } from '../common/request-context';
import { TicketConnection } from './dto/ticket-payloads';
import { TicketSortInput } from './dto/tickets-filter.input';
import { CustomerIdentity } from './entities/customer-identity.entity';
import { Customer } from './entities/customer.entity';
import { CustomersService } from './customers.service';
import { TicketReadsService } from './ticket-reads.service';

@Resolver(() => Customer)
export class CustomersResolver {
  constructor(
    private readonly customers: CustomersService,
    private readonly ticketReads: TicketReadsService,
  ) {}

  @Query(() => Customer, {
    description:
      'A customer with identities and tickets from every channel. Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.',
  })
  @RequirePermission('tickets:read')
  customer(@Ctx() ctx: RequestContext, @Args('id', { description: "The customer's id (NOT_FOUND when not in the store).", type: () => ID }, ParseUUIDPipe) id: string) {
    return this.customers.get(ctx, id);
  }

  @ResolveField(() => [CustomerIdentity], { description: 'Every way to reach the customer (email, phone, WhatsApp, social handles, store id).' })
  identities(@Parent() customer: Customer, @Context() { loaders }: GraphQLRequestContext) {
    return this.customers.loadIdentities(loaders, customer.tenantId, customer.id);
  }

  @ResolveField(() => TicketConnection, { description: 'Every ticket of this customer, across channels: one history.' })
  tickets(
    @Ctx() ctx: RequestContext,
    @Parent() customer: Customer,
    @Args('sort', { description: 'Order of the tickets; newest created first unless given.', nullable: true }) sort?: TicketSortInput,
    @Args('status', { type: () => [TicketStatus], nullable: true, description: 'Only tickets in these statuses (e.g. the open ones for a screen pop).' }) status?: TicketStatus[],
    @Args('first', PAGE_ARGS.first) first?: number | null,
    @Args('after', PAGE_ARGS.after) after?: string | null,
    @Args('last', PAGE_ARGS.last) last?: number | null,
    @Args('before', PAGE_ARGS.before) before?: string | null,
  ) {
    return this.ticketReads.list(ctx, { customerId: customer.id, ...(status?.length ? { status } : {}) }, sort, { first, after, last, before });
  }
}
