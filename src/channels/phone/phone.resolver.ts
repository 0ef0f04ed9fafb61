import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { RequirePermission } from '../../auth/auth.decorators';
import { GraphQLRequestContext, groupByKeys } from '../../common/graphql/loaders';
import { Ctx, RequestContext } from '../../common/request-context';
import { Customer } from '../../tickets/entities/customer.entity';
import { Ticket } from '../../tickets/entities/ticket.entity';
import { LogCallInput, LogCallPayload } from './dto/log-call.input';
import { Call } from './entities/call.entity';
import { PhoneService } from './phone.service';

@Resolver(() => Call)
export class PhoneResolver {
  constructor(private readonly phone: PhoneService) {}

  @Mutation(() => LogCallPayload, {
    description:
      "Logs a call on the caller's open ticket or a new PHONE ticket; a missed call asks for a call back within its own SLA. Needs the `tickets:write` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, NOT_FOUND.",
  })
  @RequirePermission('tickets:write')
  logCall(@Ctx() ctx: RequestContext, @Args('input', { description: 'The call as the phone system reports it.' }) input: LogCallInput) {
    return this.phone.logCall(ctx, input);
  }

  @Query(() => Customer, {
    nullable: true,
    description:
      'Screen pop: who is calling. Any common number format; null when unknown. Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN.',
  })
  @RequirePermission('tickets:read')
  customerByPhone(@Ctx() ctx: RequestContext, @Args('phone', { description: "The caller's number: E.164, national (with the store's country) or with Arabic-Indic digits." }) phone: string) {
    return this.phone.customerByPhone(ctx, phone);
  }
}

@Resolver(() => Ticket)
export class TicketCallsResolver {
  constructor(private readonly phone: PhoneService) {}

  @ResolveField(() => [Call], { description: 'Phone calls logged on this ticket, oldest first.' })
  calls(@Parent() ticket: Ticket, @Context() { loaders }: GraphQLRequestContext) {
    return loaders.get<string, Call[]>('callsByTicket', async (ids) => groupByKeys(ids, await this.phone.callsOf(loaders.scope(ticket.tenantId), ids), (c) => c.ticketId)).load(ticket.id);
  }
}
