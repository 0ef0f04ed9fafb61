import { Module } from '@nestjs/common';
import { SlaModule } from '../sla/sla.module';
import { TicketsModule } from '../tickets/tickets.module';
import { TicketsIngestController } from './api/tickets-ingest.controller';
import { EmailDeliveryService } from './email/email-delivery.service';
import { EmailIngestService } from './email/email-ingest.service';
import { MailboxWatcherService } from './email/mailbox-watcher.service';
import { MailboxesResolver } from './email/mailboxes.resolver';
import { MailboxesService } from './email/mailboxes.service';
import { MessageAttachmentsResolver } from './email/message-attachments.resolver';

@Module({
  imports: [TicketsModule, SlaModule],
  controllers: [TicketsIngestController],
  providers: [MailboxesService, MailboxesResolver, MessageAttachmentsResolver, EmailIngestService, EmailDeliveryService, MailboxWatcherService],
  exports: [EmailIngestService, EmailDeliveryService, MailboxWatcherService],
})
export class ChannelsModule {}
