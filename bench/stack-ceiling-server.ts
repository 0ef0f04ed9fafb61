/**
 * The stack's ceiling: the bench's requests served by the fixed stack alone — NestJS on Fastify,
 * @nestjs/graphql with Apollo, `pg` — whose resolvers run the floors' SQL (`floors.ts`) and nothing
 * else: no authentication, tenancy, validation, routing, SLA, search index, events or logging. It
 * answers the same request bodies the app gets, so `ceiling ÷ floor` is the highest ratio any app
 * on this stack can reach on this machine, and `app ÷ ceiling` what the app's own work costs.
 *
 * Started by the bench in its own process: PORT, DATABASE_URL, POOL_SIZE, WA_APP_SECRET and
 * CEILING_WORLD (the store's ids, JSON) in the environment.
 */
import 'reflect-metadata';
import { Controller, Get, HttpCode, Module, Post, Req, UnauthorizedException } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { Args, Field, ID, InputType, Int, Mutation, ObjectType, Query, registerEnumType, Resolver, GraphQLModule } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { Pool, PoolClient } from 'pg';
import { metaSignatureValid } from '../src/channels/messaging/platform-signatures';
import { FloorWorld, listPage, newConversation, replyOnTicket, ticketDetail } from './floors';

const world = JSON.parse(process.env.CEILING_WORLD ?? '{}') as FloorWorld & { regulars: string[] };
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_SIZE ?? 32), application_name: 'rida-bench-ceiling' });
const replyTicketOf = new Map(world.regulars?.map((waId, i) => [waId, world.replyTicketIds[i % world.replyTicketIds.length]]));

async function withClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await work(client);
  } finally {
    client.release();
  }
}

enum TicketStatus {
  NEW = 'NEW',
  OPEN = 'OPEN',
  PENDING = 'PENDING',
  SOLVED = 'SOLVED',
  CLOSED = 'CLOSED',
}
registerEnumType(TicketStatus, { name: 'TicketStatus' });

@ObjectType('Customer')
class CustomerNode {
  @Field(() => ID) id: string;
  @Field(() => String, { nullable: true }) name: string | null; // as the app's: a customer may be known by a phone number alone
}

@ObjectType('Message')
class MessageNode {
  @Field(() => ID) id: string;
  @Field() body: string;
  @Field() authorType: string;
  @Field() createdAt: Date;
}

@ObjectType('TicketEvent')
class EventNode {
  @Field() type: string;
  @Field() createdAt: Date;
}

@ObjectType('Ticket')
class TicketNode {
  @Field(() => ID) id: string;
  @Field(() => Int) number: number;
  @Field({ nullable: true }) subject?: string;
  @Field(() => TicketStatus, { nullable: true }) status?: TicketStatus;
  @Field(() => Int, { nullable: true }) priority?: number;
  @Field(() => CustomerNode, { nullable: true }) customer?: CustomerNode;
  @Field(() => [MessageNode], { nullable: true }) messages?: MessageNode[];
  @Field(() => [EventNode], { nullable: true }) events?: EventNode[];
}

@ObjectType('TicketEdge')
class TicketEdge {
  @Field() cursor: string;
  @Field(() => TicketNode) node: TicketNode;
}

@ObjectType('PageInfo')
class PageInfo {
  @Field() hasNextPage: boolean;
  @Field({ nullable: true }) endCursor?: string;
}

@ObjectType('TicketConnection')
class TicketConnection {
  @Field(() => [TicketEdge]) edges: TicketEdge[];
  @Field(() => PageInfo) pageInfo: PageInfo;
}

@InputType('TicketFilter')
class TicketFilter {
  @Field(() => [TicketStatus], { nullable: true }) status?: TicketStatus[];
}

@InputType('CustomerInput')
class CustomerInput {
  @Field({ nullable: true }) whatsapp?: string;
  @Field({ nullable: true }) phone?: string;
}

@InputType('CreateTicketInput')
class CreateTicketInput {
  @Field() subject: string;
  @Field() body: string;
  @Field({ nullable: true }) channel?: string;
  @Field(() => CustomerInput) customer: CustomerInput;
}

@Resolver(() => TicketNode)
class CeilingResolver {
  @Query(() => TicketConnection)
  async tickets(@Args('first', { type: () => Int }) first: number, @Args('filter', { type: () => TicketFilter, nullable: true }) _filter?: TicketFilter): Promise<TicketConnection> {
    const rows = await withClient((client) => listPage(client, world.tenantId));
    const page = rows.slice(0, first);
    const cursor = (row: (typeof rows)[number]) => Buffer.from(`${row.created_at.toISOString()}|${row.id}`).toString('base64url');
    return {
      edges: page.map((row) => ({
        cursor: cursor(row),
        node: { id: row.id, number: row.number, subject: row.subject, status: row.status as TicketStatus, priority: row.priority, customer: { id: row.customer_id, name: row.customer_name } },
      })),
      pageInfo: { hasNextPage: rows.length > first, endCursor: page.length ? cursor(page[page.length - 1]) : undefined },
    };
  }

  @Query(() => TicketNode, { nullable: true })
  async ticket(@Args('id', { type: () => ID }) id: string): Promise<TicketNode | null> {
    const found = await withClient((client) => ticketDetail(client, world.tenantId, id));
    if (!found) return null;
    return {
      ...found,
      messages: found.messages.map((m: { id: string; body: string; author_type: string; created_at: Date }) => ({ id: m.id, body: m.body, authorType: m.author_type, createdAt: m.created_at })),
      events: found.events.map((e: { type: string; created_at: Date }) => ({ type: e.type, createdAt: e.created_at })),
    };
  }

  @Mutation(() => TicketNode)
  createTicket(@Args('input') input: CreateTicketInput): Promise<TicketNode> {
    return withClient((client) => newConversation(client, world.tenantId, input.customer.whatsapp ?? input.customer.phone ?? ''));
  }
}

interface WhatsAppPayload {
  entry?: Array<{ changes?: Array<{ value?: { messages?: Array<{ from: string; id: string }> } }> }>;
}

@Controller()
class WhatsAppWebhookController {
  @Get('health')
  health(): string {
    return 'ok';
  }

  /** A signed WhatsApp webhook: its signature checked, each message stored as a new conversation or a reply. */
  @Post('webhooks/whatsapp/:channel')
  @HttpCode(200)
  async receive(@Req() request: RawBodyRequest<FastifyRequest>): Promise<string> {
    const header = request.headers['x-hub-signature-256'];
    if (!request.rawBody || !metaSignatureValid(request.rawBody, Array.isArray(header) ? header[0] : header, process.env.WA_APP_SECRET ?? '')) throw new UnauthorizedException();
    const messages = (request.body as WhatsAppPayload).entry?.flatMap((e) => e.changes?.flatMap((c) => c.value?.messages ?? []) ?? []) ?? [];
    await withClient(async (client) => {
      for (const message of messages) {
        const ticket = replyTicketOf.get(message.from);
        if (ticket) await replyOnTicket(client, world.tenantId, ticket, message.id);
        else await newConversation(client, world.tenantId, message.from, message.id);
      }
    });
    return 'OK';
  }
}

@Module({
  imports: [
    GraphQLModule.forRoot<ApolloDriverConfig>({
      driver: ApolloDriver,
      path: '/graphql',
      autoSchemaFile: true,
      playground: false,
      graphiql: false,
      plugins: [ApolloServerPluginCacheControlDisabled()],
    }),
  ],
  controllers: [WhatsAppWebhookController],
  providers: [CeilingResolver],
})
class CeilingModule {}

async function main() {
  const app = await NestFactory.create<NestFastifyApplication>(CeilingModule, new FastifyAdapter(), { logger: false, rawBody: true });
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT), '127.0.0.1');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
