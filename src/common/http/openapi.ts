import { applyDecorators } from '@nestjs/common';
import { ApiExtension, ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';

/** Marks an operation that needs no credential; `finishOpenApiDocument` turns it into `security: []`. */
export const OPEN_OPERATION_EXTENSION = 'x-rida-open';
export const ApiOpen = () => ApiExtension(OPEN_OPERATION_EXTENSION, { open: true });

class ErrorDetail {
  @ApiProperty({
    enum: ['BAD_USER_INPUT', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'RATE_LIMITED', 'SERVICE_UNAVAILABLE', 'INTERNAL_SERVER_ERROR'],
    description: 'What went wrong, to branch on.',
  })
  code: string;

  @ApiProperty({ description: 'For people; may change wording.' })
  message: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    description: 'BAD_USER_INPUT: every bad field at once, by its path, with what is wrong.',
    example: { 'customer.email': ['must be an email'] },
  })
  fields?: Record<string, string[]>;
}

/** The one error shape of every REST answer that is not a success. */
export class ErrorBody {
  @ApiProperty({ type: ErrorDetail })
  error: ErrorDetail;
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'BAD_USER_INPUT: a parameter or the body is invalid (error.fields names each bad field).',
  401: 'UNAUTHENTICATED: no credential, or one that is unknown, revoked or expired.',
  403: 'FORBIDDEN: the caller may not do this (a scope the credential lacks, a verify token, origin or signature that does not match, a channel switched off).',
  404: 'NOT_FOUND: nothing with this id (or slug) in the store, or nothing to serve.',
  409: 'CONFLICT: the change clashes with what is stored (e.g. an Idempotency-Key reused with another body).',
  429: 'RATE_LIMITED: too many requests; retry later.',
};

/** Documents the error answers an operation can give, all in the `{ error: { code, message, fields } }` shape. */
export const ApiErrors = (...statuses: Array<keyof typeof ERROR_DESCRIPTIONS>) =>
  applyDecorators(...statuses.map((status) => ApiResponse({ status, description: ERROR_DESCRIPTIONS[status], type: ErrorBody })));

/**
 * What @nestjs/swagger cannot say by decorators: open operations get `security: []` (it drops empty
 * lists), and the document names the server it is served from.
 */
export function finishOpenApiDocument(document: OpenAPIObject, publicUrl: string | undefined): OpenAPIObject {
  document.info.license = { name: 'Proprietary (UNLICENSED): for the store and its integrators' };
  document.servers = [{ url: publicUrl ? publicUrl.replace(/\/+$/, '') : '/', description: publicUrl ? 'This deployment' : 'The server that serves this document' }];
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const) {
      const operation = item[method] as (Record<string, unknown> & { security?: Array<Record<string, string[]>> }) | undefined;
      if (!operation || !(OPEN_OPERATION_EXTENSION in operation)) continue;
      delete operation[OPEN_OPERATION_EXTENSION];
      // Open, or (when it also names a scheme) open unless the deployment sets that credential.
      operation.security = operation.security?.length ? [...operation.security, {}] : [];
    }
  }
  return document;
}
