import { registerEnumType } from '@nestjs/graphql';
import '../common/graphql/shared-enums';
import { AuthorType, Channel, CustomerTier, DeliveryStatus, IdentityKind, SlaHealth, TicketEventType, TicketPriority, TicketStatus } from './ticket-enums';

registerEnumType(TicketStatus, {
  valuesMap: {
    CLOSED: { description: 'Final: immutable; a new message opens a follow-up ticket.' },
    NEW: { description: 'Not yet answered or taken.' },
    ON_HOLD: { description: 'Waiting on a third party (e.g. the shipping company).' },
    OPEN: { description: 'Being worked on.' },
    PENDING: { description: 'Waiting on the customer; the SLA clock is paused.' },
    SOLVED: { description: 'Answered; a customer message reopens it.' },
  },
  name: 'TicketStatus',
  description: 'NEW → OPEN ⇄ PENDING/ON_HOLD → SOLVED → CLOSED',
});
registerEnumType(TicketPriority, {
  valuesMap: {
    HIGH: { description: 'Soon.' },
    LOW: { description: 'When there is time.' },
    NORMAL: { description: 'The usual.' },
    URGENT: { description: 'First: payment taken twice, angry wording, VIP with a problem.' },
  },
  description: 'How urgent a ticket is; sorts queues and tightens SLA targets.',
  name: 'TicketPriority',
});
registerEnumType(Channel, {
  valuesMap: {
    API: { description: 'Created by an integration through the API.' },
    CHAT: { description: 'Live chat (chat widget with a customer token).' },
    COMMENT: { description: "A public comment on the store's Instagram or Facebook posts." },
    EMAIL: { description: 'Email through a connected mailbox.' },
    FACEBOOK: { description: 'Facebook Messenger direct messages.' },
    INSTAGRAM: { description: 'Instagram direct messages.' },
    PHONE: { description: 'A phone call.' },
    WEB_FORM: { description: "The store's contact form or the customer portal." },
    WHATSAPP: { description: 'WhatsApp Business (Cloud API).' },
    X: { description: 'X (Twitter) direct messages and mentions.' },
  },
  description: 'Where a ticket or message came from or goes out.',
  name: 'Channel',
});
registerEnumType(AuthorType, {
  valuesMap: {
    AGENT: { description: 'A person of the store (an agent, or a staff API key replying on their behalf).' },
    BOT: { description: 'An automatic answer, such as the FAQ auto-answer.' },
    CUSTOMER: { description: "The ticket's customer." },
    SYSTEM: { description: 'Rida itself: acknowledgements, automations, notices.' },
  },
  description: 'Who wrote a message.',
  name: 'AuthorType',
});
registerEnumType(IdentityKind, {
  valuesMap: {
    EMAIL: { description: 'An email address, lower-case.' },
    EXTERNAL: { description: "The store platform's own customer id." },
    FACEBOOK: { description: 'A Facebook (Messenger) user id.' },
    INSTAGRAM: { description: 'An Instagram handle or user id.' },
    PHONE: { description: 'A phone number in E.164, also used for WhatsApp.' },
    X: { description: 'An X handle or user id.' },
  },
  description: 'The kind of a customer identity.',
  name: 'IdentityKind',
});
registerEnumType(CustomerTier, {
  valuesMap: {
    BRONZE: { description: 'Bronze loyalty tier.' },
    GOLD: { description: 'Gold loyalty tier.' },
    SILVER: { description: 'Silver loyalty tier.' },
    STANDARD: { description: 'No tier (the default).' },
    VIP: {
      description:
        "The store's most valued customers: their tickets are raised one priority level (routing settings priorityTiers, by default VIP and GOLD) and, on teams with vipToSeniors, go only to supervisors and admins.",
    },
  },
  description: "A customer's standing with the store; VIP raises priority.",
  name: 'CustomerTier',
});
registerEnumType(TicketEventType, {
  valuesMap: {
    ASSIGNEE_CHANGED: { description: 'Assigned, reassigned or unassigned.' },
    CATEGORY_CHANGED: { description: 'The category changed.' },
    CHANNEL_CHANGED: { description: 'The conversation moved to another channel.' },
    COMPENSATION_RECORDED: { description: 'A compensation was recorded (complaint protocol).' },
    COMPLAINT_FOLLOW_UP: { description: 'The complaint follow-up check ran.' },
    CREATED: { description: 'The ticket was created.' },
    CSAT_RECEIVED: { description: 'The customer answered the satisfaction survey.' },
    CUSTOMER_CHANGED: { description: 'The ticket was moved to another customer (e.g. after a merge of customers).' },
    DELIVERY_FAILED: { description: 'A reply could not be delivered on its channel.' },
    FAQ_ANSWERED: { description: 'The FAQ auto-answer sent an article.' },
    FAQ_FEEDBACK: { description: 'The customer said whether the automatic answer helped.' },
    FOLLOW_UP_CREATED: { description: 'A message on this closed ticket opened a follow-up ticket.' },
    MACRO_APPLIED: { description: 'A canned reply was applied as a macro.' },
    MERGED: { description: 'Another ticket was merged into this one.' },
    MERGED_INTO: { description: 'This ticket was merged into another and closed.' },
    MESSAGE_ADDED: { description: 'A message or internal note was added.' },
    PRIORITY_CHANGED: { description: 'The priority changed.' },
    REOPENED: { description: 'A SOLVED ticket went back to OPEN.' },
    SLA_BREACHED: { description: 'An SLA target was breached.' },
    SLA_WARNING: { description: 'An SLA target passed its warning point.' },
    STATUS_CHANGED: { description: 'The status changed.' },
    SUBJECT_CHANGED: { description: 'The subject changed.' },
    TAGS_CHANGED: { description: 'Tags were added or removed.' },
    TEAM_CHANGED: { description: 'The ticket moved to another team.' },
  },
  description: 'What happened to a ticket (audit timeline, subscriptions and outbound webhooks).',
  name: 'TicketEventType',
});
registerEnumType(SlaHealth, {
  valuesMap: {
    AT_RISK: { description: 'A target passed its warning point.' },
    BREACHED: { description: 'A target is overdue.' },
    OK: { description: 'Every running target is before its warning point.' },
  },
  name: 'SlaHealth',
  description: 'BREACHED: a target passed unanswered; AT_RISK: a running target passed its warning point.',
});
registerEnumType(DeliveryStatus, {
  valuesMap: {
    DELIVERED: { description: "The channel reports it reached the customer's device or mailbox." },
    FAILED: { description: 'Delivery failed for good; see deliveryError.' },
    QUEUED: { description: 'Waiting to be sent (retried with backoff on temporary failures).' },
    READ: { description: 'The customer read it (WhatsApp, Instagram, Messenger read receipts).' },
    SENT: { description: "Accepted by the channel's provider." },
  },
  description: 'How far an outgoing message got, as the channel reports it.',
  name: 'DeliveryStatus',
});
