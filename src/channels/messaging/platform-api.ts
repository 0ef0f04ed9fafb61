import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../common/config/app-config';
import { OutboundTargetRefused } from '../../common/net/outbound-guard';
import { OutboundHttp, OutboundResponse } from '../../common/net/outbound-http';
import type { JsonObject } from '../../common/request-context';
import { isRetryable } from './delivery-state';
import type { ChannelSecrets } from './messaging-channels.service';
import { MessagingChannel, MessagingChannelKind } from './entities/messaging-channel.entity';

const TIMEOUT_MS = 15_000;
const MEDIA_REDIRECTS = 3;

/** A platform refused or could not be reached; `retryable` says whether trying later may help. */
export class PlatformError extends Error {
  readonly retryable: boolean;

  constructor(
    message: string,
    readonly httpStatus?: number,
    readonly code?: number,
  ) {
    super(message);
    this.name = 'PlatformError';
    this.retryable = isRetryable({ httpStatus, code });
  }
}

/** What we send: free text, or an approved WhatsApp template with its body parameters. */
export type OutboundContent = { text: string } | { template: { name: string; language: string; parameters: string[] } };

export interface DownloadedFile {
  content: Buffer | null;
  contentType: string;
  size: number;
}

export interface TemplateInfo {
  name: string;
  language: string;
  status: string;
  category: string;
  body: string | null;
}

/**
 * The calls Rida makes to WhatsApp Cloud API, Instagram/Messenger (Graph API) and X, at base URLs
 * from config so tests talk to local fakes. Every call returns the platform's id of what it
 * created or throws a PlatformError.
 */
@Injectable()
export class PlatformApi {
  constructor(
    private readonly config: AppConfig,
    private readonly outbound: OutboundHttp,
  ) {}

  /** A direct message to `recipient` (wa_id, Instagram/Page-scoped id, X user id). */
  async sendDirect(channel: MessagingChannel, secrets: ChannelSecrets, recipient: string, content: OutboundContent, options: { humanAgentTag?: boolean } = {}): Promise<string> {
    switch (channel.kind) {
      case MessagingChannelKind.WHATSAPP: {
        const message =
          'text' in content
            ? { type: 'text', text: { preview_url: false, body: content.text } }
            : {
                type: 'template',
                template: {
                  name: content.template.name,
                  language: { code: content.template.language },
                  components: content.template.parameters.length ? [{ type: 'body', parameters: content.template.parameters.map((text) => ({ type: 'text', text })) }] : [],
                },
              };
        const answer = await this.call('POST', `${this.graph(channel)}/${channel.accountId}/messages`, secrets.accessToken, {
          messaging_product: 'whatsapp',
          recipient_type: 'individual',
          to: recipient,
          ...message,
        });
        return requireId((answer.messages as Array<{ id: string }> | undefined)?.[0]?.id);
      }
      case MessagingChannelKind.INSTAGRAM:
      case MessagingChannelKind.MESSENGER: {
        if (!('text' in content)) throw new PlatformError('Templates are WhatsApp only', 400);
        const answer = await this.call('POST', `${this.graph(channel)}/${channel.accountId}/messages`, secrets.accessToken, {
          recipient: { id: recipient },
          message: { text: content.text },
          ...(options.humanAgentTag ? { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' } : { messaging_type: 'RESPONSE' }),
        });
        return requireId(answer.message_id);
      }
      case MessagingChannelKind.X: {
        if (!('text' in content)) throw new PlatformError('Templates are WhatsApp only', 400);
        const answer = await this.call('POST', `${this.config.X_API_BASE_URL}/2/dm_conversations/with/${encodeURIComponent(recipient)}/messages`, secrets.accessToken, {
          text: content.text,
        });
        return requireId((answer.data as { dm_event_id?: string } | undefined)?.dm_event_id);
      }
      case MessagingChannelKind.TWILIO:
        throw new PlatformError('A Twilio account logs calls; it sends no messages', 400);
    }
  }

  /** A public answer under a comment (Instagram reply, Facebook comment reply) or a reply to an X post. */
  async replyToComment(channel: MessagingChannel, secrets: ChannelSecrets, commentId: string, text: string): Promise<string> {
    switch (channel.kind) {
      case MessagingChannelKind.INSTAGRAM:
        return requireId((await this.call('POST', `${this.graph(channel)}/${commentId}/replies`, secrets.accessToken, { message: text })).id);
      case MessagingChannelKind.MESSENGER:
        return requireId((await this.call('POST', `${this.graph(channel)}/${commentId}/comments`, secrets.accessToken, { message: text })).id);
      case MessagingChannelKind.X: {
        const answer = await this.call('POST', `${this.config.X_API_BASE_URL}/2/tweets`, secrets.accessToken, { text, reply: { in_reply_to_tweet_id: commentId } });
        return requireId((answer.data as { id?: string } | undefined)?.id);
      }
      default:
        throw new PlatformError('WhatsApp has no public comments', 400);
    }
  }

  /** Meta's private reply: one direct message to the person who wrote a comment. */
  async privateReply(channel: MessagingChannel, secrets: ChannelSecrets, commentId: string, text: string): Promise<{ messageId: string; recipientId: string | null }> {
    const answer = await this.call('POST', `${this.graph(channel)}/${channel.accountId}/messages`, secrets.accessToken, {
      recipient: { comment_id: commentId },
      message: { text },
    });
    return { messageId: requireId(answer.message_id), recipientId: typeof answer.recipient_id === 'string' ? answer.recipient_id : null };
  }

  /** WhatsApp media: the id from the webhook → a short-lived URL → the bytes (both calls need the token). */
  async fetchWhatsAppMedia(channel: MessagingChannel, secrets: ChannelSecrets, mediaId: string, maxBytes: number): Promise<DownloadedFile> {
    const info = await this.call('GET', `${this.graph(channel)}/${mediaId}`, secrets.accessToken);
    const size = Number(info.file_size ?? 0);
    const contentType = String(info.mime_type ?? 'application/octet-stream');
    if (size > maxBytes) return { content: null, contentType, size };
    return { ...(await this.download(String(info.url), maxBytes, secrets.accessToken)), contentType };
  }

  /**
   * A file at a link a webhook or the platform gave (with the token where the platform asks for
   * it); content null when larger than maxBytes. The link comes from outside, so the connection
   * goes through the outbound guard: an inside address throws OutboundTargetRefused.
   */
  async download(url: string, maxBytes: number, token?: string): Promise<DownloadedFile> {
    let response: OutboundResponse;
    try {
      response = await this.outbound.request(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, timeoutMs: TIMEOUT_MS, maxBytes, followRedirects: MEDIA_REDIRECTS });
    } catch (error) {
      if (error instanceof OutboundTargetRefused) throw error;
      throw new PlatformError(`Could not reach ${new URL(url).host}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (response.status < 200 || response.status >= 300) throw new PlatformError(`Media download answered ${response.status}`, response.status);
    return { content: response.body, contentType: response.headers['content-type'] ?? 'application/octet-stream', size: response.size };
  }

  async whatsAppTemplates(channel: MessagingChannel, secrets: ChannelSecrets): Promise<TemplateInfo[]> {
    if (!channel.businessAccountId) return [];
    const templates: TemplateInfo[] = [];
    let url: string | undefined = `${this.graph(channel)}/${channel.businessAccountId}/message_templates?limit=100&fields=name,language,status,category,components`;
    for (let page = 0; url && page < 20; page++) {
      const answer = await this.call('GET', url, secrets.accessToken);
      for (const t of (answer.data as JsonObject[] | undefined) ?? []) {
        const body = (t.components as Array<{ type: string; text?: string }> | undefined)?.find((c) => c.type === 'BODY')?.text ?? null;
        templates.push({ name: t.name, language: t.language, status: t.status, category: t.category, body });
      }
      url = (answer.paging as { next?: string } | undefined)?.next;
    }
    return templates;
  }

  private graph(channel: MessagingChannel): string {
    const base = channel.kind === MessagingChannelKind.WHATSAPP ? this.config.WHATSAPP_API_BASE_URL : this.config.META_GRAPH_API_BASE_URL;
    return `${base.replace(/\/$/, '')}/${this.config.META_GRAPH_API_VERSION}`;
  }

  private async call(method: 'GET' | 'POST', url: string, token: string, body?: JsonObject): Promise<JsonObject> {
    const response = await this.fetch(url, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    let answer: JsonObject = {};
    try {
      answer = text ? (JSON.parse(text) as JsonObject) : {};
    } catch {
      // not JSON (a proxy's error page): the status decides
    }
    if (response.ok) return answer;
    throw platformErrorFrom(response.status, answer, text);
  }

  private async fetch(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
      throw new PlatformError(`Could not reach ${new URL(url).host}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Graph API errors are `{ error: { message, code, error_data: { details } } }`; X's are `{ title, detail, status }` or `{ errors: [...] }`. */
function platformErrorFrom(status: number, answer: JsonObject, text: string): PlatformError {
  const graph = answer.error as { message?: string; code?: number; error_data?: { details?: string } } | undefined;
  if (graph && typeof graph === 'object') {
    const details = graph.error_data?.details;
    return new PlatformError(`${graph.code ?? status}: ${graph.message ?? 'error'}${details ? ` (${details})` : ''}`, status, graph.code);
  }
  const x = (answer.detail ?? answer.title ?? (answer.errors as Array<{ message?: string }> | undefined)?.[0]?.message) as string | undefined;
  return new PlatformError(`${status}: ${x ?? (text.slice(0, 200) || 'no body')}`, status);
}

function requireId(id: unknown): string {
  if (typeof id !== 'string' || !id) throw new PlatformError('The platform accepted the message but returned no id', 200);
  return id;
}
