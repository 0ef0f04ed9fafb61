import { ParseUUIDPipe } from '@nestjs/common';
import { Args, Field, ID, InputType, Mutation, ObjectType, Resolver } from '@nestjs/graphql';
import { IsEmail, IsOptional, IsString, MaxLength } from 'class-validator';
import { RequirePermission } from '../../auth/auth.decorators';
import { badInput } from '../../common/errors/domain-error';
import { Ctx, RequestContext } from '../../common/request-context';
import { PortalTicket } from '../../tickets/dto/portal.types';
import { IsNotBlank, LIMITS } from '../../common/validators';
import { LiveChatService } from './live-chat.service';

@InputType({ description: "A customer's first chat message." })
export class StartChatInput {
  @Field({ description: "The customer's first message." })
  @IsString()
  @IsNotBlank()
  @MaxLength(LIMITS.body)
  body: string;

  @Field({ nullable: true, description: 'Default: the start of the first message.' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.subject)
  subject?: string;

  @Field({ nullable: true, description: "The name a chat widget's visitor typed: becomes the customer's name when it has none." })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.name)
  visitorName?: string;

  @Field({ nullable: true, description: 'An email address the visitor typed in a chat widget, to be answered there later. Kept as an internal note for agents, not as a verified identity.' })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  visitorEmail?: string;

  @Field({ nullable: true, description: 'A phone or WhatsApp number the visitor typed in a chat widget. Kept as an internal note for agents, not as a verified identity.' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  visitorPhone?: string;
}

@ObjectType({ description: 'A live chat the customer started: its ticket, whether anyone is online, and when to expect a reply.' })
export class ChatSession {
  @Field(() => PortalTicket, { description: 'Listen on ticketMessages(ticketId) for the answers.' })
  ticket: PortalTicket;

  @Field({
    description:
      "Whether someone who could answer is online. false on a new chat: it was left as a message and the customer told when to expect the reply; a chat joined to the customer's open conversation on another channel goes on there.",
  })
  staffed: boolean;

  @Field(() => Date, { nullable: true, description: 'When the first reply is due at the latest.' })
  expectedReplyAt: Date | null;
}

/** Live chat for chat widgets (customer tokens). */
@Resolver()
export class LiveChatResolver {
  constructor(private readonly chat: LiveChatService) {}

  @Mutation(() => ChatSession, {
    description: "Starts a chat (or continues the customer's open conversation). Needs the `portal` scope (roles: customer). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT.",
  })
  @RequirePermission('portal')
  startChat(@Ctx() ctx: RequestContext, @Args('input', { description: "The customer's first message and, optionally, how to reach them." }) input: StartChatInput) {
    return this.chat.start(ctx, input.body, input.subject, { name: input.visitorName?.trim(), email: input.visitorEmail?.trim(), phone: input.visitorPhone?.trim() });
  }

  @Mutation(() => PortalTicket, { description: 'The customer writes in their chat. Needs the `portal` scope (roles: customer). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT.' })
  @RequirePermission('portal')
  sendChatMessage(
    @Ctx() ctx: RequestContext,
    @Args('ticketId', { description: "The chat's ticket.", type: () => ID }, ParseUUIDPipe) ticketId: string,
    @Args('body', { description: 'The message text, up to 100 000 characters.' }) body: string,
  ) {
    if (!body.trim() || body.length > LIMITS.body) throw badInput('A chat message has text', { body: [`1 to ${LIMITS.body} characters, not only spaces`] });
    return this.chat.send(ctx, ticketId, body);
  }
}
