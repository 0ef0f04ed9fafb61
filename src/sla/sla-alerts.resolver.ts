import { Inject } from '@nestjs/common';
import { Resolver, Subscription } from '@nestjs/graphql';
import { RequirePermission } from '../auth/auth.decorators';
import { GraphQLRequestContext } from '../common/graphql/loaders';
import { EventBus, PUB_SUB } from '../common/events/event-bus';
import { SlaAlert } from './dto/sla-alert.type';

export const SLA_ALERTS = 'SLA_ALERTS';

@Resolver()
export class SlaAlertsResolver {
  constructor(@Inject(PUB_SUB) private readonly events: EventBus) {}

  @Subscription(() => SlaAlert, {
    description:
      "SLA warnings and breaches of the caller's store, as the sweep records them (for live consoles). Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN.",
    filter: (payload: { slaAlerts: SlaAlert }, _variables: unknown, context: GraphQLRequestContext) => payload.slaAlerts.tenantId === context.req.ctx?.tenantId,
    // The bus carries JSON: dates arrive as ISO strings.
    resolve: ({ slaAlerts: alert }: { slaAlerts: SlaAlert }) => ({ ...alert, dueAt: new Date(alert.dueAt), at: new Date(alert.at) }),
  })
  @RequirePermission('tickets:read')
  slaAlerts() {
    return this.events.asyncIterableIterator(SLA_ALERTS);
  }
}
