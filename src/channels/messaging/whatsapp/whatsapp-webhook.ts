import type { JsonObject } from '../../../common/request-context';
import { AccountBatch, batchOf, fromUnixSeconds, InboundMessage, InboundReceipt, ReceiptStatus } from '../inbound';

/**
 * The WhatsApp Cloud API webhook (`object: whatsapp_business_account`), read into our inbound
 * shape. Shapes as Meta documents them: entry[].changes[] with field "messages" and a value holding
 * metadata, contacts[], messages[] and statuses[]. Pure: no I/O.
 */
export interface WhatsAppWebhook {
  object: string;
  entry?: Array<{ id: string; changes?: Array<{ field: string; value: WhatsAppValue }> }>;
}

interface WhatsAppValue {
  messaging_product?: 'whatsapp';
  metadata?: { display_phone_number: string; phone_number_id: string };
  contacts?: Array<{ profile?: { name?: string }; wa_id: string }>;
  messages?: WhatsAppMessage[];
  statuses?: WhatsAppStatus[];
  errors?: WhatsAppError[];
}

interface WhatsAppError {
  code: number;
  title?: string;
  message?: string;
  error_data?: { details?: string };
}

interface Media {
  id: string;
  mime_type?: string;
  sha256?: string;
  caption?: string;
  filename?: string;
  voice?: boolean;
  animated?: boolean;
}

export interface WhatsAppMessage {
  from: string;
  id: string;
  timestamp: string;
  type: string;
  context?: { from?: string; id?: string; forwarded?: boolean; frequently_forwarded?: boolean };
  text?: { body: string };
  image?: Media;
  audio?: Media;
  video?: Media;
  document?: Media;
  sticker?: Media;
  location?: { latitude: number; longitude: number; name?: string; address?: string; url?: string };
  contacts?: Array<{ name?: { formatted_name?: string }; phones?: Array<{ phone?: string; wa_id?: string; type?: string }>; emails?: Array<{ email?: string }> }>;
  interactive?: { type: 'button_reply' | 'list_reply' | 'nfm_reply'; button_reply?: { id: string; title: string }; list_reply?: { id: string; title: string; description?: string } };
  button?: { payload?: string; text: string };
  reaction?: { message_id: string; emoji?: string };
  referral?: { source_url?: string; headline?: string; body?: string; source_type?: string };
  errors?: WhatsAppError[];
}

interface WhatsAppStatus {
  id: string;
  status: 'sent' | 'delivered' | 'read' | 'failed' | string;
  timestamp: string;
  recipient_id: string;
  errors?: WhatsAppError[];
}

const MEDIA_TYPES = ['image', 'audio', 'video', 'document', 'sticker'] as const;
const RECEIPT_STATUS: Record<string, ReceiptStatus> = { sent: 'SENT', delivered: 'DELIVERED', read: 'READ', failed: 'FAILED' };

export function describeWhatsAppError(error: WhatsAppError | undefined): string | undefined {
  if (!error) return undefined;
  const details = error.error_data?.details;
  return `${error.code}: ${error.title ?? error.message ?? 'error'}${details ? ` (${details})` : ''}`;
}

/** The messages and delivery receipts of one webhook delivery, per business number (metadata.phone_number_id), in the order Meta sent them. */
export function readWhatsAppWebhook(payload: WhatsAppWebhook): AccountBatch[] {
  const groups: AccountBatch[] = [];
  for (const entry of payload.entry ?? []) {
    for (const change of entry.changes ?? []) {
      if (change.field !== 'messages' || !change.value) continue;
      const batch = batchOf(groups, change.value.metadata?.phone_number_id);
      const names = new Map((change.value.contacts ?? []).map((c) => [c.wa_id, c.profile?.name]));
      for (const message of change.value.messages ?? []) batch.messages.push(readMessage(message, names.get(message.from)));
      for (const status of change.value.statuses ?? []) {
        const receipt = readStatus(status);
        if (receipt) batch.receipts.push(receipt);
      }
    }
  }
  return groups;
}

function readStatus(status: WhatsAppStatus): InboundReceipt | undefined {
  const mapped = RECEIPT_STATUS[status.status];
  if (!mapped || !status.id) return undefined; // e.g. "deleted", "warning": nothing to track
  return { externalId: status.id, status: mapped, at: fromUnixSeconds(status.timestamp), error: mapped === 'FAILED' ? describeWhatsAppError(status.errors?.[0]) : undefined };
}

function readMessage(message: WhatsAppMessage, name: string | undefined): InboundMessage {
  const base = { externalId: message.id, from: message.from, name: name || undefined, at: fromUnixSeconds(message.timestamp), replyTo: message.context?.id };
  const content: JsonObject = { type: message.type, from: message.from };
  if (message.context?.forwarded || message.context?.frequently_forwarded) content.forwarded = true;
  if (message.referral) content.referral = message.referral;

  const mediaType = MEDIA_TYPES.find((t) => t === message.type);
  if (mediaType && message[mediaType]) {
    const media = message[mediaType]!;
    content.media = { id: media.id, mimeType: media.mime_type ?? null, sha256: media.sha256 ?? null, filename: media.filename ?? null, voice: media.voice ?? undefined };
    return {
      ...base,
      body: asText(media.caption).trim() || describeMedia(mediaType, media),
      content,
      media: [{ providerMediaId: media.id, contentType: media.mime_type ?? 'application/octet-stream', filename: media.filename }],
    };
  }
  return { ...base, body: describe(message, content), content, media: [], reaction: message.type === 'reaction' || undefined };
}

function describeMedia(type: (typeof MEDIA_TYPES)[number], media: Media): string {
  switch (type) {
    case 'image':
      return '📷 صورة';
    case 'audio':
      return media.voice ? '🎤 رسالة صوتية' : '🎵 ملف صوتي';
    case 'video':
      return '🎬 فيديو';
    case 'document':
      return `📄 ${media.filename ?? 'مستند'}`;
    case 'sticker':
      return 'ملصق';
  }
}

/** A payload is only as typed as its sender made it: a number where text belongs is still the customer's words. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/** The body agents read for a non-media message; its parts go into `content`. */
function describe(message: WhatsAppMessage, content: JsonObject): string {
  switch (message.type) {
    case 'text':
      return asText(message.text?.body);
    case 'location': {
      const l = message.location!;
      content.location = l;
      const place = [l.name, l.address].filter(Boolean).join('، ');
      return `📍 الموقع${place ? `: ${place}` : ''}\nhttps://maps.google.com/?q=${l.latitude},${l.longitude}`;
    }
    case 'contacts': {
      content.contacts = message.contacts ?? [];
      const lines = (message.contacts ?? []).map((c) => [c.name?.formatted_name, ...(c.phones ?? []).map((p) => p.phone)].filter(Boolean).join(' '));
      return `👤 جهة اتصال: ${lines.join('\n') || '—'}`;
    }
    case 'interactive': {
      const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
      content.reply = reply ?? null;
      return reply?.title ?? '(رد تفاعلي)';
    }
    case 'button':
      content.reply = { payload: message.button?.payload ?? null, title: message.button?.text ?? '' };
      return message.button?.text ?? '(زر)';
    case 'reaction':
      content.reaction = { messageId: message.reaction?.message_id ?? null, emoji: message.reaction?.emoji ?? null };
      return message.reaction?.emoji ? `تفاعل: ${message.reaction.emoji}` : 'أزال التفاعل';
    case 'unsupported':
    default:
      content.errors = message.errors ?? [];
      return `(نوع رسالة غير مدعوم في واتساب${message.errors?.[0] ? `: ${describeWhatsAppError(message.errors[0])}` : ''})`;
  }
}
