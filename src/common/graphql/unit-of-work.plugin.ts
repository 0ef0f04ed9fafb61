import type { ApolloServerPlugin } from '@apollo/server';
import { Logger } from '@nestjs/common';
import { TenantTransactions } from '../database/tenant-transactions';
import type { GraphQLRequestContext } from './loaders';

const logger = new Logger('UnitOfWork');

/**
 * One transaction per GraphQL query or mutation: the unit of work is created once the operation's
 * kind is known, carried by the request context into every service call and DataLoader batch, and
 * committed before the response is sent — so a response never reports a write that did not
 * commit. Subscriptions get none: they must not hold a connection between events.
 */
export function unitOfWorkPlugin(transactions: TenantTransactions): ApolloServerPlugin<GraphQLRequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (!operation || operation.operation === 'subscription') return;
          contextValue.req.unitOfWork = transactions.unitOfWork(operation.operation === 'mutation');
        },
        async willSendResponse({ contextValue, response }) {
          const unitOfWork = contextValue.req.unitOfWork;
          if (!unitOfWork) return;
          contextValue.req.unitOfWork = undefined;
          try {
            await unitOfWork.finish(true);
          } catch (error) {
            logger.error(`The request's transaction did not commit: ${(error as Error).message}`);
            const refused = commitRefusal(error);
            if (response.body.kind === 'single') response.body.singleResult = { errors: [{ message: refused.message, extensions: { code: refused.code } }] };
            response.http.status = refused.status;
          }
        },
      };
    },
  };
}

/**
 * What a client is told when the request's COMMIT fails. A conflict the database found at commit
 * (a serialization failure, a deferred constraint) rolled everything back: CONFLICT. Anything else
 * (the connection lost at that moment) leaves the outcome unknown: SERVICE_UNAVAILABLE, to be
 * retried — with the same idempotency key where the operation takes one.
 */
export function commitRefusal(error: unknown): { code: string; status: number; message: string } {
  const sqlState = String((error as { code?: unknown; driverError?: { code?: unknown } })?.driverError?.code ?? (error as { code?: unknown })?.code ?? '');
  if (sqlState.startsWith('40') || sqlState.startsWith('23')) {
    return { code: 'CONFLICT', status: 409, message: 'The change could not be saved; nothing was changed. Try again.' };
  }
  return {
    code: 'SERVICE_UNAVAILABLE',
    status: 503,
    message: 'The database did not confirm the change; it may not have been saved. Try again (with the same idempotency key, where the operation takes one).',
  };
}
