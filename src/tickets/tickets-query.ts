import { EntityManager, SelectQueryBuilder } from 'typeorm';
import { TicketsFilterInput } from './dto/tickets-filter.input';
import { Ticket } from './entities/ticket.entity';
import { PRIORITY_RANK } from './ticket-enums';
import { normaliseTags } from './ticket-tags';

export const MAX_PAGE_SIZE = 100;

/** The one translation of `TicketsFilterInput` into SQL (alias `t`), shared by the ticket list and search. */
export function ticketsMatching(manager: EntityManager, tenantId: string, filter: TicketsFilterInput = {}): SelectQueryBuilder<Ticket> {
  const qb = manager.createQueryBuilder(Ticket, 't').where('t.tenant_id = :tenantId', { tenantId });
  if (filter.status?.length) qb.andWhere('t.status IN (:...status)', { status: filter.status });
  if (filter.priority?.length) qb.andWhere('t.priority IN (:...priority)', { priority: filter.priority.map((p) => PRIORITY_RANK[p]) });
  if (filter.category?.length) qb.andWhere('t.category IN (:...category)', { category: filter.category });
  if (filter.channel?.length) qb.andWhere('t.channel IN (:...channel)', { channel: filter.channel });
  if (filter.assigneeId) qb.andWhere('t.assignee_id = :assigneeId', { assigneeId: filter.assigneeId });
  if (filter.unassigned) qb.andWhere('t.assignee_id IS NULL');
  if (filter.teamId) qb.andWhere('t.team_id = :teamId', { teamId: filter.teamId });
  if (filter.customerId) qb.andWhere('t.customer_id = :customerId', { customerId: filter.customerId });
  if (filter.tags?.length) qb.andWhere('t.tags @> :tags', { tags: normaliseTags(filter.tags) });
  if (filter.slaStatus?.length) qb.andWhere('t.sla_health IN (:...slaStatus)', { slaStatus: filter.slaStatus });
  if (filter.createdFrom) qb.andWhere('t.created_at >= :createdFrom', { createdFrom: filter.createdFrom });
  if (filter.createdTo) qb.andWhere('t.created_at < :createdTo', { createdTo: filter.createdTo });
  return qb;
}
