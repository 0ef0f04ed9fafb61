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
            if (response.body.kind === 'single') {
              response.body.singleResult = { errors: [{ message: 'The change could not be saved; nothing was changed. Try again.', extensions: { code: 'CONFLICT' } }] };
            }
            response.http.status = 409;
          }
        },
      };
    },
  };
}
