import { ParseUUIDPipe } from '@nestjs/common';
import { PAGE_ARGS } from '../../common/graphql/connection';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { RequirePermission } from '../../auth/auth.decorators';
import { Ctx, RequestContext } from '../../common/request-context';
import {
  ConnectStorePlatformInput,
  ConnectStorePlatformPayload,
  StorePlatformDeliveryConnection,
  StorePlatformDeliveryCounts,
  StorePlatformSyncResult,
  SyncStorePlatformInput,
} from './dto/connect-store-platform.input';
import { StorePlatformConnection } from './entities/store-platform-connection.entity';
import { DeliveryOutcome } from './entities/store-platform-delivery.entity';
import { StorePlatformsService } from './store-platforms.service';
import { StoreSyncService } from './store-sync.service';

@Resolver(() => StorePlatformConnection)
export class StorePlatformsResolver {
  constructor(
    private readonly platforms: StorePlatformsService,
    private readonly sync: StoreSyncService,
  ) {}

  @Query(() => [StorePlatformConnection], {
    description: "The store's Salla, Zid and Shopify connections, oldest first (admin; secrets are never returned). Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN.",
  })
  @RequirePermission('admin')
  storePlatformConnections(@Ctx() ctx: RequestContext) {
    return this.platforms.list(ctx);
  }

  @Mutation(() => ConnectStorePlatformPayload, {
    description:
      'Connects a Salla, Zid or Shopify store (admin). Returns the webhook URL to give the platform and, for Zid, the Basic credentials to register with it (shown once). BAD_USER_INPUT names a missing webhookSecret or shop domain. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, CONFLICT.',
  })
  @RequirePermission('admin')
  connectStorePlatform(
    @Ctx() ctx: RequestContext,
    @Args('input', { description: "The platform, the store's id there and the credentials to check its webhooks and call its API." }) input: ConnectStorePlatformInput,
  ) {
    return this.platforms.connect(ctx, input);
  }

  @Mutation(() => StorePlatformConnection, {
    description:
      'Turns a connection off (its webhooks get 403 FORBIDDEN) or on again (admin). NOT_FOUND for an unknown id. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.',
  })
  @RequirePermission('admin')
  setStorePlatformActive(
    @Ctx() ctx: RequestContext,
    @Args('id', { type: () => ID, description: 'The connection id.' }, ParseUUIDPipe) id: string,
    @Args('active', { description: 'false: refuse its webhooks; true: take them again.' }) active: boolean,
  ) {
    return this.platforms.setActive(ctx, id, active);
  }

  @Mutation(() => Boolean, {
    description:
      'Removes a connection and its delivery log (admin); orders and customers stay. NOT_FOUND for an unknown id. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.',
  })
  @RequirePermission('admin')
  disconnectStorePlatform(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID, description: 'The connection id.' }, ParseUUIDPipe) id: string) {
    return this.platforms.remove(ctx, id);
  }

  @Mutation(() => StorePlatformSyncResult, {
    description:
      "Pulls the last `days` days of orders through the platform's REST API and records them as store events, idempotently (admin). Needs the connection's API token: else BAD_USER_INPUT; the platform refusing it: CHANNEL_ERROR.",
  })
  @RequirePermission('admin')
  syncStorePlatform(
    @Ctx() ctx: RequestContext,
    @Args('id', { type: () => ID, description: 'The connection id.' }, ParseUUIDPipe) id: string,
    @Args('input', { type: () => SyncStorePlatformInput, nullable: true, description: 'Which orders; default the last 30 days.' }) input?: SyncStorePlatformInput,
  ) {
    return this.sync.sync(ctx, id, input?.days ?? 30);
  }

  @Query(() => StorePlatformDeliveryConnection, {
    description:
      "A connection's delivery log, newest first (admin): what each verified webhook became. NOT_FOUND for an unknown connection. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN.",
  })
  @RequirePermission('admin')
  storePlatformDeliveries(
    @Ctx() ctx: RequestContext,
    @Args('connectionId', { type: () => ID, description: 'The connection id.' }, ParseUUIDPipe) connectionId: string,
    @Args('outcome', { type: () => DeliveryOutcome, nullable: true, description: 'Only RECORDED or only IGNORED deliveries.' }) outcome?: DeliveryOutcome,
    @Args('first', PAGE_ARGS.first) first?: number | null,
    @Args('after', PAGE_ARGS.after) after?: string | null,
    @Args('last', PAGE_ARGS.last) last?: number | null,
    @Args('before', PAGE_ARGS.before) before?: string | null,
  ) {
    return this.platforms.deliveries(ctx, connectionId, outcome, { first, after, last, before });
  }

  @ResolveField(() => String, { description: 'The URL to give the platform (PUBLIC_URL + /webhooks/stores/<id>).' })
  webhookUrl(@Parent() connection: StorePlatformConnection) {
    return this.platforms.webhookUrl(connection);
  }

  @ResolveField(() => StorePlatformDeliveryCounts, { description: 'Deliveries recorded, ignored and redelivered so far.' })
  deliveryCounts(@Ctx() ctx: RequestContext, @Parent() connection: StorePlatformConnection) {
    return this.platforms.deliveryCounts(ctx, connection.id);
  }
}
