import type { JsonObject } from '../../common/request-context';

/** What a platform's webhook said, in one shape for every platform. Pure types and helpers. */
export interface InboundMessage {
  /** The platform's message id (wamid, mid, DM event id, comment id): the de-duplication key. */
  externalId: string;
  /** The sender's id on the platform: WhatsApp wa_id, Instagram-scoped id, Page-scoped id, X user id. */
  from: string;
  /** The profile name, when the platform gives one. */
  name?: string;
  /** The public handle (Instagram username, X screen name). */
  username?: string;
  at: Date;
  /** Text for agents; other types are described in Arabic (e.g. "📷 صورة"). */
  body: string;
  /** The message type and its structured parts. */
  content: JsonObject;
  media: InboundMedia[];
  /** The platform id of the message it answers (WhatsApp context, Instagram reply_to). */
  replyTo?: string;
  /** Reactions join an open conversation but never open or reopen a ticket. */
  reaction?: boolean;
  /** A public comment or mention: it becomes a COMMENT ticket. */
  comment?: { platform: 'INSTAGRAM' | 'FACEBOOK' | 'X'; postId?: string; parentId?: string };
}

export interface InboundMedia {
  /** A media id to fetch through the platform's media endpoint (WhatsApp). */
  providerMediaId?: string;
  /** A direct (expiring) link (Instagram, Messenger, X). */
  url?: string;
  contentType: string;
  filename?: string;
}

export type ReceiptStatus = 'SENT' | 'DELIVERED' | 'READ' | 'FAILED';

export interface InboundReceipt {
  /** Our outbound message's id at the platform. */
  externalId: string;
  status: ReceiptStatus;
  at: Date;
  /** The platform's error, "code: title (details)", for FAILED. */
  error?: string;
}

export interface InboundBatch {
  messages: InboundMessage[];
  receipts: InboundReceipt[];
}

/**
 * A webhook's events for one account of the platform: a WhatsApp number (phone_number_id), an
 * Instagram account or Page (entry.id), an X account (for_user_id). One app sends all of its
 * accounts' events to one callback URL, so each is attributed to its own channel.
 */
export interface AccountBatch {
  accountId: string | undefined;
  batch: InboundBatch;
}

/** The batch of `accountId` in `groups`, added at the end the first time the account is seen. */
export function batchOf(groups: AccountBatch[], accountId: string | undefined): InboundBatch {
  let group = groups.find((g) => g.accountId === accountId);
  if (!group) groups.push((group = { accountId, batch: { messages: [], receipts: [] } }));
  return group.batch;
}

/** A new ticket's subject from its first message: the first line, at most 80 characters. */
export function subjectFrom(body: string): string {
  const line =
    body
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean) ?? '';
  const chars = [...line];
  return chars.length > 80 ? `${chars.slice(0, 79).join('')}…` : line || '(رسالة)';
}

export function fromUnixSeconds(value: string | number | undefined): Date {
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : new Date();
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isOptionalText = (value: unknown) => value === undefined || value === null || typeof value === 'string';
/** Dates PostgreSQL and every client can hold: years 1000 to 9999. */
const usableDate = (value: unknown) => value instanceof Date && value.getTime() >= -30_610_224_000_000 && value.getTime() < 253_402_300_800_000;

/**
 * What a reader made of a signed payload, checked before anything is stored: ids, senders and
 * texts must be text (a platform sends them so; a payload that does not is refused, naming the
 * first bad place). A time that is missing or out of range becomes now, as a missing one always did.
 */
export function inboundShapeProblem(groups: AccountBatch[]): string | null {
  for (const [g, { accountId, batch }] of groups.entries()) {
    if (!isOptionalText(accountId)) return `account ${g}: the account id is not text`;
    for (const [i, message] of batch.messages.entries()) {
      const where = `message ${i}`;
      if (!isText(message.externalId)) return `${where}: the message id is missing or not text`;
      if (!isText(message.from)) return `${where}: the sender id is missing or not text`;
      if (typeof message.body !== 'string') return `${where}: the text is not text`;
      for (const field of ['name', 'username', 'replyTo'] as const) if (!isOptionalText(message[field])) return `${where}: ${field} is not text`;
      for (const media of message.media) {
        if (!isOptionalText(media.url) || !isOptionalText(media.providerMediaId) || !isOptionalText(media.filename) || typeof media.contentType !== 'string')
          return `${where}: a media link or id is not text`;
      }
      if (message.comment && (!isOptionalText(message.comment.postId) || !isOptionalText(message.comment.parentId))) return `${where}: a post id is not text`;
      if (!usableDate(message.at)) message.at = new Date();
    }
    for (const [i, receipt] of batch.receipts.entries()) {
      if (!isText(receipt.externalId)) return `receipt ${i}: the message id is missing or not text`;
      if (!isOptionalText(receipt.error)) return `receipt ${i}: the error is not text`;
      if (!usableDate(receipt.at)) receipt.at = new Date();
    }
  }
  return null;
}
