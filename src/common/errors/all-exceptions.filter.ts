import { ArgumentsHost, Catch, ExceptionFilter, LoggerService } from '@nestjs/common';
import { GqlContextType } from '@nestjs/graphql';
import type { FastifyReply } from 'fastify';
import { GraphQLError } from 'graphql';
import { HTTP_STATUS_BY_CODE } from './domain-error';
import { toDomainError } from './to-domain-error';

/**
 * The one place where errors get their client shape: GraphQL errors with `extensions.code`
 * (and `extensions.fields`), REST `{ error: { code, message, fields } }` with the matching status.
 * Unexpected errors are logged with their stack and reach the client as a bare INTERNAL_SERVER_ERROR.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly logger: LoggerService) {}

  catch(exception: unknown, host: ArgumentsHost) {
    const { error, unexpected } = toDomainError(exception);
    if (unexpected) this.logger.error(exception instanceof Error ? exception.stack : String(exception), 'Errors');

    if (host.getType<GqlContextType>() === 'graphql') {
      return new GraphQLError(error.message, {
        extensions: { code: error.code, ...(error.fields ? { fields: error.fields } : {}) },
      });
    }
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply.status(error.httpStatus ?? HTTP_STATUS_BY_CODE[error.code]).send({ error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) } });
  }
}
