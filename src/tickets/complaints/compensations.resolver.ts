import { Args, Context, Field, Float, Int, Mutation, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { RequirePermission } from '../../auth/auth.decorators';
import { GraphQLRequestContext, groupByKeys } from '../../common/graphql/loaders';
import { Ctx, RequestContext } from '../../common/request-context';
import { Ticket } from '../entities/ticket.entity';
import { Compensation } from './compensation.entity';
import { CompensationGroupBy, CompensationTotalsFilter, RecordCompensationInput } from './compensation.input';
import { CompensationsService } from './compensations.service';

@ObjectType({ description: 'Compensations of one group (a category, a kind or a time bucket) in one currency.' })
class CompensationTotal {
  @Field({ description: 'The category, kind, or bucket start (YYYY-MM-DD, or YYYY-MM for months).' })
  key: string;

  @Field({ description: 'ISO 4217 code, e.g. SAR.' })
  currency: string;

  @Field(() => Int, { description: 'How many compensations.' })
  count: number;

  @Field(() => Float, { description: 'Sum of the amounts, in currency.' })
  amount: number;
}

@Resolver(() => Ticket)
export class CompensationsResolver {
  constructor(private readonly service: CompensationsService) {}

  @Mutation(() => Compensation, {
    description:
      'Records a compensation on a ticket (audited as COMPENSATION_RECORDED), optionally with a follow-up check N days after solving. Needs the `tickets:write` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT.',
  })
  @RequirePermission('tickets:write')
  recordCompensation(@Ctx() ctx: RequestContext, @Args('input', { description: 'The ticket and what was given.' }) input: RecordCompensationInput) {
    return this.service.record(ctx, input);
  }

  @Query(() => [CompensationTotal], {
    description:
      'What complaints cost: count and sum of compensations recorded in a period, by category, kind or time bucket. Needs the `kpis:read` scope (roles: admin, supervisor, reporting). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT.',
  })
  @RequirePermission('kpis:read')
  compensationTotals(
    @Ctx() ctx: RequestContext,
    @Args('filter', { description: 'The period: compensations recorded in [from, to).' }) filter: CompensationTotalsFilter,
    @Args('groupBy', {
      description: "How to group: by ticket category, compensation kind or time bucket in the store's time zone.",
      type: () => CompensationGroupBy,
      defaultValue: CompensationGroupBy.CATEGORY,
    })
    groupBy: CompensationGroupBy,
  ) {
    return this.service.totals(ctx, filter, groupBy);
  }

  @ResolveField(() => [Compensation], { description: 'Oldest first.' })
  compensations(@Parent() ticket: Ticket, @Context() { loaders }: GraphQLRequestContext) {
    return loaders
      .get<string, Compensation[]>('compensationsByTicket', async (ids) => groupByKeys(ids, await this.service.ofTickets(loaders.scope(ticket.tenantId), ids), (c) => c.ticketId))
      .load(ticket.id);
  }
}
