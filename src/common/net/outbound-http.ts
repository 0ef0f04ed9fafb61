import { Injectable } from '@nestjs/common';
import http, { IncomingHttpHeaders, IncomingMessage } from 'http';
import https from 'https';
import { OutboundGuard, OutboundTargetRefused } from './outbound-guard';

export interface OutboundRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** For the whole exchange, answer body included. */
  timeoutMs: number;
  /** Largest body kept; a larger one is not read further and comes back as null. 0: the body is not read. */
  maxBytes: number;
  /** Redirects followed (GET only), each one through the same check; 0 answers the 3xx itself. */
  followRedirects?: number;
}

export interface OutboundResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Null when not read (maxBytes 0) or larger than maxBytes. */
  body: Buffer | null;
  /** Bytes of the body: read, or announced by content-length when it was not read whole. */
  size: number;
}

/** The receiver took longer than the request's time-out. */
export class OutboundTimeout extends Error {
  constructor(timeoutMs: number) {
    super(`No complete answer within ${Math.round(timeoutMs / 1000)} s`);
    this.name = 'OutboundTimeout';
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * HTTP(S) to URLs that come from outside (webhook receivers, media links), over sockets that
 * OutboundGuard checks as they connect. A fresh connection per request (no pooling), so a socket
 * checked for one host is never reused for another.
 */
@Injectable()
export class OutboundHttp {
  constructor(private readonly guard: OutboundGuard) {}

  async request(url: string, options: OutboundRequest): Promise<OutboundResponse> {
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new OutboundTargetRefused(target.href, 'only http and https URLs are fetched');
    const response = await this.exchange(target, options);
    const location = response.headers.location;
    if (!REDIRECTS.has(response.status) || !location || !options.followRedirects || (options.method ?? 'GET') !== 'GET') return response;
    const next = new URL(location, target);
    // A credential for one origin is not handed to another.
    const headers = next.origin === target.origin ? options.headers : withoutAuthorization(options.headers);
    return this.request(next.href, { ...options, headers, followRedirects: options.followRedirects - 1 });
  }

  private exchange(target: URL, options: OutboundRequest): Promise<OutboundResponse> {
    const { lookup } = this.guard.connectOptions(target.hostname); // throws for a refused literal address
    const client = target.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const length = options.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(options.body)) };
      const request = client.request(target, { method: options.method ?? 'GET', headers: { ...options.headers, ...length }, lookup, agent: false });
      const settle = (outcome: () => void) => {
        clearTimeout(timer);
        outcome();
      };
      const timer = setTimeout(() => {
        const timeout = new OutboundTimeout(options.timeoutMs);
        request.destroy(timeout);
        settle(() => reject(timeout));
      }, options.timeoutMs);
      request.on('error', (error) => settle(() => reject(error)));
      request.on('response', (response) => {
        response.on('error', (error) => settle(() => reject(error)));
        readBody(response, options.maxBytes, (body, size) => settle(() => resolve({ status: response.statusCode ?? 0, headers: response.headers, body, size })));
      });
      request.end(options.body);
    });
  }
}

/** Reads up to maxBytes; a longer body is cut off (the connection is closed) and reported as null. */
function readBody(response: IncomingMessage, maxBytes: number, done: (body: Buffer | null, size: number) => void) {
  const announced = Number(response.headers['content-length'] ?? NaN);
  if (maxBytes === 0 || announced > maxBytes) {
    response.destroy();
    return done(null, Number.isFinite(announced) ? announced : 0);
  }
  const chunks: Buffer[] = [];
  let received = 0;
  response.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > maxBytes) {
      response.destroy();
      return done(null, received);
    }
    chunks.push(chunk);
  });
  response.on('end', () => received <= maxBytes && done(Buffer.concat(chunks), received));
}

function withoutAuthorization(headers: Record<string, string> | undefined): Record<string, string> | undefined {
  return headers && Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
}
