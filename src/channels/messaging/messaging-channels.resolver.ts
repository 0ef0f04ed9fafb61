import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ArgsType, Field } from '@nestjs/graphql';
import { RequirePermission } from '../../auth/auth.decorators';
import { Ctx, RequestContext } from '../../common/request-context';
import { AddMessagePayload } from '../../tickets/dto/ticket-payloads';
import { IsNotBlank, LIMITS } from '../../common/validators';
import { ConnectMetaInput, ConnectTwilioInput, ConnectWhatsAppInput, ConnectXInput, UpdateMessagingChannelInput, WhatsAppTemplate } from './dto/connect-channel.input';
import { MessagingChannel, MessagingChannelKind } from './entities/messaging-channel.entity';
import { MessagingChannelsService } from './messaging-channels.service';
import { MessagingRepliesService } from './messaging-replies.service';

@ArgsType()
class SendTemplateArgs {
  @Field(() => ID, { description: 'The WhatsApp ticket to send on.' })
  @Matches(/^[0-9a-f-]{36}$/i, { message: 'ticketId must be a UUID' })
  ticketId: string;

  @Field({ description: 'The template name, e.g. "order_delay_notice".' })
  @Matches(/^[a-z0-9_]{1,512}$/, { message: 'name is lowercase letters, digits and underscores' })
  name: string;

  @Field({ description: 'The template language code, e.g. "ar" or "en_US".' })
  @Matches(/^[a-z]{2,3}(_[A-Z]{2})?$/, { message: 'language looks like ar or en_US' })
  language: string;

  @Field(() => [String], { defaultValue: [], description: 'Values for {{1}}, {{2}} … in order.' })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(1024, { each: true })
  parameters: string[];
}

@ArgsType()
class CommentReplyArgs {
  @Field(() => ID, { description: 'The COMMENT ticket to answer.' })
  @Matches(/^[0-9a-f-]{36}$/i, { message: 'ticketId must be a UUID' })
  ticketId: string;

  @Field({ description: 'The reply text, up to 100 000 characters.' })
  @IsString()
  @IsNotBlank()
  @MinLength(1)
  @MaxLength(LIMITS.body)
  body: string;
}

@Resolver(() => MessagingChannel)
export class MessagingChannelsResolver {
  constructor(
    private readonly channels: MessagingChannelsService,
    private readonly replies: MessagingRepliesService,
  ) {}

  @Query(() => [MessagingChannel], {
    description:
      "The store's WhatsApp numbers, Instagram accounts, Pages, X accounts and Twilio accounts (secrets are never returned). Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN.",
  })
  @RequirePermission('admin')
  messagingChannels(@Ctx() ctx: RequestContext, @Args('kind', { description: 'Only channels of this platform.', type: () => MessagingChannelKind, nullable: true }) kind?: MessagingChannelKind) {
    return this.channels.list(ctx, kind);
  }

  @Mutation(() => MessagingChannel, {
    description:
      'Connects a WhatsApp Cloud API number; give Meta the returned webhookUrl and your verify token. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, CONFLICT.',
  })
  @RequirePermission('admin')
  connectWhatsApp(@Ctx() ctx: RequestContext, @Args('input', { description: "The number and the Meta app's credentials." }) input: ConnectWhatsAppInput) {
    return this.channels.connectWhatsApp(ctx, input);
  }

  @Mutation(() => MessagingChannel, {
    description:
      'Connects an Instagram professional account or a Facebook Page (direct messages and comments). Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, CONFLICT.',
  })
  @RequirePermission('admin')
  connectMetaChannel(@Ctx() ctx: RequestContext, @Args('input', { description: "The account and the Meta app's credentials." }) input: ConnectMetaInput) {
    return this.channels.connectMeta(ctx, input);
  }

  @Mutation(() => MessagingChannel, {
    description: 'Connects an X account (Account Activity API: direct messages and mentions). Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, CONFLICT.',
  })
  @RequirePermission('admin')
  connectX(@Ctx() ctx: RequestContext, @Args('input', { description: 'The X account and app credentials.' }) input: ConnectXInput) {
    return this.channels.connectX(ctx, input);
  }

  @Mutation(() => MessagingChannel, {
    description:
      'Connects a Twilio account for phone calls: paste the returned webhookUrl as the number\'s Voice "Call status changes" URL (HTTP POST). Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, CONFLICT.',
  })
  @RequirePermission('admin')
  connectTwilio(@Ctx() ctx: RequestContext, @Args('input', { description: "The Twilio account's credentials." }) input: ConnectTwilioInput) {
    return this.channels.connectTwilio(ctx, input);
  }

  @Mutation(() => MessagingChannel, {
    description: 'Renames, disables/enables or gives new credentials to a channel. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT.',
  })
  @RequirePermission('admin')
  updateMessagingChannel(
    @Ctx() ctx: RequestContext,
    @Args('id', { description: 'The channel.', type: () => ID }, ParseUUIDPipe) id: string,
    @Args('input', { description: 'The fields to change.' }) input: UpdateMessagingChannelInput,
  ) {
    return this.channels.update(ctx, id, input);
  }

  @Mutation(() => Boolean, { description: 'Removes a channel; its messages stay on their tickets. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.' })
  @RequirePermission('admin')
  deleteMessagingChannel(@Ctx() ctx: RequestContext, @Args('id', { description: 'The channel.', type: () => ID }, ParseUUIDPipe) id: string) {
    return this.channels.remove(ctx, id);
  }

  @Query(() => [WhatsAppTemplate], {
    description:
      "A WhatsApp channel's message templates, as Meta lists them (cached 5 minutes). Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT.",
  })
  @RequirePermission('tickets:read')
  whatsAppTemplates(@Ctx() ctx: RequestContext, @Args('channelId', { description: 'A WhatsApp channel with businessAccountId set.', type: () => ID }, ParseUUIDPipe) channelId: string) {
    return this.replies.templates(ctx, channelId);
  }

  @Mutation(() => AddMessagePayload, {
    description:
      'Sends an approved WhatsApp template on a ticket (allowed after the 24-hour window closed). Needs the `tickets:write` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT.',
  })
  @RequirePermission('tickets:write')
  sendWhatsAppTemplate(@Ctx() ctx: RequestContext, @Args() args: SendTemplateArgs) {
    return this.replies.sendTemplate(ctx, args.ticketId, args.name, args.language, args.parameters);
  }

  @Mutation(() => AddMessagePayload, {
    description:
      'A short public answer under the comment a COMMENT ticket came from. Needs the `tickets:write` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT.',
  })
  @RequirePermission('tickets:write')
  replyPublicly(@Ctx() ctx: RequestContext, @Args() args: CommentReplyArgs) {
    return this.replies.replyPublicly(ctx, args.ticketId, args.body);
  }

  @Mutation(() => AddMessagePayload, {
    description:
      "Continues a public comment in private (Meta's private reply, or an X direct message), on the same ticket. Needs the `tickets:write` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT.",
  })
  @RequirePermission('tickets:write')
  replyPrivately(@Ctx() ctx: RequestContext, @Args() args: CommentReplyArgs) {
    return this.replies.replyPrivately(ctx, args.ticketId, args.body);
  }

  @ResolveField(() => String, { description: 'The path to give the platform as its webhook (callback) URL, after your public address.' })
  webhookPath(@Parent() channel: MessagingChannel) {
    return MessagingChannelsService.webhookPath(channel);
  }

  @ResolveField(() => String, { description: 'The full webhook URL (PUBLIC_URL + webhookPath).' })
  webhookUrl(@Parent() channel: MessagingChannel) {
    return this.channels.webhookUrl(channel);
  }
}
