import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { getOperationAST, print, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import { createClient as createSocketClient, type Client as SocketClient, type ClientOptions as SocketOptions } from 'graphql-ws';
import { RidaError } from './errors';

export interface RidaClientOptions {
  /** The GraphQL endpoint, e.g. `https://support.example.sa/graphql`. */
  url: string;
  /**
   * The credential for each request and each socket connection: an API key, an agent's access token
   * or a customer token (sent as `Authorization: Bearer …`, and in graphql-ws' connection_init).
   * Called every time, so a refreshed token is picked up; nothing is sent when it returns nothing.
   */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
  /** The graphql-ws endpoint; default: `url` with http(s) turned into ws(s). */
  wsUrl?: string;
  /**
   * The WebSocket class, where there is no global one: Node 20 needs `WebSocket` from `ws`
   * (browsers and Node 22+ have one).
   */
  webSocketImpl?: unknown;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Extra headers on every HTTP request. */
  headers?: Record<string, string>;
  /** More graphql-ws options (retries, keep-alive, events …). */
  socket?: Partial<Omit<SocketOptions, 'url' | 'connectionParams' | 'webSocketImpl'>>;
}

/** Variables are required when the operation has a required variable, optional otherwise. */
export type VariablesArgument<TVariables> = Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];
type VariablesOption<TVariables> = Record<string, never> extends TVariables ? { variables?: TVariables } : { variables: TVariables };

export type SubscribeOptions<TData, TVariables> = VariablesOption<TVariables> & {
  next: (data: TData) => void;
  error?: (error: RidaError) => void;
  complete?: () => void;
};

export interface RidaClient {
  /** Runs a query or mutation over HTTP; resolves to `data`, rejects with a RidaError. */
  request<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, ...variables: VariablesArgument<TVariables>): Promise<TData>;
  /** Starts a subscription over graphql-ws; returns the function that stops it. */
  subscribe<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, options: SubscribeOptions<TData, TVariables>): () => void;
  /** The same as an async iterator: `for await (const data of client.iterate(TicketEventsDocument)) …`; `break` stops it. */
  iterate<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, ...variables: VariablesArgument<TVariables>): AsyncIterableIterator<TData>;
  /** Closes the socket, if one is open. */
  dispose(): Promise<void>;
}

interface GraphQLResponseBody {
  data?: unknown;
  errors?: GraphQLFormattedError[];
}

const printed = new WeakMap<DocumentNode, { query: string; operationName?: string }>();
function source(document: DocumentNode) {
  let entry = printed.get(document);
  if (!entry) {
    entry = { query: print(document), operationName: getOperationAST(document)?.name?.value };
    printed.set(document, entry);
  }
  return entry;
}

/** A socket closed by the server because the credential lapsed (4401) or no longer may (4403). */
function toRidaError(error: unknown): RidaError {
  if (error instanceof RidaError) return error;
  if (Array.isArray(error)) return new RidaError(error as GraphQLFormattedError[]);
  const close = error as { code?: unknown; reason?: unknown };
  if (typeof close?.code === 'number') {
    const code = close.code === 4401 ? 'UNAUTHENTICATED' : close.code === 4403 ? 'FORBIDDEN' : 'NETWORK_ERROR';
    return new RidaError([{ message: `The socket closed (${close.code}${close.reason ? `: ${String(close.reason)}` : ''})`, extensions: { code, closeCode: close.code } }], { cause: error });
  }
  return RidaError.network(error instanceof Error ? error.message : String(error), error);
}

export function createRidaClient(options: RidaClientOptions): RidaClient {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  let socket: SocketClient | undefined;

  const authorization = async (): Promise<string | undefined> => {
    const token = await options.getToken?.();
    return token ? `Bearer ${token}` : undefined;
  };

  const socketClient = (): SocketClient =>
    (socket ??= createSocketClient({
      ...options.socket,
      url: options.wsUrl ?? options.url.replace(/^http/, 'ws'),
      webSocketImpl: options.webSocketImpl,
      // Asked again on every (re)connection, so a refreshed token is used.
      connectionParams: async () => {
        const value = await authorization();
        return value ? { authorization: value } : {};
      },
    }));

  async function request<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, ...[variables]: VariablesArgument<TVariables>): Promise<TData> {
    // content-type application/json: Apollo's CSRF prevention refuses requests a browser could send without a preflight.
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', ...options.headers };
    const auth = await authorization();
    if (auth) headers.authorization = auth;
    let response: Response;
    try {
      response = await fetchImpl(options.url, { method: 'POST', headers, body: JSON.stringify({ ...source(document), variables }) });
    } catch (error) {
      throw RidaError.network(`No answer from ${options.url}: ${error instanceof Error ? error.message : String(error)}`, error);
    }
    let body: GraphQLResponseBody;
    try {
      body = (await response.json()) as GraphQLResponseBody;
    } catch (error) {
      throw RidaError.network(`${options.url} answered ${response.status} without a GraphQL response`, error, response.status);
    }
    if (body.errors?.length) throw new RidaError(body.errors, { status: response.status, data: body.data });
    if (!response.ok || body.data == null) throw RidaError.network(`${options.url} answered ${response.status} without data`, undefined, response.status);
    return body.data as TData;
  }

  function subscribe<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, sink: SubscribeOptions<TData, TVariables>): () => void {
    const { variables } = sink as { variables?: Record<string, unknown> };
    return socketClient().subscribe<TData>(
      { ...source(document), variables },
      {
        next: (result) => (result.errors?.length ? sink.error?.(new RidaError(result.errors, { data: result.data })) : sink.next(result.data as TData)),
        error: (error) => sink.error?.(toRidaError(error)),
        complete: () => sink.complete?.(),
      },
    );
  }

  function iterate<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, ...[variables]: VariablesArgument<TVariables>): AsyncIterableIterator<TData> {
    const results = socketClient().iterate<TData>({ ...source(document), variables: variables as Record<string, unknown> | undefined });
    const iterator: AsyncIterableIterator<TData> = {
      async next() {
        let step: IteratorResult<{ data?: TData | null; errors?: readonly GraphQLFormattedError[] }>;
        try {
          step = await results.next();
        } catch (error) {
          throw toRidaError(error);
        }
        if (step.done) return { done: true, value: undefined };
        if (step.value.errors?.length) throw new RidaError(step.value.errors, { data: step.value.data });
        return { done: false, value: step.value.data as TData };
      },
      async return() {
        await results.return?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  return {
    request,
    subscribe,
    iterate,
    async dispose() {
      await socket?.dispose();
      socket = undefined;
    },
  };
}
