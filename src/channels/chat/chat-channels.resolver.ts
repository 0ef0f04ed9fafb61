import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { RequirePermission } from '../../auth/auth.decorators';
import { Ctx, RequestContext } from '../../common/request-context';
import { ChatChannel } from './chat-channel.entity';
import { ChatChannelsService } from './chat-channels.service';
import { CreateChatChannelInput, CreatedChatChannel, UpdateChatChannelInput } from './chat-channels.types';

/** Admins set up the storefront chat widget: `<script src="<PUBLIC_URL>/widget.js" data-channel="<id>" defer></script>`. */
@Resolver(() => ChatChannel)
export class ChatChannelsResolver {
  constructor(private readonly channels: ChatChannelsService) {}

  @Query(() => [ChatChannel], { description: "The store's chat widgets (never their identity secrets). Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN." })
  @RequirePermission('admin')
  chatChannels(@Ctx() ctx: RequestContext) {
    return this.channels.list(ctx);
  }

  @Mutation(() => CreatedChatChannel, {
    description:
      'Creates a chat widget for storefronts: its public id, allowed origins and, when asked for, the identity secret (shown once). Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT.',
  })
  @RequirePermission('admin')
  createChatChannel(@Ctx() ctx: RequestContext, @Args('input', { description: 'The widget to create.' }) input: CreateChatChannelInput) {
    return this.channels.create(ctx, input);
  }

  @Mutation(() => ChatChannel, {
    description:
      "Changes a chat widget's name, allowed origins, questions or whether it is active. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT.",
  })
  @RequirePermission('admin')
  updateChatChannel(
    @Ctx() ctx: RequestContext,
    @Args('id', { type: () => ID, description: 'The chat channel.' }, ParseUUIDPipe) id: string,
    @Args('input', { description: 'What changes.' }) input: UpdateChatChannelInput,
  ) {
    return this.channels.update(ctx, id, input);
  }

  @Mutation(() => CreatedChatChannel, {
    description:
      'A new identity secret (turns identity verification on); identities signed with the old one are refused from now on. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.',
  })
  @RequirePermission('admin')
  rotateChatChannelSecret(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID, description: 'The chat channel.' }, ParseUUIDPipe) id: string) {
    return this.channels.rotateIdentitySecret(ctx, id);
  }

  @Mutation(() => Boolean, {
    description: 'Deletes a chat widget: pages naming it show no chat; its conversations stay. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.',
  })
  @RequirePermission('admin')
  deleteChatChannel(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID, description: 'The chat channel.' }, ParseUUIDPipe) id: string) {
    return this.channels.remove(ctx, id);
  }
}
