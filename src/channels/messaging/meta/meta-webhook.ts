import type { JsonObject } from '../../../common/request-context';
import { AccountBatch, batchOf, InboundMedia } from '../inbound';

/**
 * Instagram and Messenger webhooks (`object: instagram | page`): direct messages in
 * entry[].messaging[] (message, read, delivery, reaction), comments in entry[].changes[] (field
 * "comments" on Instagram, "feed" items of kind comment on a Page). Our own echoes and our own
 * comments are skipped. Pure.
 */
export interface MetaWebhook {
  object: string;
  entry?: Array<{ id: string; time?: number; messaging?: MetaMessaging[]; changes?: Array<{ field: string; value: JsonObject }> }>;
}

interface MetaMessaging {
  sender: { id: string };
  recipient: { id: string };
  timestamp: number;
  message?: {
    mid: string;
    text?: string;
    is_echo?: boolean;
    is_deleted?: boolean;
    reply_to?: { mid?: string };
    attachments?: Array<{ type: string; payload?: { url?: string } }>;
  };
  read?: { mid?: string };
  delivery?: { mids?: string[] };
  reaction?: { mid: string; action: 'react' | 'unreact'; emoji?: string; reaction?: string };
}

const ATTACHMENT_LABEL: Record<string, string> = { image: '📷 صورة', video: '🎬 فيديو', audio: '🎤 رسالة صوتية', file: '📄 ملف', share: '🔗 مشاركة', story_mention: 'إشارة في قصة', reel: '🎬 ريل' };
const CONTENT_TYPE: Record<string, string> = { image: 'image/jpeg', video: 'video/mp4', audio: 'audio/mpeg', file: 'application/octet-stream' };

/** Per account (entry.id: the Instagram account or the Page). */
export function readMetaWebhook(payload: MetaWebhook): AccountBatch[] {
  const groups: AccountBatch[] = [];
  const platform = payload.object === 'instagram' ? 'INSTAGRAM' : 'FACEBOOK';
  for (const entry of payload.entry ?? []) {
    const batch = batchOf(groups, entry.id);
    for (const event of entry.messaging ?? []) {
      const at = new Date(event.timestamp || Date.now());
      const message = event.message;
      if (message && !message.is_echo && !message.is_deleted && event.sender.id !== entry.id) {
        const attachments = message.attachments ?? [];
        const media: InboundMedia[] = attachments.filter((a) => a.payload?.url && CONTENT_TYPE[a.type]).map((a) => ({ url: a.payload!.url, contentType: CONTENT_TYPE[a.type] }));
        const labels = attachments.map((a) => ATTACHMENT_LABEL[a.type] ?? `(${a.type})`);
        batch.messages.push({
          externalId: message.mid,
          from: event.sender.id,
          at,
          body: message.text?.trim() || labels.join('\n') || '(رسالة)',
          content: { type: message.text ? 'text' : (attachments[0]?.type ?? 'unknown'), from: event.sender.id, ...(attachments.length ? { attachments } : {}) },
          media,
          replyTo: message.reply_to?.mid,
        });
      }
      if (event.reaction && event.sender.id !== entry.id) {
        const emoji = event.reaction.emoji ?? event.reaction.reaction;
        batch.messages.push({
          externalId: `${event.reaction.mid}:reaction:${event.sender.id}:${event.timestamp}`,
          from: event.sender.id,
          at,
          body: event.reaction.action === 'react' ? `تفاعل: ${emoji ?? '❤️'}` : 'أزال التفاعل',
          content: { type: 'reaction', from: event.sender.id, reaction: { messageId: event.reaction.mid, emoji: emoji ?? null } },
          media: [],
          reaction: true,
          replyTo: event.reaction.mid,
        });
      }
      if (event.read?.mid) batch.receipts.push({ externalId: event.read.mid, status: 'READ', at });
      for (const mid of event.delivery?.mids ?? []) batch.receipts.push({ externalId: mid, status: 'DELIVERED', at });
    }
    for (const change of entry.changes ?? []) {
      const comment = readComment(entry.id, change.field, change.value, platform);
      if (comment) batch.messages.push(comment);
    }
  }
  return groups;
}

function readComment(accountId: string, field: string, value: JsonObject, platform: 'INSTAGRAM' | 'FACEBOOK') {
  if (field === 'comments' && value?.id && value.from?.id && value.from.id !== accountId) {
    // Instagram: { from: { id, username }, media: { id, media_product_type }, id, parent_id?, text }
    return {
      externalId: String(value.id),
      from: String(value.from.id),
      username: value.from.username,
      at: new Date(),
      body: String(value.text ?? '').trim() || '(تعليق)',
      content: { type: 'comment', from: String(value.from.id), mediaId: value.media?.id ?? null, parentId: value.parent_id ?? null },
      media: [],
      comment: { platform, postId: value.media?.id, parentId: value.parent_id },
    };
  }
  if (field === 'feed' && value?.item === 'comment' && value.verb === 'add' && value.from?.id && value.from.id !== accountId) {
    // Page feed: { item: 'comment', verb: 'add', comment_id, post_id, parent_id, from: { id, name }, message, created_time }
    return {
      externalId: String(value.comment_id),
      from: String(value.from.id),
      name: value.from.name,
      at: value.created_time ? new Date(Number(value.created_time) * 1000) : new Date(),
      body: String(value.message ?? '').trim() || '(تعليق)',
      content: { type: 'comment', from: String(value.from.id), postId: value.post_id ?? null, parentId: value.parent_id ?? null },
      media: [],
      comment: { platform: 'FACEBOOK' as const, postId: value.post_id, parentId: value.parent_id },
    };
  }
  return undefined;
}
