import type { JsonObject } from '../../../common/request-context';
import { AccountBatch, InboundBatch } from '../inbound';

/**
 * X Account Activity API events for the subscribed account (`for_user_id`): direct messages
 * (`direct_message_events` of type message_create, with the senders in `users`) and mentions
 * (`tweet_create_events`). The account's own DMs and posts are skipped. Pure.
 */
export interface XWebhook {
  for_user_id?: string;
  direct_message_events?: Array<{
    type: string;
    id: string;
    created_timestamp: string;
    message_create?: { target?: { recipient_id?: string }; sender_id: string; message_data?: { text?: string; attachment?: { type: string; media?: { media_url_https?: string; type?: string } } } };
  }>;
  users?: Record<string, { id: string; name?: string; screen_name?: string }>;
  tweet_create_events?: Array<{ id_str: string; text: string; created_at?: string; in_reply_to_status_id_str?: string | null; user: { id_str: string; name?: string; screen_name?: string } }>;
}

/** One batch, for the subscribed account (for_user_id). */
export function readXWebhook(payload: XWebhook): AccountBatch[] {
  const batch: InboundBatch = { messages: [], receipts: [] };
  const self = payload.for_user_id;
  for (const event of payload.direct_message_events ?? []) {
    const create = event.message_create;
    if (event.type !== 'message_create' || !create || create.sender_id === self) continue;
    const user = payload.users?.[create.sender_id];
    const mediaUrl = create.message_data?.attachment?.media?.media_url_https;
    const content: JsonObject = { type: mediaUrl ? 'media' : 'text', from: create.sender_id };
    batch.messages.push({
      externalId: event.id,
      from: create.sender_id,
      name: user?.name,
      username: user?.screen_name,
      at: new Date(Number(event.created_timestamp) || Date.now()),
      body: create.message_data?.text?.trim() || (mediaUrl ? '📷 وسائط' : '(رسالة)'),
      content,
      media: mediaUrl ? [{ url: mediaUrl, contentType: create.message_data?.attachment?.media?.type === 'photo' ? 'image/jpeg' : 'application/octet-stream' }] : [],
    });
  }
  for (const tweet of payload.tweet_create_events ?? []) {
    if (tweet.user.id_str === self) continue;
    batch.messages.push({
      externalId: tweet.id_str,
      from: tweet.user.id_str,
      name: tweet.user.name,
      username: tweet.user.screen_name,
      at: tweet.created_at ? new Date(tweet.created_at) : new Date(),
      body: tweet.text,
      content: { type: 'mention', from: tweet.user.id_str, inReplyTo: tweet.in_reply_to_status_id_str ?? null },
      media: [],
      comment: { platform: 'X', postId: tweet.in_reply_to_status_id_str ?? undefined },
    });
  }
  return [{ accountId: self, batch }];
}
