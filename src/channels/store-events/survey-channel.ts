import { Channel } from '../../tickets/ticket-enums';
import { automationChannel, Reach } from './automation-channel';

/**
 * Tags that mean no survey: `spam` (a ticket an agent marked as spam) and `self-served` (the FAQ
 * auto-answer solved it: no person served the customer, so there is nothing to rate).
 */
export const NO_SURVEY_TAGS = ['spam', 'self-served'] as const;

/** Why a solved ticket gets no survey message, or null. Merged tickets live on in their target. */
export function surveySkipReason(ticket: { tags: readonly string[]; mergedIntoId: string | null }): string | null {
  if (ticket.mergedIntoId) return 'merged';
  const tag = NO_SURVEY_TAGS.find((t) => ticket.tags.includes(t));
  return tag ? `tagged ${tag}` : null;
}

/** Channels a conversation continues on by itself: the survey goes back where the customer wrote. */
const CONVERSATIONAL = new Set<Channel>([Channel.CHAT, Channel.INSTAGRAM, Channel.FACEBOOK, Channel.X]);

/**
 * Where the survey message goes: the ticket's own channel when it can carry a message back (live
 * chat in the widget, Instagram/Messenger/X direct messages, WhatsApp to a number the store's
 * connected account can reach, email through a connected mailbox); a ticket that came by phone,
 * web form, API or a connected channel the customer cannot be reached on falls back to WhatsApp,
 * then email, like the automations. Null: nothing reaches the customer (and a public comment never
 * gets a survey in public).
 */
export function surveyChannel(ticketChannel: Channel, reach: Reach): Channel | null {
  if (CONVERSATIONAL.has(ticketChannel)) return ticketChannel;
  if (ticketChannel === Channel.WHATSAPP && reach.phone && reach.whatsappConnected) return Channel.WHATSAPP;
  if (ticketChannel === Channel.EMAIL && reach.email && reach.mailboxConnected) return Channel.EMAIL;
  const fallback = automationChannel(null, reach);
  if (fallback === Channel.WHATSAPP && reach.phone && reach.whatsappConnected) return fallback;
  if (fallback === Channel.EMAIL && reach.email && reach.mailboxConnected) return fallback;
  return null;
}
