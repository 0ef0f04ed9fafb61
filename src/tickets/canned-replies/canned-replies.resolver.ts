import { ParseUUIDPipe } from '@nestjs/common';
import { Args, Field, ID, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { RequirePermission } from '../../auth/auth.decorators';
import { Ctx, RequestContext } from '../../common/request-context';
import { AddMessagePayload } from '../dto/ticket-payloads';
import '../graphql-enums';
import { TicketCategory } from '../ticket-enums';
import { CannedRepliesService } from './canned-replies.service';
import { CannedReply, ContentLocale } from './canned-reply.entity';
import { CannedReplyInput } from './canned-reply.input';
import { PLACEHOLDERS } from './canned-reply-template';

@ObjectType({ description: 'A canned reply filled in for one ticket.' })
class RenderedCannedReply {
  @Field(() => CannedReply, { description: 'The canned reply that was rendered.' })
  cannedReply: CannedReply;

  @Field({ description: 'The reply with its placeholders filled from the ticket, ready to send.' })
  text: string;

  @Field(() => [String], { description: 'Placeholders with no value for this ticket (the text has a gap there), e.g. order.id when the ticket has no order.' })
  missing: string[];
}

@Resolver(() => CannedReply)
export class CannedRepliesResolver {
  constructor(private readonly service: CannedRepliesService) {}

  @Query(() => [CannedReply], {
    description:
      'Canned replies, most used first. A new store starts with Arabic and English defaults. Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN.',
  })
  @RequirePermission('tickets:read')
  cannedReplies(
    @Ctx() ctx: RequestContext,
    @Args('category', { description: 'Only replies meant for this category (and those for any category).', type: () => TicketCategory, nullable: true }) category?: TicketCategory,
    @Args('locale', { description: 'Only replies in this language.', type: () => ContentLocale, nullable: true }) locale?: ContentLocale,
    @Args('activeOnly', { description: 'True leaves out inactive replies.', defaultValue: false }) activeOnly?: boolean,
  ) {
    return this.service.list(ctx, { category, locale, activeOnly });
  }

  @Query(() => [String], {
    description:
      'The placeholders a canned reply may use, e.g. customer.name for {{customer.name}}. Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN.',
  })
  @RequirePermission('tickets:read')
  cannedReplyPlaceholders() {
    return PLACEHOLDERS;
  }

  @Query(() => RenderedCannedReply, {
    description:
      'The reply filled in for a ticket, to insert in the composer. Counts as a use. Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.',
  })
  @RequirePermission('tickets:read')
  renderCannedReply(
    @Ctx() ctx: RequestContext,
    @Args('id', { description: 'The canned reply.', type: () => ID }, ParseUUIDPipe) id: string,
    @Args('ticketId', { description: 'The ticket whose customer, order and agent fill the placeholders.', type: () => ID }, ParseUUIDPipe) ticketId: string,
  ) {
    return this.service.render(ctx, id, ticketId);
  }

  @Mutation(() => CannedReply, {
    description:
      'Unknown placeholders and template logic are refused with BAD_USER_INPUT naming them. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, CONFLICT.',
  })
  @RequirePermission('admin')
  createCannedReply(@Ctx() ctx: RequestContext, @Args('input', { description: 'The reply; shortcut, title and body are required.' }) input: CannedReplyInput) {
    return this.service.create(ctx, input);
  }

  @Mutation(() => CannedReply, { description: 'Changes a canned reply. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT, CONFLICT.' })
  @RequirePermission('admin')
  updateCannedReply(
    @Ctx() ctx: RequestContext,
    @Args('id', { description: 'The canned reply.', type: () => ID }, ParseUUIDPipe) id: string,
    @Args('input', { description: 'The fields to change.' }) input: CannedReplyInput,
  ) {
    return this.service.update(ctx, id, input);
  }

  @Mutation(() => Boolean, { description: 'Deletes a canned reply. Returns true. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.' })
  @RequirePermission('admin')
  deleteCannedReply(@Ctx() ctx: RequestContext, @Args('id', { description: 'The canned reply.', type: () => ID }, ParseUUIDPipe) id: string) {
    return this.service.remove(ctx, id);
  }

  @Mutation(() => AddMessagePayload, {
    description:
      "Sends the canned reply, filled in, as the caller's public reply and applies its actions (status, tags, category, priority) in one audited step (MACRO_APPLIED). Needs the `tickets:write` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT.",
  })
  @RequirePermission('tickets:write')
  applyMacro(
    @Ctx() ctx: RequestContext,
    @Args('ticketId', { description: 'The ticket to reply on and change.', type: () => ID }, ParseUUIDPipe) ticketId: string,
    @Args('macroId', { type: () => ID, description: 'The canned reply to apply.' }, ParseUUIDPipe) macroId: string,
  ) {
    return this.service.apply(ctx, ticketId, macroId);
  }
}
