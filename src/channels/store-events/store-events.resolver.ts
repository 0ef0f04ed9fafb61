import { ParseUUIDPipe } from '@nestjs/common';
import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { RequirePermission } from '../../auth/auth.decorators';
import { byKeys, GraphQLRequestContext, groupByKeys } from '../../common/graphql/loaders';
import { Ctx, RequestContext } from '../../common/request-context';
import { Customer } from '../../tickets/entities/customer.entity';
import { Ticket } from '../../tickets/entities/ticket.entity';
import { CustomerTier } from '../../tickets/ticket-enums';
import { StoreEventInput, StoreEventResult } from './dto/store-event.input';
import { AutomationTemplateView, TierRuleView, UpdateStoreSettingsInput } from './dto/store-settings.input';
import { StoreSettings } from './entities/store-settings.entity';
import { Order } from './entities/order.entity';
import { AutomationKind, ScheduledAutomation } from './entities/scheduled-automation.entity';
import { StoreEventsService } from './store-events.service';

@Resolver()
export class StoreEventsResolver {
  constructor(private readonly service: StoreEventsService) {}

  @Mutation(() => StoreEventResult, {
    description:
      'Records an order event (created, paid, shipped, delivered, delayed, returned, cancelled) and what it sets in motion. Needs the `tickets:write` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT.',
  })
  @RequirePermission('tickets:write')
  recordStoreEvent(@Ctx() ctx: RequestContext, @Args('input', { description: 'The event as the store platform reports it.' }) input: StoreEventInput) {
    return this.service.record(ctx, input);
  }

  @Mutation(() => Customer, {
    description:
      "Sets a customer's tier by hand (MANUAL); null hands it back to the store's tier rules. Needs the `tickets:write` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.",
  })
  @RequirePermission('tickets:write')
  setCustomerTier(
    @Ctx() ctx: RequestContext,
    @Args('customerId', { description: 'The customer.', type: () => ID }, ParseUUIDPipe) customerId: string,
    @Args('tier', { description: "The new tier; set by hand, the store's tier rules no longer change it.", type: () => CustomerTier, nullable: true }) tier: CustomerTier | null,
  ) {
    return this.service.setCustomerTier(ctx, customerId, tier ?? null);
  }

  @Query(() => StoreSettings, {
    description:
      'What store events set in motion: follow-ups, surveys and delay notices after order events, and the tier rules. Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN.',
  })
  @RequirePermission('tickets:read')
  storeSettings(@Ctx() ctx: RequestContext) {
    return this.service.settings(ctx);
  }

  @Mutation(() => StoreSettings, {
    description: 'Changes the order automations, currency, tier rules and WhatsApp templates. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT.',
  })
  @RequirePermission('admin')
  updateStoreSettings(@Ctx() ctx: RequestContext, @Args('input', { description: 'The fields to change.' }) input: UpdateStoreSettingsInput) {
    return this.service.updateSettings(ctx, input);
  }

  @Mutation(() => ScheduledAutomation, {
    description:
      'Cancels a scheduled automation (a follow-up or survey not sent yet). Needs the `tickets:write` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT.',
  })
  @RequirePermission('tickets:write')
  cancelAutomation(@Ctx() ctx: RequestContext, @Args('id', { description: 'The scheduled automation (only SCHEDULED ones can be cancelled).', type: () => ID }, ParseUUIDPipe) id: string) {
    return this.service.cancelAutomation(ctx, id);
  }
}

@Resolver(() => StoreSettings)
export class StoreSettingsResolver {
  @ResolveField(() => [TierRuleView], { description: 'The highest tier whose rule a customer meets; STANDARD when none. Manual tiers are kept.' })
  tierRules(@Parent() settings: StoreSettings): TierRuleView[] {
    return settings.tierRules.map((r) => ({ tier: r.tier, minLifetimeValue: r.minLifetimeValue ?? null, minOrders: r.minOrders ?? null }));
  }

  @ResolveField(() => [AutomationTemplateView], { description: 'Approved WhatsApp templates the automations send on WhatsApp.' })
  whatsappTemplates(@Parent() settings: StoreSettings): AutomationTemplateView[] {
    return settings.whatsappTemplates.map((t) => ({ ...t, kind: t.kind as AutomationKind }));
  }
}

@Resolver(() => Customer)
export class CustomerOrdersResolver {
  constructor(private readonly service: StoreEventsService) {}

  @ResolveField(() => [Order], { description: 'The latest 20 orders, newest first.' })
  orders(@Parent() customer: Customer, @Context() { loaders }: GraphQLRequestContext) {
    return loaders.get<string, Order[]>('ordersByCustomer', async (ids) => groupByKeys(ids, await this.service.ordersOf(loaders.scope(customer.tenantId), ids), (o) => o.customerId)).load(customer.id);
  }
}

@Resolver(() => Ticket)
export class TicketOrderResolver {
  constructor(private readonly service: StoreEventsService) {}

  @ResolveField(() => Order, { nullable: true, description: 'The order named by orderRef, when store events told us about it.' })
  order(@Parent() ticket: Ticket, @Context() { loaders }: GraphQLRequestContext) {
    if (!ticket.orderRef) return null;
    return loaders
      .get<string, Order | null>('orderByExternalId', async (refs) => byKeys(refs, await this.service.ordersByExternalIds(loaders.scope(ticket.tenantId), refs), (o) => o.externalId))
      .load(ticket.orderRef);
  }
}

@Resolver(() => Order)
export class OrderAutomationsResolver {
  constructor(private readonly service: StoreEventsService) {}

  @ResolveField(() => [ScheduledAutomation], { description: 'Follow-ups, surveys and notices set for this order, by time.' })
  automations(@Parent() order: Order, @Context() { loaders }: GraphQLRequestContext) {
    return loaders
      .get<string, ScheduledAutomation[]>('automationsByOrder', async (ids) => groupByKeys(ids, await this.service.automationsOf(loaders.scope(order.tenantId), ids), (a) => a.orderId))
      .load(order.id);
  }
}
