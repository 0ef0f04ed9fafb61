import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { TenantTransactions } from '../../common/database/tenant-transactions';
import { groupByKeys, GraphQLRequestContext } from '../../common/graphql/loaders';
import { Message } from '../../tickets/entities/message.entity';
import { MessageAttachment } from './entities/message-attachment.entity';

/** Adds `Message.attachments` (metadata; one query per request for all messages shown). */
@Resolver(() => Message)
export class MessageAttachmentsResolver {
  constructor(private readonly db: TenantTransactions) {}

  @ResolveField(() => [MessageAttachment], { description: 'Files that came with the message (email); content is kept up to the size limit.' })
  attachments(@Parent() message: Message, @Context() { loaders }: GraphQLRequestContext) {
    return loaders
      .get<string, MessageAttachment[]>('attachmentsByMessage', async (ids) =>
        groupByKeys(
          ids,
          await this.db.read(loaders.scope(message.tenantId), (m) =>
            m
              .createQueryBuilder(MessageAttachment, 'a')
              .where('a.tenant_id = :tenantId AND a.message_id IN (:...ids)', { tenantId: message.tenantId, ids })
              .orderBy('a.created_at')
              .addOrderBy('a.id')
              .getMany(),
          ),
          (a) => a.messageId,
        ),
      )
      .load(message.id);
  }
}
