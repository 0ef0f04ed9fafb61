import { HttpException, HttpStatus } from '@nestjs/common';
import { ValidationError } from 'class-validator';
import { DomainError, FieldErrors } from './domain-error';

function collectFieldErrors(errors: ValidationError[], prefix = '', into: FieldErrors = {}): FieldErrors {
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) into[path] = Object.values(error.constraints);
    if (error.children?.length) collectFieldErrors(error.children, path, into);
  }
  return into;
}

/** ValidationPipe's exceptionFactory: one BAD_USER_INPUT naming every offending field. */
export function validationFailed(errors: ValidationError[]): DomainError {
  const fields = collectFieldErrors(errors);
  const summary = Object.entries(fields)
    .map(([field, messages]) => `${field}: ${messages.join(', ')}`)
    .join('; ');
  return new DomainError('BAD_USER_INPUT', `Invalid input — ${summary}`, fields);
}

const CODE_BY_STATUS: Partial<Record<number, DomainError['code']>> = {
  [HttpStatus.BAD_REQUEST]: 'BAD_USER_INPUT',
  [HttpStatus.UNAUTHORIZED]: 'UNAUTHENTICATED',
  [HttpStatus.FORBIDDEN]: 'FORBIDDEN',
  [HttpStatus.NOT_FOUND]: 'NOT_FOUND',
  [HttpStatus.CONFLICT]: 'CONFLICT',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'BAD_USER_INPUT',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'BAD_USER_INPUT',
  [HttpStatus.TOO_MANY_REQUESTS]: 'RATE_LIMITED',
};

/** Maps anything thrown to a DomainError; unknown errors become an opaque INTERNAL_SERVER_ERROR. */
export function toDomainError(error: unknown): { error: DomainError; unexpected: boolean } {
  if (error instanceof DomainError) return { error, unexpected: false };
  if (error instanceof HttpException) {
    const code = CODE_BY_STATUS[error.getStatus()];
    if (code) {
      const response = error.getResponse();
      const message = typeof response === 'object' && response && 'message' in response ? [response.message].flat().join('; ') : error.message;
      return { error: new DomainError(code, message, undefined, error.getStatus()), unexpected: false };
    }
  }
  // Fastify's own client errors (malformed JSON, body too large) carry a 4xx statusCode.
  const statusCode = (error as { statusCode?: number } | null)?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    const code = CODE_BY_STATUS[statusCode] ?? 'BAD_USER_INPUT';
    return { error: new DomainError(code, (error as Error).message, undefined, statusCode), unexpected: false };
  }
  return { error: new DomainError('INTERNAL_SERVER_ERROR', 'Internal server error'), unexpected: true };
}
