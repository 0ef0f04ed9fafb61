import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { RequirePermission } from '../../auth/auth.decorators';
import { Ctx, RequestContext } from '../../common/request-context';
import { CreateMailboxInput, UpdateMailboxInput } from './dto/mailbox.input';
import { EmailIngestFailure } from './entities/email-ingest-failure.entity';
import { Mailbox } from './entities/mailbox.entity';
import { MailboxesService } from './mailboxes.service';

@Resolver(() => Mailbox)
export class MailboxesResolver {
  constructor(private readonly service: MailboxesService) {}

  @Query(() => [Mailbox], { description: "The store's support mailboxes (passwords are never returned). Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN." })
  @RequirePermission('admin')
  mailboxes(@Ctx() ctx: RequestContext) {
    return this.service.list(ctx);
  }

  @Query(() => [EmailIngestFailure], {
    description:
      'The latest 100 messages of a mailbox set aside after failing to ingest on every try (kept whole, flagged in the mailbox). Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.',
  })
  @RequirePermission('admin')
  emailIngestFailures(@Ctx() ctx: RequestContext, @Args('mailboxId', { description: 'The mailbox (NOT_FOUND when not in the store).', type: () => ID }, ParseUUIDPipe) mailboxId: string) {
    return this.service.failures(ctx, mailboxId);
  }

  @Mutation(() => Mailbox, {
    description:
      'Connects a mailbox: mail to it becomes tickets, replies go out through its SMTP server. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, CONFLICT.',
  })
  @RequirePermission('admin')
  createMailbox(@Ctx() ctx: RequestContext, @Args('input', { description: 'The address and its IMAP and SMTP servers.' }) input: CreateMailboxInput) {
    return this.service.create(ctx, input);
  }

  @Mutation(() => Mailbox, {
    description: 'Changes a mailbox; secrets given replace the stored ones. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT.',
  })
  @RequirePermission('admin')
  updateMailbox(
    @Ctx() ctx: RequestContext,
    @Args('id', { description: 'The mailbox.', type: () => ID }, ParseUUIDPipe) id: string,
    @Args('input', { description: 'The fields to change.' }) input: UpdateMailboxInput,
  ) {
    return this.service.update(ctx, id, input);
  }

  @Mutation(() => Boolean, {
    description: 'Disconnects a mailbox: it is no longer polled; tickets and messages stay. Returns true. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.',
  })
  @RequirePermission('admin')
  deleteMailbox(@Ctx() ctx: RequestContext, @Args('id', { description: 'The mailbox.', type: () => ID }, ParseUUIDPipe) id: string) {
    return this.service.remove(ctx, id);
  }
}
