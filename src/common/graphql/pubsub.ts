import { PubSub } from 'graphql-subscriptions';

/**
 * Events for GraphQL subscriptions. In-process for now: subscribers see events raised by the
 * instance they are connected to. Fan-out across instances (PostgreSQL LISTEN/NOTIFY, Redis) is
 * the real-time work of issue 8 and replaces this provider without touching publishers.
 */
export const PUB_SUB = Symbol('PUB_SUB');
export const createPubSub = () => new PubSub();
export type EventBus = PubSub;
