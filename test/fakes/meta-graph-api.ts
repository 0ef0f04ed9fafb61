import { randomBytes } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';

/**
 * A local stand-in for Meta's Graph API (WhatsApp Cloud API, Instagram and Messenger Send API,
 * comment replies) and X API v2, for tests. It accepts only the requests the real APIs document —
 * Bearer token, JSON bodies of the documented shape — and answers with their documented success
 * and error bodies. Everything it received is kept in `requests`.
 */
export interface FakeRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
  raw: Buffer;
  /** The HTTP status it answered. */
  status: number;
}

export type ScriptedFailure = { status: number; body: unknown };

/** Documented Graph API error bodies. */
export const GRAPH_ERRORS = {
  reEngagement: {
    status: 400,
    body: {
      error: {
        message: '(#131047) Re-engagement message',
        type: 'OAuthException',
        code: 131047,
        error_data: { messaging_product: 'whatsapp', details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' },
        fbtrace_id: 'AbCdEf123',
      },
    },
  },
  rateLimit: {
    status: 429,
    body: {
      error: {
        message: '(#130429) Rate limit hit',
        type: 'OAuthException',
        code: 130429,
        error_data: { messaging_product: 'whatsapp', details: 'Cloud API message throughput has been reached.' },
        fbtrace_id: 'AbCdEf124',
      },
    },
  },
  expiredToken: {
    status: 401,
    body: {
      error: {
        message: 'Error validating access token: Session has expired on Tuesday, 24-Nov-26 10:00:00 PST.',
        type: 'OAuthException',
        code: 190,
        error_subcode: 463,
        fbtrace_id: 'AbCdEf125',
      },
    },
  },
  invalidParameter: {
    status: 400,
    body: { error: { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100, fbtrace_id: 'AbCdEf126' } },
  },
  serverError: { status: 500, body: { error: { message: 'An unknown error has occurred.', type: 'OAuthException', code: 1, fbtrace_id: 'AbCdEf127' } } },
} satisfies Record<string, ScriptedFailure>;

export interface FakeTemplate {
  name: string;
  language: string;
  status: string;
  category: string;
  components: Array<{ type: string; text?: string }>;
}

export class FakeGraphApi {
  readonly requests: FakeRequest[] = [];
  /** Access tokens the fake accepts. */
  readonly tokens = new Set<string>();
  /** Answers for the next send requests, in order (then success again). */
  readonly failures: ScriptedFailure[] = [];
  readonly media = new Map<string, { mimeType: string; bytes: Buffer }>();
  templates: FakeTemplate[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeGraphApi> {
    let fake!: FakeGraphApi;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => fake.handle(req.method ?? 'GET', req.url ?? '/', req.headers, Buffer.concat(chunks), res));
    });
    fake = new FakeGraphApi(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  /** Successful sends (the platform's own word: it answered 200). */
  sent(filter: (r: FakeRequest) => boolean = () => true): FakeRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && r.status === 200 && filter(r));
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(method: string, url: string, headers: IncomingHttpHeaders, raw: Buffer, res: import('node:http').ServerResponse) {
    const path = url.split('?')[0];
    let body: any = undefined;
    const answer = (status: number, payload: unknown, type = 'application/json') => {
      this.requests.push({ method, path, headers, body, raw, status });
      res.writeHead(status, { 'content-type': type }).end(type === 'application/json' ? JSON.stringify(payload) : (payload as Buffer));
    };
    try {
      body = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      return answer(400, { error: { message: 'Invalid JSON', type: 'OAuthException', code: 100 } });
    }
    const token = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
    if (!token || !this.tokens.has(token)) return answer(GRAPH_ERRORS.expiredToken.status, GRAPH_ERRORS.expiredToken.body);

    // Media bytes (the URL the media endpoint hands out).
    const download = /^\/media-download\/(.+)$/.exec(path);
    if (download && method === 'GET') {
      const media = this.media.get(download[1]);
      return media ? answer(200, media.bytes, media.mimeType) : answer(404, { error: { message: 'Not found', code: 100 } });
    }
    // X API v2
    const dm = /^\/2\/dm_conversations\/with\/([^/]+)\/messages$/.exec(path);
    if (dm && method === 'POST') {
      if (typeof body?.text !== 'string') return answer(400, { title: 'Invalid Request', detail: 'text is required', type: 'https://api.x.com/2/problems/invalid-request' });
      return this.sendOr(answer, () => ({ data: { dm_conversation_id: `${dm[1]}-1`, dm_event_id: randomDigits() } }));
    }
    if (path === '/2/tweets' && method === 'POST') {
      if (typeof body?.text !== 'string' || !body?.reply?.in_reply_to_tweet_id) return answer(400, { title: 'Invalid Request', detail: 'text and reply required' });
      return this.sendOr(answer, () => ({ data: { id: randomDigits(), text: body.text } }));
    }
    // Graph API: /{version}/{id}[/{edge}]
    const graph = /^\/v\d+\.\d+\/([^/]+)(?:\/([a-z_]+))?$/.exec(path);
    if (!graph) return answer(404, { error: { message: 'Unknown path', code: 803 } });
    const [, id, edge] = graph;
    if (method === 'GET' && !edge) {
      const media = this.media.get(id);
      if (!media) return answer(400, { error: { message: `(#100) Unsupported get request. Object with ID '${id}' does not exist`, type: 'GraphMethodException', code: 100 } });
      return answer(200, { messaging_product: 'whatsapp', url: `${this.baseUrl}/media-download/${id}`, mime_type: media.mimeType, sha256: 'x', file_size: media.bytes.length, id });
    }
    if (method === 'GET' && edge === 'message_templates') {
      return answer(200, { data: this.templates.map((t, i) => ({ ...t, id: String(1000 + i) })), paging: { cursors: { before: 'b', after: 'a' } } });
    }
    if (method === 'POST' && edge === 'messages') {
      if (body?.messaging_product === 'whatsapp') {
        const valid =
          body.recipient_type === 'individual' &&
          typeof body.to === 'string' &&
          ((body.type === 'text' && typeof body.text?.body === 'string') || (body.type === 'template' && body.template?.name && body.template?.language?.code));
        if (!valid) return answer(GRAPH_ERRORS.invalidParameter.status, GRAPH_ERRORS.invalidParameter.body);
        return this.sendOr(answer, () => ({ messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: `wamid.${randomBytes(12).toString('base64url')}` }] }));
      }
      const recipient = body?.recipient?.id ?? body?.recipient?.comment_id;
      if (!recipient || typeof body?.message?.text !== 'string') return answer(GRAPH_ERRORS.invalidParameter.status, GRAPH_ERRORS.invalidParameter.body);
      return this.sendOr(answer, () => ({ recipient_id: body.recipient.id ?? `psid-of-${recipient}`, message_id: `m_${randomBytes(10).toString('base64url')}` }));
    }
    if (method === 'POST' && (edge === 'replies' || edge === 'comments')) {
      if (typeof body?.message !== 'string') return answer(GRAPH_ERRORS.invalidParameter.status, GRAPH_ERRORS.invalidParameter.body);
      return this.sendOr(answer, () => ({ id: `${id}_${randomDigits()}` }));
    }
    return answer(400, { error: { message: `(#100) Unknown edge ${edge}`, code: 100 } });
  }

  private sendOr(answer: (status: number, payload: unknown) => void, success: () => unknown) {
    const failure = this.failures.shift();
    if (failure) return answer(failure.status, failure.body);
    return answer(200, success());
  }
}

function randomDigits(): string {
  return String(BigInt(`0x${randomBytes(7).toString('hex')}`));
}
