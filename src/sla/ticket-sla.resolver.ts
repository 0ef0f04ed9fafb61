import { Args, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { RequirePermission } from '../auth/auth.decorators';
import { Ctx, RequestContext } from '../common/request-context';
import { Ticket } from '../tickets/entities/ticket.entity';
import { Channel, CustomerTier, SlaHealth } from '../tickets/ticket-enums';
import { SlaTargetKindEnum, SlaTargetStatusEnum, TicketSlaType } from './dto/ticket-sla.types';
import { SlaClockEnum } from './dto/sla.types';
import { SlaSettingsService } from './sla-settings.service';
import { dueAt, matchPolicy, remainingSeconds, SlaTargetKind } from './sla-policy';
import { slaHealth, SlaState } from './sla-state';

const ORDER: SlaTargetKind[] = ['FIRST_RESPONSE', 'NEXT_RESPONSE', 'RESOLUTION'];
const stateOf = (ticket: Ticket) => ticket.sla as unknown as SlaState | null;
const dueOf = (ticket: Ticket, kind: SlaTargetKind) => {
  const due = stateOf(ticket)?.targets[kind]?.dueAt;
  return due ? new Date(due) : null;
};

/** Adds SLA fields to Ticket and the customer-facing expectation query. */
@Resolver(() => Ticket)
export class TicketSlaResolver {
  constructor(private readonly settings: SlaSettingsService) {}

  @ResolveField(() => TicketSlaType, { nullable: true, description: 'Null when no SLA policy applies.' })
  async sla(@Parent() ticket: Ticket, @Ctx() ctx: RequestContext): Promise<TicketSlaType | null> {
    const state = stateOf(ticket);
    if (!state?.policyId) return null;
    const { calendar, policies } = await this.settings.readSettings(ctx);
    const now = new Date();
    return {
      policyId: state.policyId,
      policyName: policies.find((p) => p.id === state.policyId)?.name ?? null,
      health: (slaHealth(state) ?? 'OK') as SlaHealth,
      paused: Boolean(state.pausedAt),
      targets: ORDER.filter((kind) => state.targets[kind]).map((kind) => {
        const t = state.targets[kind]!;
        const due = new Date(t.dueAt);
        const reference = t.status === 'PAUSED' && state.pausedAt ? new Date(state.pausedAt) : now;
        return {
          kind: kind as SlaTargetKindEnum,
          status: t.status as SlaTargetStatusEnum,
          clock: t.clock as SlaClockEnum,
          dueAt: due,
          remainingSeconds: Math.round(remainingSeconds(reference, due, t.clock, calendar)),
          warned: t.warned,
          breachedAt: t.breachedAt ? new Date(t.breachedAt) : null,
          metAt: t.metAt ? new Date(t.metAt) : null,
        };
      }),
    };
  }

  @ResolveField(() => Date, { description: 'When the first reply is due under the SLA policy; null when no target applies.', nullable: true })
  firstResponseDueAt(@Parent() ticket: Ticket) {
    return dueOf(ticket, 'FIRST_RESPONSE');
  }

  @ResolveField(() => Date, { nullable: true, description: 'Running after a customer message once the first reply is done.' })
  nextResponseDueAt(@Parent() ticket: Ticket) {
    return dueOf(ticket, 'NEXT_RESPONSE');
  }

  @ResolveField(() => Date, { description: 'When it must be solved under the SLA policy; null when no target applies.', nullable: true })
  resolutionDueAt(@Parent() ticket: Ticket) {
    return dueOf(ticket, 'RESOLUTION');
  }
}

@Resolver()
export class ExpectationResolver {
  constructor(private readonly settings: SlaSettingsService) {}

  @Query(() => Date, {
    nullable: true,
    description:
      'When a new conversation on this channel would get its first reply at the latest (for "we will reply by Sunday 09:15"). Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN.',
  })
  @RequirePermission('tickets:read')
  async expectedFirstReplyAt(
    @Ctx() ctx: RequestContext,
    @Args('channel', { description: 'The channel of the conversation.', type: () => Channel }) channel: Channel,
    @Args('at', { nullable: true, description: 'Default: now.' }) at?: Date,
    @Args('tier', { description: "The customer's tier (VIP targets may be tighter); STANDARD unless given.", type: () => CustomerTier, nullable: true }) tier?: CustomerTier,
  ): Promise<Date | null> {
    const { calendar, policies } = await this.settings.readSettings(ctx);
    const policy = matchPolicy(policies, { channel, category: 'GENERAL', priority: 'NORMAL', tier: tier ?? 'STANDARD', tags: [] });
    return policy?.firstResponse ? dueAt(at ?? new Date(), policy.firstResponse, calendar) : null;
  }
}
