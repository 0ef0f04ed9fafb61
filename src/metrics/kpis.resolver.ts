import { Args, Query, Resolver } from '@nestjs/graphql';
import { RequirePermission } from '../auth/auth.decorators';
import { Ctx, RequestContext } from '../common/request-context';
import { KpiFilterInput, KpiGroup, KpiGroupBy } from './dto/kpi.types';
import { KpisService } from './kpis.service';

@Resolver()
export class KpisResolver {
  constructor(private readonly kpisService: KpisService) {}

  @Query(() => [KpiGroup], { description: 'Support KPIs for tickets created in a period, overall or per group.' })
  @RequirePermission('kpis:read')
  kpis(
    @Ctx() ctx: RequestContext,
    @Args('filter') filter: KpiFilterInput,
    @Args('groupBy', { type: () => KpiGroupBy, defaultValue: KpiGroupBy.NONE }) groupBy: KpiGroupBy,
  ) {
    return this.kpisService.kpis(ctx, filter, groupBy);
  }
}
