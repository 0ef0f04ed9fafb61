/** The part of Fastify used here (Nest's adapter brings its own copy of Fastify's types). */
interface HookHost {
  addHook(name: 'onRequest', hook: (request: CallRequest, reply: CallReply) => Promise<unknown>): unknown;
}
interface CallRequest {
  url: string;
  method: string;
  headers: Record<string, string | string[] | undefined>;
}
interface CallReply {
  header(name: string, value: string): CallReply;
  status(code: number): CallReply;
  send(): unknown;
}

/**
 * Lets pages on other sites call the given paths from a browser (CORS), for the storefront chat
 * widget: `/graphql` for its messages and its session endpoint. Any origin may call: these
 * endpoints authenticate by a bearer token in the Authorization header, never by cookies, so a
 * page gains nothing it could not do from a server of its own (credentials are not allowed, and
 * which sites may open a visitor session is checked by that endpoint itself against the channel's
 * allowed origins).
 */
export function allowCrossOriginCalls(fastify: HookHost, paths: ReadonlyArray<string>): void {
  const applies = (url: string) => {
    const path = url.split('?', 1)[0];
    return paths.some((p) => path === p || path.startsWith(`${p}/`));
  };
  fastify.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (typeof origin !== 'string' || !applies(request.url)) return;
    reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
      return reply.status(204).header('access-control-allow-methods', 'POST, GET').header('access-control-allow-headers', 'authorization, content-type').header('access-control-max-age', '600').send();
    }
  });
}
