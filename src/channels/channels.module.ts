import { NodeRegistry } from '../common/graphql/node';
import { ChatChannel } from './chat/chat-channel.entity';
import { Mailbox } from './email/entities/mailbox.entity';
import { MessagingChannel } from './messaging/entities/messaging-channel.entity';
import { StorePlatformConnection } from './store-platforms/entities/store-platform-connection.entity';
import { WebhookEndpoint } from './webhooks/entities/webhook-endpoint.entity';
import { WebhookDelivery } from './webhooks/entities/webhook-delivery.entity';
import { StorePlatformDelivery } from './store-platforms/entities/store-platform-delivery.entity';
import { EmailIngestFailure } from './email/entities/email-ingest-failure.entity';
import { MessageAttachment } from './email/entities/message-attachment.entity';
import { Call } from './phone/entities/call.entity';
import { Order } from './store-events/entities/order.entity';
import { StoreEvent } from './store-events/entities/store-event.entity';
import { ScheduledAutomation } from './store-events/entities/scheduled-automation.entity';
import { InboundContexts } from './inbound-context';
import { Module } from '@nestjs/common';
import { SlaModule } from '../sla/sla.module';
import { MetricsModule } from '../metrics/metrics.module';
import { ChatActivityResolver } from './chat/chat-activity.resolver';
import { ChatActivityService } from './chat/chat-activity.service';
import { LiveChatResolver } from './chat/live-chat.resolver';
import { LiveChatService } from './chat/live-chat.service';
import { ChatChannelsResolver } from './chat/chat-channels.resolver';
import { ChatChannelsService } from './chat/chat-channels.service';
import { VisitorSessionsService } from './chat/visitor-sessions.service';
import { WidgetController } from './chat/widget.controller';
import { StoreEventsController } from './store-events/store-events.controller';
import { CustomerOrdersResolver, OrderAutomationsResolver, StoreEventsResolver, StoreSettingsResolver, TicketOrderResolver } from './store-events/store-events.resolver';
import { StoreEventsService } from './store-events/store-events.service';
import { SurveyMessagesService } from './store-events/survey-messages.service';
import { TicketsModule } from '../tickets/tickets.module';
import { TicketsIngestController } from './api/tickets-ingest.controller';
import { EmailDeliveryService } from './email/email-delivery.service';
import { EmailIngestService } from './email/email-ingest.service';
import { MailboxWatcherService } from './email/mailbox-watcher.service';
import { MailboxesResolver } from './email/mailboxes.resolver';
import { MailboxesService } from './email/mailboxes.service';
import { MessageAttachmentsResolver } from './email/message-attachments.resolver';
import { MessageAttachmentsController } from './email/message-attachments.controller';
import { MessageAttachmentsService } from './email/message-attachments.service';
import { WebhooksResolver } from './webhooks/webhooks.resolver';
import { WebhooksService } from './webhooks/webhooks.service';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher';
import { ConnectionCountResolver } from '../common/graphql/connection';
import { WebhookDeliveryConnection } from './webhooks/dto/webhook-endpoint.input';
import { MessagingChannelsResolver } from './messaging/messaging-channels.resolver';
import { MessagingChannelsService } from './messaging/messaging-channels.service';
import { MessagingDeliveryService } from './messaging/messaging-delivery.service';
import { MessagingIngestService } from './messaging/messaging-ingest.service';
import { MessagingRepliesService } from './messaging/messaging-replies.service';
import { MessagingWebhooks } from './messaging/messaging-webhooks';
import { PlatformApi } from './messaging/platform-api';
import { WhatsAppWebhookController } from './messaging/whatsapp/whatsapp-webhook.controller';
import { MetaWebhookController } from './messaging/meta/meta-webhook.controller';
import { XWebhookController } from './messaging/x/x-webhook.controller';
import { CallsController } from './phone/calls.controller';
import { PhoneResolver, TicketCallsResolver } from './phone/phone.resolver';
import { PhoneService } from './phone/phone.service';
import { TwilioVoiceController } from './phone/twilio-voice.controller';
import { StorePlatformWebhookController } from './store-platforms/store-platform-webhook.controller';
import { StorePlatformsResolver } from './store-platforms/store-platforms.resolver';
import { StorePlatformsService } from './store-platforms/store-platforms.service';
import { StoreSyncService } from './store-platforms/store-sync.service';
import { StorePlatformDeliveryConnection } from './store-platforms/dto/connect-store-platform.input';

@Module({
  imports: [TicketsModule, SlaModule, MetricsModule],
  controllers: [
    TicketsIngestController,
    StoreEventsController,
    StorePlatformWebhookController,
    WhatsAppWebhookController,
    MetaWebhookController,
    XWebhookController,
    CallsController,
    TwilioVoiceController,
    MessageAttachmentsController,
    WidgetController,
  ],
  providers: [
    MailboxesService,
    MailboxesResolver,
    MessageAttachmentsResolver,
    MessageAttachmentsService,
    EmailIngestService,
    EmailDeliveryService,
    MailboxWatcherService,
    WebhooksService,
    WebhookDispatcher,
    WebhooksResolver,
    ConnectionCountResolver(WebhookDeliveryConnection),
    StoreEventsService,
    SurveyMessagesService,
    StoreEventsResolver,
    StoreSettingsResolver,
    CustomerOrdersResolver,
    TicketOrderResolver,
    OrderAutomationsResolver,
    StorePlatformsService,
    StoreSyncService,
    StorePlatformsResolver,
    ConnectionCountResolver(StorePlatformDeliveryConnection),
    LiveChatService,
    LiveChatResolver,
    ChatChannelsService,
    ChatChannelsResolver,
    VisitorSessionsService,
    ChatActivityService,
    ChatActivityResolver,
    MessagingChannelsService,
    MessagingChannelsResolver,
    MessagingIngestService,
    MessagingDeliveryService,
    MessagingRepliesService,
    MessagingWebhooks,
    PlatformApi,
    PhoneService,
    PhoneResolver,
    TicketCallsResolver,
    InboundContexts,
  ],
  exports: [EmailIngestService, EmailDeliveryService, MailboxWatcherService, StoreSyncService],
})
export class ChannelsModule {
  constructor(nodes: NodeRegistry) {
    // An admin's channel settings, fetched again by id like any other node.
    nodes.registerEntity('Mailbox', Mailbox, 'mailboxes', 'admin');
    nodes.registerEntity('MessagingChannel', MessagingChannel, 'messaging_channels', 'admin');
    nodes.registerEntity('WebhookEndpoint', WebhookEndpoint, 'webhook_endpoints', 'admin');
    nodes.registerEntity('ChatChannel', ChatChannel, 'chat_channels', 'admin');
    nodes.registerEntity('StorePlatformConnection', StorePlatformConnection, 'store_platform_connections', 'admin');
    // Their logs, for admins too, as their list queries.
    nodes.registerEntity('WebhookDelivery', WebhookDelivery, 'webhook_deliveries', 'admin');
    nodes.registerEntity('StorePlatformDelivery', StorePlatformDelivery, 'store_platform_deliveries', 'admin');
    nodes.registerEntity('EmailIngestFailure', EmailIngestFailure, 'email_ingest_failures', 'admin');
    // What the channels add to tickets, messages and customers, for staff as those fields.
    nodes.registerEntity('Call', Call, 'calls', 'tickets:read');
    nodes.registerEntity('MessageAttachment', MessageAttachment, 'message_attachments', 'tickets:read');
    nodes.registerEntity('Order', Order, 'orders', 'tickets:read');
    nodes.registerEntity('ScheduledAutomation', ScheduledAutomation, 'scheduled_automations', 'tickets:read');
    // Only recordStoreEvent's answer shows a store event: for callers that may record one.
    nodes.registerEntity('StoreEvent', StoreEvent, 'store_events', 'tickets:write');
  }
}
