import { Inject, ParseUUIDPipe } from '@nestjs/common';
import { Args, Field, ID, Mutation, ObjectType, Query, registerEnumType, Resolver, Subscription } from '@nestjs/graphql';
import { RequirePermission } from '../../auth/auth.decorators';
import { EventBus, PUB_SUB } from '../../common/events/event-bus';
import type { GraphQLRequestContext } from '../../common/graphql/loaders';
import { Ctx, RequestContext } from '../../common/request-context';
import { TicketReadsService } from '../../tickets/ticket-reads.service';
import { CHAT_ACTIVITY, ChatActivityNotice, ChatActivityService } from './chat-activity.service';

enum ChatSideEnum {
  CUSTOMER = 'CUSTOMER',
  AGENT = 'AGENT',
}
registerEnumType(ChatSideEnum, {
  valuesMap: { AGENT: { description: "The store's side: agents and staff keys." }, CUSTOMER: { description: 'The customer.' } },
  name: 'ChatSide',
  description: "The customer, or the store's side (agents and staff keys).",
});

enum ChatActivityKind {
  TYPING = 'TYPING',
  READ = 'READ',
}
registerEnumType(ChatActivityKind, {
  valuesMap: { READ: { description: 'That side has read up to messageId.' }, TYPING: { description: 'That side is typing; show "typing…" for a few seconds.' } },
  name: 'ChatActivityKind',
  description: 'TYPING: show "typing…" for a few seconds. READ: that side has read up to messageId.',
});

@ObjectType({ description: 'A typing or read signal in a live chat, sent to the other side in real time.' })
export class ChatActivity {
  @Field(() => ID, { description: "The chat's ticket." })
  ticketId: string;

  @Field(() => ChatActivityKind, { description: 'Typing, or read up to messageId.' })
  kind: ChatActivityKind;

  @Field(() => ChatSideEnum, { description: 'Which side did it.' })
  by: ChatSideEnum;

  @Field(() => ID, { nullable: true, description: 'The agent, when an agent signed in did it.' })
  agentId: string | null;

  @Field(() => ID, { nullable: true, description: 'READ: the latest message read.' })
  messageId: string | null;

  @Field({ description: 'When it happened (ISO 8601 with offset, UTC).' })
  at: Date;
}

@ObjectType({ description: 'How far one side of a chat has read.' })
export class ChatReadMark {
  @Field(() => ChatSideEnum, { description: 'Which side read.' })
  reader: ChatSideEnum;

  @Field(() => ID, { description: 'The latest message that side has read.' })
  messageId: string;

  @Field({ description: 'When they read it (ISO 8601 with offset, UTC).' })
  readAt: Date;
}

/** Typing and read marks for chat windows, for customers (their own tickets) and staff alike. */
@Resolver()
export class ChatActivityResolver {
  constructor(
    private readonly activity: ChatActivityService,
    private readonly ticketReads: TicketReadsService,
    @Inject(PUB_SUB) private readonly bus: EventBus,
  ) {}

  @Mutation(() => Boolean, {
    description:
      'Tells the other side you are typing (send it every few seconds while typing; nothing is stored). Needs the `tickets:write` or `portal` scope (roles: admin, supervisor, agent, integration, customer). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.',
  })
  @RequirePermission('tickets:write', 'portal')
  chatTyping(@Ctx() ctx: RequestContext, @Args('ticketId', { description: "The chat's ticket; a customer may only signal on their own.", type: () => ID }, ParseUUIDPipe) ticketId: string) {
    return this.activity.typing(ctx, ticketId);
  }

  @Mutation(() => ChatReadMark, {
    description:
      'Your side has read the conversation up to this message (a mark never moves back). Needs the `tickets:read` or `portal` scope (roles: admin, supervisor, agent, integration, customer). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.',
  })
  @RequirePermission('tickets:read', 'portal')
  markChatRead(
    @Ctx() ctx: RequestContext,
    @Args('ticketId', { description: "The chat's ticket.", type: () => ID }, ParseUUIDPipe) ticketId: string,
    @Args('messageId', { description: 'The latest message read.', type: () => ID }, ParseUUIDPipe) messageId: string,
  ) {
    return this.activity.markRead(ctx, ticketId, messageId);
  }

  @Query(() => [ChatReadMark], {
    description:
      'How far each side has read the conversation. Needs the `tickets:read` or `portal` scope (roles: admin, supervisor, agent, integration, customer). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.',
  })
  @RequirePermission('tickets:read', 'portal')
  chatReadMarks(@Ctx() ctx: RequestContext, @Args('ticketId', { description: "The chat's ticket (NOT_FOUND when the caller may not see it).", type: () => ID }, ParseUUIDPipe) ticketId: string) {
    return this.activity.markers(ctx, ticketId);
  }

  @Subscription(() => ChatActivity, {
    description:
      'Typing and read marks in one conversation, from both sides. Needs the `tickets:read` or `portal` scope (roles: admin, supervisor, agent, integration, customer). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.',
    filter: (notice: ChatActivityNotice, variables: { ticketId: string }, context: GraphQLRequestContext) => notice.tenantId === context.req.ctx?.tenantId && notice.ticketId === variables.ticketId,
    resolve: (notice: ChatActivityNotice) => ({ ...notice, at: new Date(notice.at) }),
  })
  @RequirePermission('tickets:read', 'portal')
  async chatActivity(@Ctx() ctx: RequestContext, @Args('ticketId', { description: "The chat's ticket; a customer may only follow their own.", type: () => ID }, ParseUUIDPipe) ticketId: string) {
    await this.ticketReads.getForCaller(ctx, ticketId); // NOT_FOUND for another store's ticket, or another customer's
    return this.bus.asyncIterableIterator(CHAT_ACTIVITY);
  }
}
