/** The error vocabulary clients branch on (`extensions.code` in GraphQL, `error.code` in REST). */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  /** A free-form WhatsApp reply more than 24 h after the customer last wrote: send an approved template instead. */
  | 'WHATSAPP_WINDOW_CLOSED'
  /** The same for Instagram and Messenger: more than 7 days (the human-agent tag's limit) since the customer wrote. */
  | 'MESSAGING_WINDOW_CLOSED'
  /** The platform refused a call made on the agent's behalf (expired token, deleted comment …). */
  | 'CHANNEL_ERROR'
  | 'INTERNAL_SERVER_ERROR';

export const HTTP_STATUS_BY_CODE: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  WHATSAPP_WINDOW_CLOSED: 409,
  MESSAGING_WINDOW_CLOSED: 409,
  CHANNEL_ERROR: 502,
  INTERNAL_SERVER_ERROR: 500,
};

/** Field path → messages, e.g. `{ "customer.email": ["must be an email"] }`. */
export type FieldErrors = Record<string, string[]>;

/** Thrown by services; the edge (exception filter) turns it into the client's error shape. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldErrors,
    /** A more precise HTTP status than the code's usual one (e.g. 413 for a body too large). */
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badInput = (message: string, fields?: FieldErrors) => new DomainError('BAD_USER_INPUT', message, fields);
export const notFound = (what: string, id?: string) => new DomainError('NOT_FOUND', id ? `${what} ${id} not found` : `${what} not found`);
export const conflict = (message: string) => new DomainError('CONFLICT', message);
export const forbidden = (message = 'You are not allowed to do this') => new DomainError('FORBIDDEN', message);
export const unauthenticated = (message = 'A valid API key is required (Authorization: Bearer <key>)') => new DomainError('UNAUTHENTICATED', message);
