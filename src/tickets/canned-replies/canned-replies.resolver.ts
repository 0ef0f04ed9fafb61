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
  @Field(() => CannedReply)
  cannedReply: CannedReply;

  @Field()
  text: string;

  @Field(() => [String], { description: 'Placeholders with no value for this ticket (the text has a gap there), e.g. order.id when the ticket has no order.' })
  missing: string[];
}

@Resolver(() => CannedReply)
export class CannedRepliesResolver {
  constructor(private readonly service: CannedRepliesService) {}

  @Query(() => [CannedReply], { description: 'Canned replies, most used first. A new store starts with Arabic and English defaults.' })
  @RequirePermission('tickets:read')
  cannedReplies(
    @Ctx() ctx: RequestContext,
    @Args('category', { type: () => TicketCategory, nullable: true }) category?: TicketCategory,
    @Args('locale', { type: () => ContentLocale, nullable: true }) locale?: ContentLocale,
    @Args('activeOnly', { defaultValue: false }) activeOnly?: boolean,
  ) {
    return this.service.list(ctx, { category, locale, activeOnly });
  }

  @Query(() => [String], { description: 'The placeholders a canned reply may use, e.g. customer.name for {{customer.name}}.' })
  @RequirePermission('tickets:read')
  cannedReplyPlaceholders() {
    return PLACEHOLDERS;
  }

  @Query(() => RenderedCannedReply, { description: 'The reply filled in for a ticket, to insert in the composer. Counts as a use.' })
  @RequirePermission('tickets:read')
  renderCannedReply(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }, ParseUUIDPipe) id: string, @Args('ticketId', { type: () => ID }, ParseUUIDPipe) ticketId: string) {
    return this.service.render(ctx, id, ticketId);
  }

  @Mutation(() => CannedReply, { description: 'Unknown placeholders and template logic are refused with BAD_USER_INPUT naming them.' })
  @RequirePermission('admin')
  createCannedReply(@Ctx() ctx: RequestContext, @Args('input') input: CannedReplyInput) {
    return this.service.create(ctx, input);
  }

  @Mutation(() => CannedReply)
  @RequirePermission('admin')
  updateCannedReply(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }, ParseUUIDPipe) id: string, @Args('input') input: CannedReplyInput) {
    return this.service.update(ctx, id, input);
  }

  @Mutation(() => Boolean)
  @RequirePermission('admin')
  deleteCannedReply(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }, ParseUUIDPipe) id: string) {
    return this.service.remove(ctx, id);
  }

  @Mutation(() => AddMessagePayload, {
    description: "Sends the canned reply, filled in, as the caller's public reply and applies its actions (status, tags, category, priority) in one audited step (MACRO_APPLIED).",
  })
  @RequirePermission('tickets:write')
  applyMacro(
    @Ctx() ctx: RequestContext,
    @Args('ticketId', { type: () => ID }, ParseUUIDPipe) ticketId: string,
    @Args('macroId', { type: () => ID, description: 'The canned reply to apply.' }, ParseUUIDPipe) macroId: string,
  ) {
    return this.service.apply(ctx, ticketId, macroId);
  }
}
