import { PAGE_ARGS } from '../../common/graphql/connection';
import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { RequirePermission } from '../../auth/auth.decorators';
import { Ctx, RequestContext } from '../../common/request-context';
import { CreateWebhookEndpointInput, UpdateWebhookEndpointInput, WebhookDeliveryConnection, WebhookEndpointWithSecret } from './dto/webhook-endpoint.input';
import { WebhookDelivery, WebhookDeliveryStatus } from './entities/webhook-delivery.entity';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity';
import { WebhooksService } from './webhooks.service';

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
    @Args('first', PAGE_ARGS.first) first?: number | null,
    @Args('after', PAGE_ARGS.after) after?: string | null,
    @Args('last', PAGE_ARGS.last) last?: number | null,
    @Args('before', PAGE_ARGS.before) before?: string | null,
  ) {
    return this.service.deliveries(ctx, endpointId, status, { first, after, last, before });
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
