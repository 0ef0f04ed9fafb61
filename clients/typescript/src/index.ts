export { createRidaClient, type RidaClient, type RidaClientOptions, type SubscribeOptions, type VariablesArgument } from './client';
export { isRidaError, RidaError, type RidaErrorCode } from './errors';
export * from './generated/graphql';
