/** Plain enums, shared by entities, GraphQL and pure domain code. */
export enum TicketStatus {
  NEW = 'NEW',
  OPEN = 'OPEN',
  PENDING = 'PENDING',
  ON_HOLD = 'ON_HOLD',
  SOLVED = 'SOLVED',
  CLOSED = 'CLOSED',
}

/** Declared from lowest to highest: the stored rank is the index, so SQL sorts by urgency. */
export enum TicketPriority {
  LOW = 'LOW',
  NORMAL = 'NORMAL',
  HIGH = 'HIGH',
  URGENT = 'URGENT',
}

export enum Channel {
  EMAIL = 'EMAIL',
  WHATSAPP = 'WHATSAPP',
  INSTAGRAM = 'INSTAGRAM',
  X = 'X',
  FACEBOOK = 'FACEBOOK',
  CHAT = 'CHAT',
  PHONE = 'PHONE',
  WEB_FORM = 'WEB_FORM',
  API = 'API',
  COMMENT = 'COMMENT',
}

export { TicketCategory } from '../common/ticket-category';

export enum AuthorType {
  CUSTOMER = 'CUSTOMER',
  AGENT = 'AGENT',
  SYSTEM = 'SYSTEM',
  BOT = 'BOT',
}

export enum IdentityKind {
  EMAIL = 'EMAIL',
  /** E.164; WhatsApp numbers and phone calls share it, so both reach the same customer. */
  PHONE = 'PHONE',
  INSTAGRAM = 'INSTAGRAM',
  X = 'X',
  FACEBOOK = 'FACEBOOK',
  /** The store platform's own customer id (Salla, Zid, Shopify …). */
  EXTERNAL = 'EXTERNAL',
}

export enum CustomerTier {
  STANDARD = 'STANDARD',
  BRONZE = 'BRONZE',
  SILVER = 'SILVER',
  GOLD = 'GOLD',
  VIP = 'VIP',
}

export enum TicketEventType {
  CREATED = 'CREATED',
  MESSAGE_ADDED = 'MESSAGE_ADDED',
  STATUS_CHANGED = 'STATUS_CHANGED',
  REOPENED = 'REOPENED',
  PRIORITY_CHANGED = 'PRIORITY_CHANGED',
  CATEGORY_CHANGED = 'CATEGORY_CHANGED',
  CHANNEL_CHANGED = 'CHANNEL_CHANGED',
  ASSIGNEE_CHANGED = 'ASSIGNEE_CHANGED',
  TEAM_CHANGED = 'TEAM_CHANGED',
  TAGS_CHANGED = 'TAGS_CHANGED',
  SUBJECT_CHANGED = 'SUBJECT_CHANGED',
  FOLLOW_UP_CREATED = 'FOLLOW_UP_CREATED',
  SLA_WARNING = 'SLA_WARNING',
  SLA_BREACHED = 'SLA_BREACHED',
  CSAT_RECEIVED = 'CSAT_RECEIVED',
  DELIVERY_FAILED = 'DELIVERY_FAILED',
  MACRO_APPLIED = 'MACRO_APPLIED',
  MERGED = 'MERGED',
  MERGED_INTO = 'MERGED_INTO',
  CUSTOMER_CHANGED = 'CUSTOMER_CHANGED',
  COMPENSATION_RECORDED = 'COMPENSATION_RECORDED',
  COMPLAINT_FOLLOW_UP = 'COMPLAINT_FOLLOW_UP',
  /** The FAQ auto-answer sent an article. */
  FAQ_ANSWERED = 'FAQ_ANSWERED',
  /** The customer's answer to "did this help?" (or a hand-over to agents). */
  FAQ_FEEDBACK = 'FAQ_FEEDBACK',
}

export const TIER_RANK: Record<CustomerTier, number> = { STANDARD: 0, BRONZE: 1, SILVER: 2, GOLD: 3, VIP: 4 };

export const PRIORITY_RANK: Record<TicketPriority, number> = { LOW: 0, NORMAL: 1, HIGH: 2, URGENT: 3 };
export const PRIORITY_BY_RANK = Object.fromEntries(Object.entries(PRIORITY_RANK).map(([k, v]) => [v, k])) as Record<number, TicketPriority>;

export enum SlaHealth {
  OK = 'OK',
  AT_RISK = 'AT_RISK',
  BREACHED = 'BREACHED',
}

export enum DeliveryStatus {
  QUEUED = 'QUEUED',
  SENT = 'SENT',
  DELIVERED = 'DELIVERED',
  READ = 'READ',
  FAILED = 'FAILED',
}
