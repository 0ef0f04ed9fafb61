import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { RequirePermission } from '../../auth/auth.decorators';
import { Ctx, RequestContext } from '../../common/request-context';
import { CreateWebhookEndpointInput, UpdateWebhookEndpointInput, WebhookDeliveryConnection, WebhookEndpointWithSecret } from './dto/webhook-endpoint.input';
import { WebhookDelivery, WebhookDeliveryStatus } from './entities/webhook-delivery.entity';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity';
import { WebhooksService } from './webhooks.service';
import { badInput } from '../../common/errors/domain-error';

@Resolver(() => WebhookEndpoint)
export class WebhooksResolver {
  constructor(private readonly service: WebhooksService) {}

  @Query(() => [WebhookEndpoint], { description: "The store's webhook endpoints (secrets are never returned). Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN." })
  @RequirePermission('admin')
  webhookEndpoints(@Ctx() ctx: RequestContext) {
    return this.service.list(ctx);
  }

  @Query(() => WebhookDeliveryConnection, {
    description: "An endpoint's delivery log, newest first. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT.",
  })
  @RequirePermission('admin')
  webhookDeliveries(
    @Ctx() ctx: RequestContext,
    @Args('endpointId', { description: 'The endpoint (NOT_FOUND when not in the store).', type: () => ID }, ParseUUIDPipe) endpointId: string,
    @Args('status', { description: 'Only deliveries in this status, e.g. FAILED to replay them.', type: () => WebhookDeliveryStatus, nullable: true }) status?: WebhookDeliveryStatus,
    @Args('first', { description: 'Page size, 1–100.', type: () => Int, defaultValue: 20 }) first = 20,
    @Args('after', { description: 'The endCursor of the previous page; omitted for the first page.', nullable: true }) after?: string,
  ) {
    if (first < 1 || first > 100) throw badInput('first must be between 1 and 100', { first: ['between 1 and 100'] });
    return this.service.deliveries(ctx, endpointId, status, first, after);
  }

  @Mutation(() => WebhookEndpointWithSecret, {
    description: 'Subscribes a URL to ticket events; the signing secret is returned this once. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT.',
  })
  @RequirePermission('admin')
  createWebhookEndpoint(@Ctx() ctx: RequestContext, @Args('input', { description: 'The address and the events to send.' }) input: CreateWebhookEndpointInput) {
    return this.service.create(ctx, input);
  }

  @Mutation(() => WebhookEndpoint, { description: 'Changes a webhook endpoint. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT.' })
  @RequirePermission('admin')
  updateWebhookEndpoint(
    @Ctx() ctx: RequestContext,
    @Args('id', { description: 'The endpoint.', type: () => ID }, ParseUUIDPipe) id: string,
    @Args('input', { description: 'The fields to change.' }) input: UpdateWebhookEndpointInput,
  ) {
    return this.service.update(ctx, id, input);
  }

  @Mutation(() => WebhookEndpointWithSecret, {
    description: 'A new signing secret, effective at once (returned this once). Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.',
  })
  @RequirePermission('admin')
  rotateWebhookSecret(@Ctx() ctx: RequestContext, @Args('id', { description: 'The endpoint.', type: () => ID }, ParseUUIDPipe) id: string) {
    return this.service.rotateSecret(ctx, id);
  }

  @Mutation(() => Boolean, {
    description: 'Deletes a webhook endpoint and stops its pending deliveries. Returns true. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.',
  })
  @RequirePermission('admin')
  deleteWebhookEndpoint(@Ctx() ctx: RequestContext, @Args('id', { description: 'The endpoint.', type: () => ID }, ParseUUIDPipe) id: string) {
    return this.service.delete(ctx, id);
  }

  @Mutation(() => WebhookDelivery, {
    description: 'Sends a delivered or failed event again, as a new delivery with the same event id. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.',
  })
  @RequirePermission('admin')
  replayWebhookDelivery(@Ctx() ctx: RequestContext, @Args('id', { description: 'The delivery, usually a FAILED one.', type: () => ID }, ParseUUIDPipe) id: string) {
    return this.service.replay(ctx, id);
  }
}
