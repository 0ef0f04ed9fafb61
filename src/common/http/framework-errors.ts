import type { Socket } from 'node:net';

/**
 * Requests refused before any route runs — by Node's HTTP parser (a request line that is not
 * HTTP: raw bytes outside ASCII or spaces in the URL, an oversized header) or by Fastify (a URL
 * whose percent-encoding does not decode) — answered in the API's own error shape and logged, like
 * every other caller mistake. Fastify's defaults answer these in a shape of their own, unlogged.
 */
// Typed by shape: @nestjs/platform-fastify carries its own copy of Fastify's types.
export function frameworkErrorHandlers(log: { warn(message: string): void }) {
  return {
    frameworkErrors(error: Error & { code?: string }, request: { method: string }, reply: { status(code: number): unknown }) {
      const message =
        error.code === 'FST_ERR_BAD_URL' ? 'The URL does not decode: every % must start a valid UTF-8 percent-encoding (%D9%88 …)' : `The request could not be routed (${error.code ?? 'unknown'})`;
      log.warn(`${request.method} refused before routing: ${message}`);
      void (reply.status(400) as { send(body: unknown): unknown }).send({ error: { code: 'BAD_USER_INPUT', message } });
    },
    clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
      if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
      const [status, reason, message] =
        error.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'Request Header Fields Too Large', 'The request headers are too large']
          : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? [408, 'Request Timeout', 'The request took too long to arrive']
            : [
                400,
                'Bad Request',
                'The request is not valid HTTP: a URL must percent-encode spaces and characters outside ASCII (Arabic included), e.g. ?q=%D9%88%D9%8A%D9%86 or curl -G --data-urlencode "q=وين طلبي"',
              ];
      log.warn(`Request refused by the HTTP parser (${error.code ?? error.message}): ${status}`);
      const body = JSON.stringify({ error: { code: 'BAD_USER_INPUT', message } });
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    },
  };
}
