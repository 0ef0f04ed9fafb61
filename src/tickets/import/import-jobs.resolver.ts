import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { RequirePermission } from '../../auth/auth.decorators';
import { TenantTransactions } from '../../common/database/tenant-transactions';
import { notFound } from '../../common/errors/domain-error';
import { Ctx, RequestContext } from '../../common/request-context';
import { ImportJob } from './import-job.entity';

@Resolver(() => ImportJob)
export class ImportJobsResolver {
  constructor(private readonly db: TenantTransactions) {}

  @Query(() => ImportJob, {
    description:
      'An import and its progress (rate, ETA, rows refused with their line numbers); poll it while the CLI runs. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.',
  })
  @RequirePermission('admin')
  async importJob(@Ctx() ctx: RequestContext, @Args('id', { description: 'The job id printed by the import command.', type: () => ID }, ParseUUIDPipe) id: string): Promise<ImportJob> {
    const job = await this.db.read(ctx, (m) => m.findOneBy(ImportJob, { tenantId: ctx.tenantId, id }));
    if (!job) throw notFound('Import job', id);
    return job;
  }

  @Query(() => [ImportJob], { description: 'Imports, latest first. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN.' })
  @RequirePermission('admin')
  importJobs(@Ctx() ctx: RequestContext, @Args('first', { type: () => Int, defaultValue: 20, description: 'At most 100.' }) first: number): Promise<ImportJob[]> {
    return this.db.read(ctx, (m) => m.find(ImportJob, { where: { tenantId: ctx.tenantId }, order: { startedAt: 'DESC' }, take: Math.min(Math.max(first, 1), 100) }));
  }
}
