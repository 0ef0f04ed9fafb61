/** The widget's side of the API: the visitor session (REST), GraphQL over HTTP, and live results over graphql-ws. */

export interface VisitorSession {
  token: string;
  visitorId: string;
  expiresAt: string;
  identified: boolean;
  channel: { name: string; askName: boolean; askEmail: boolean; askPhone: boolean };
  staffed: boolean;
  expectedReplyAt: string | null;
}

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function openSession(base: string, body: Record<string, string | undefined>): Promise<VisitorSession> {
  const response = await fetch(`${base}/api/v1/widget/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(answer?.error?.code ?? String(response.status), answer?.error?.message ?? response.statusText);
  return answer as VisitorSession;
}

export async function graphql<T>(base: string, token: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const answer = await response.json();
  const error = answer.errors?.[0];
  if (error) throw new ApiError(error.extensions?.code ?? 'ERROR', error.message);
  return answer.data as T;
}

interface Operation {
  query: string;
  variables: Record<string, unknown>;
  onData: (data: any) => void;
}

/**
 * The graphql-ws protocol (graphql-transport-ws), client side, as small as it gets: connect with the
 * token in connection_init, run the operations, answer pings, reconnect after a drop (asking for a
 * fresh token first when the server said the old one lapsed).
 */
export class LiveConnection {
  private socket?: WebSocket;
  private readonly operations = new Map<string, Operation>();
  private nextId = 1;
  private retries = 0;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly token: () => string,
    /** After a reconnect: what was missed while away is read again. */
    private readonly onReconnect: () => void,
    /** The server closed with 4401 (token lapsed): renew it, then connect again. */
    private readonly renew: () => Promise<void>,
  ) {}

  subscribe(query: string, variables: Record<string, unknown>, onData: (data: any) => void): string {
    const id = String(this.nextId++);
    this.operations.set(id, { query, variables, onData });
    if (this.socket?.readyState === WebSocket.OPEN && this.acknowledged) this.start(id);
    else this.connect();
    return id;
  }

  unsubscribe(id: string): void {
    if (this.operations.delete(id) && this.acknowledged) this.send({ id, type: 'complete' });
  }

  close(): void {
    this.stopped = true;
    this.socket?.close(1000);
  }

  private acknowledged = false;

  private connect(): void {
    if (this.socket && this.socket.readyState <= WebSocket.OPEN) return;
    this.acknowledged = false;
    const socket = new WebSocket(this.url, 'graphql-transport-ws');
    this.socket = socket;
    socket.onopen = () => this.send({ type: 'connection_init', payload: { authorization: `Bearer ${this.token()}` } });
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data));
      if (message.type === 'connection_ack') {
        this.acknowledged = true;
        if (this.retries > 0) this.onReconnect();
        this.retries = 0;
        for (const id of this.operations.keys()) this.start(id);
      } else if (message.type === 'next') {
        this.operations.get(message.id)?.onData(message.payload?.data);
      } else if (message.type === 'ping') {
        this.send({ type: 'pong' });
      }
    };
    socket.onclose = (event) => {
      this.acknowledged = false;
      if (this.stopped || this.operations.size === 0) return;
      this.retries++;
      const wait = Math.min(30_000, 500 * 2 ** Math.min(this.retries, 6));
      const again = () => setTimeout(() => this.connect(), wait);
      if (event.code === 4401) this.renew().then(again, again);
      else again();
    };
  }

  private start(id: string): void {
    const operation = this.operations.get(id)!;
    this.send({ id, type: 'subscribe', payload: { query: operation.query, variables: operation.variables } });
  }

  private send(message: Record<string, unknown>): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }
}
