import { createServer, IncomingHttpHeaders, Server } from 'http';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
  answeredWith: number;
}

/** An integrator's endpoint: records every request with its raw body; answers as `respond` says. */
export class WebhookReceiver {
  readonly requests: ReceivedWebhook[] = [];
  /** The status to answer with for the n-th request (0-based); 200 by default. */
  respond: (n: number, body: any) => number = () => 200;
  /** How long to keep each request waiting before answering (and recording it). */
  delayMs = 0;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    let receiver!: WebhookReceiver;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        if (receiver.delayMs) await new Promise((resolve) => setTimeout(resolve, receiver.delayMs));
        const body = Buffer.concat(chunks).toString('utf8');
        const json = JSON.parse(body);
        const status = receiver.respond(receiver.requests.length, json);
        receiver.requests.push({ headers: req.headers, body, json, answeredWith: status });
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'receiver is down');
      });
    });
    receiver = new WebhookReceiver(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}/hooks/rida`;
  }

  /** Requests the receiver accepted (2xx). */
  get accepted(): ReceivedWebhook[] {
    return this.requests.filter((r) => r.answeredWith < 300);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
