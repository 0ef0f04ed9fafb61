import { Channel } from '../../tickets/ticket-enums';

/** What the store can reach a customer through: their identities and the store's connected channels. */
export interface Reach {
  phone: boolean;
  email: boolean;
  whatsappConnected: boolean;
  mailboxConnected: boolean;
}

/** Channels a message can be pushed on without the customer having the conversation open. */
const SOCIAL = new Set<Channel>([Channel.INSTAGRAM, Channel.FACEBOOK, Channel.X]);

/**
 * The channel an automation writes on: where the customer last wrote if a message can reach them
 * there; else WhatsApp (the main channel in the store's market), else email; if nothing connected
 * can reach them, where they last wrote (or what we know of them), so agents see it was not sent.
 */
export function automationChannel(latest: Channel | null, reach: Reach): Channel {
  const deliverable = (channel: Channel) =>
    channel === Channel.WHATSAPP ? reach.phone && reach.whatsappConnected : channel === Channel.EMAIL ? reach.email && reach.mailboxConnected : SOCIAL.has(channel);
  if (latest && deliverable(latest)) return latest;
  if (deliverable(Channel.WHATSAPP)) return Channel.WHATSAPP;
  if (deliverable(Channel.EMAIL)) return Channel.EMAIL;
  return latest ?? (reach.phone ? Channel.WHATSAPP : reach.email ? Channel.EMAIL : Channel.API);
}
