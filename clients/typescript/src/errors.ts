import type { GraphQLFormattedError } from 'graphql';

/**
 * What `extensions.code` says (the server's error vocabulary), plus NETWORK_ERROR when no answer
 * came at all. New codes may appear: branch on the ones you handle, treat the rest as a failure.
 */
export type RidaErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'WHATSAPP_WINDOW_CLOSED'
  | 'MESSAGING_WINDOW_CLOSED'
  | 'CHANNEL_ERROR'
  | 'INTERNAL_SERVER_ERROR'
  | 'NETWORK_ERROR';

/** A failed operation: the first error's code and message, and every error the server sent. */
export class RidaError extends Error {
  override readonly name = 'RidaError';
  /** `extensions.code` of the first error. */
  readonly code: RidaErrorCode | (string & {});
  /** For BAD_USER_INPUT: field path → messages, e.g. `{ "customer.email": ["must be an email"] }`. */
  readonly fields?: Record<string, string[]>;
  /** The HTTP status, when the error came over HTTP. */
  readonly status?: number;
  readonly errors: readonly GraphQLFormattedError[];
  /** What the server answered beside the errors (partial data), if anything. */
  readonly data?: unknown;

  constructor(errors: readonly GraphQLFormattedError[], options: { status?: number; data?: unknown; cause?: unknown } = {}) {
    const first = errors[0] ?? { message: 'Unknown error' };
    super(first.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.errors = errors;
    this.code = typeof first.extensions?.code === 'string' ? first.extensions.code : 'INTERNAL_SERVER_ERROR';
    this.fields = first.extensions?.fields as Record<string, string[]> | undefined;
    this.status = options.status;
    this.data = options.data ?? undefined;
  }

  static network(message: string, cause?: unknown, status?: number): RidaError {
    return new RidaError([{ message, extensions: { code: 'NETWORK_ERROR' } }], { cause, status });
  }
}

/** True for a RidaError, of the given code when one is given. */
export function isRidaError(error: unknown, code?: RidaErrorCode): error is RidaError {
  return error instanceof RidaError && (code === undefined || error.code === code);
}
