import { Compensation } from './tickets/complaints/compensation.entity';
import { CannedReply } from './tickets/canned-replies/canned-reply.entity';
import { ApiKey } from './auth/entities/api-key.entity';
import { Agent } from './auth/entities/agent.entity';
import { Tenant } from './auth/entities/tenant.entity';
import { Team } from './routing/entities/team.entity';
import { TeamMember } from './routing/entities/team-member.entity';
import { RefreshToken } from './auth/entities/refresh-token.entity';
import { PasswordReset } from './auth/entities/password-reset.entity';
import { LoginFailure } from './auth/entities/login-failure.entity';
import { Customer } from './tickets/entities/customer.entity';
import { CustomerIdentity } from './tickets/entities/customer-identity.entity';
import { Message } from './tickets/entities/message.entity';
import { TicketCounter } from './tickets/entities/ticket-counter.entity';
import { TicketEvent } from './tickets/entities/ticket-event.entity';
import { Ticket } from './tickets/entities/ticket.entity';
import { MIGRATIONS } from '../migrations';
import type { DatabaseSchema } from './common/database/typeorm-options';
import { BusinessCalendarRow } from './sla/entities/business-calendar.entity';
import { SlaPolicyRow } from './sla/entities/sla-policy.entity';
import { RoutingRuleRow } from './routing/entities/routing-rule.entity';
import { RoutingSettingsRow } from './routing/entities/routing-settings.entity';
import { CsatSurvey } from './metrics/entities/csat-survey.entity';
import { KpiGoalsRow } from './metrics/entities/kpi-goals.entity';
import { ChatReadMarker } from './channels/chat/chat-read-marker.entity';
import { EmailIngestFailure } from './channels/email/entities/email-ingest-failure.entity';
import { Mailbox } from './channels/email/entities/mailbox.entity';
import { MessageAttachment } from './channels/email/entities/message-attachment.entity';
import { WebhookEndpoint } from './channels/webhooks/entities/webhook-endpoint.entity';
import { WebhookDelivery } from './channels/webhooks/entities/webhook-delivery.entity';
import { Order } from './channels/store-events/entities/order.entity';
import { StoreEvent } from './channels/store-events/entities/store-event.entity';
import { ScheduledAutomation } from './channels/store-events/entities/scheduled-automation.entity';
import { StoreSettings } from './channels/store-events/entities/store-settings.entity';
import { StorePlatformConnection } from './channels/store-platforms/entities/store-platform-connection.entity';
import { StorePlatformDelivery } from './channels/store-platforms/entities/store-platform-delivery.entity';
import { MessagingChannel } from './channels/messaging/entities/messaging-channel.entity';
import { ChatChannel } from './channels/chat/chat-channel.entity';
import { DeliveryReceipt } from './channels/messaging/entities/delivery-receipt.entity';
import { Call } from './channels/phone/entities/call.entity';
import { KbArticle } from './knowledge-base/entities/kb-article.entity';
import { KnowledgeBaseSettingsRow } from './knowledge-base/entities/kb-settings.entity';
import { FaqAnswer } from './knowledge-base/entities/faq-answer.entity';
import { ImportJob } from './tickets/import/import-job.entity';

/** Every entity and migration, listed explicitly so the app, CLI and tests load the same schema. */
export const ENTITIES = [
  Tenant,
  ApiKey,
  Agent,
  Team,
  TeamMember,
  RefreshToken,
  PasswordReset,
  LoginFailure,
  Customer,
  CustomerIdentity,
  Ticket,
  Message,
  TicketEvent,
  TicketCounter,
  BusinessCalendarRow,
  SlaPolicyRow,
  RoutingRuleRow,
  RoutingSettingsRow,
  CsatSurvey,
  KpiGoalsRow,
  Mailbox,
  EmailIngestFailure,
  ChatReadMarker,
  MessageAttachment,
  WebhookEndpoint,
  WebhookDelivery,
  Order,
  StoreEvent,
  ScheduledAutomation,
  StoreSettings,
  StorePlatformConnection,
  StorePlatformDelivery,
  MessagingChannel,
  ChatChannel,
  DeliveryReceipt,
  Call,
  CannedReply,
  Compensation,
  KbArticle,
  KnowledgeBaseSettingsRow,
  FaqAnswer,
  ImportJob,
];
export { MIGRATIONS };

/** The app's schema, handed to src/common/database by the app, the CLI and the tests. */
export const APP_SCHEMA: DatabaseSchema = { entities: ENTITIES, migrations: MIGRATIONS };
