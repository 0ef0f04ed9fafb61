import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import { AuthService } from '../../../src/auth/auth.service';
import { loadConfig } from '../../../src/common/config/app-config';
import type { Role } from '../../../src/common/request-context';
import { createApp } from '../../../src/create-app';
import { createTestDatabase } from '../../test-database';

export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: Array<{ message: string; path?: string[]; extensions: { code: string; fields?: Record<string, string[]>; [key: string]: unknown } }>;
}

export interface TestTenant {
  id: string;
  slug: string;
  key: string;
}

/** The real application on its own fresh database, driven over HTTP as clients drive it. */
export class TestApp {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly databaseUrl: string,
  ) {}

  static async start(env: Record<string, string> = {}, logDestination?: DestinationStream, existingDatabaseUrl?: string): Promise<TestApp> {
    const databaseUrl = existingDatabaseUrl ?? (await createTestDatabase());
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      GRAPHQL_SCHEMA_FILE: '',
      DATABASE_POOL_SIZE: '10',
      JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
      SECRETS_KEY: Buffer.alloc(32, 1).toString('base64'),
      EMAIL_POLL_INTERVAL_SECONDS: '0',
      EMAIL_IDLE: 'false',
      SLA_SWEEP_INTERVAL_SECONDS: '0',
      ASSIGNMENT_SWEEP_INTERVAL_SECONDS: '0',
      KPI_ROLLUP_INTERVAL_SECONDS: '0',
      ...env,
    });
    const app = await createApp({ config, databaseUrl, logDestination });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return new TestApp(app, databaseUrl);
  }

  get http() {
    return request(this.app.getHttpServer());
  }

  async gql<T = any>(key: string | undefined, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> {
    const req = this.http.post('/graphql').set('content-type', 'application/json');
    if (key) req.set('authorization', `Bearer ${key}`);
    const res = await req.send({ query, variables });
    return res.body as GraphQLResponse<T>;
  }

  /** Like gql, but fails the test on any GraphQL error and returns `data`. */
  async gqlOk<T = any>(key: string, query: string, variables?: Record<string, unknown>): Promise<T> {
    const body = await this.gql<T>(key, query, variables);
    if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors, null, 2)}`);
    return body.data as T;
  }

  /** A store with an admin key, created the way the CLI does it. */
  async createTenant(name = 'متجر الورد', options: { timezone?: string; country?: string } = {}): Promise<TestTenant> {
    const auth = this.app.get(AuthService);
    const tenant = await auth.createTenant({ name, timezone: options.timezone, defaultCountry: options.country });
    const { key } = await auth.createApiKey(tenant.id, 'admin', 'test admin');
    return { id: tenant.id, slug: tenant.slug, key };
  }

  async createKey(tenantId: string, role: Role): Promise<string> {
    return (await this.app.get(AuthService).createApiKey(tenantId, role, `test ${role}`)).key;
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}

export const TICKET_FIELDS = `
  id number subject status priority category channel tags customFields orderRef productRef
  messageCount publicAgentReplyCount reopenCount firstResponseAt solvedAt closedAt createdAt updatedAt
  customer { id name tier identities { kind value } }
`;

export const CREATE_TICKET = `mutation($input: CreateTicketInput!) { createTicket(input: $input) { ${TICKET_FIELDS} } }`;
export const ADD_MESSAGE = `mutation($input: AddMessageInput!) {
  addMessage(input: $input) { message { id body authorType authorId authorName internal channel externalId createdAt } ticket { ${TICKET_FIELDS} followUpOf { id number } } }
}`;
export const UPDATE_TICKET = `mutation($id: ID!, $input: UpdateTicketInput!) { updateTicket(id: $id, input: $input) { ${TICKET_FIELDS} assignee { id name } team { id name } } }`;

/** A plausible Saudi customer message, varied by n. */
export function arabicTicket(n = 1, overrides: Record<string, unknown> = {}) {
  return {
    subject: `تأخر توصيل الطلب رقم ${4500 + n}`,
    body: `السلام عليكم، طلبي رقم ${4500 + n} تأخر عن موعد التوصيل المتوقع، متى يصل؟`,
    channel: 'WHATSAPP',
    customer: { whatsapp: `9665${String(10000000 + n).padStart(8, '0')}`, name: 'نورة القحطاني' },
    ...overrides,
  };
}

/** Polls until `probe` returns a truthy value (for effects written in the background). */
export async function eventually<T>(probe: () => Promise<T>, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Retries an assertion until it passes (for effects of background jobs); the last failure is thrown. */
export async function eventuallyPasses(assertion: () => Promise<void> | void, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** Opens a store around the clock, so expected deadlines do not depend on when a test runs. */
export async function openAllWeek(t: TestApp, key: string): Promise<void> {
  const weekly = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'].map((day) => ({ day, hours: [{ start: '00:00', end: '24:00' }] }));
  await t.gqlOk(key, `mutation($w: [WeekdayHoursInput!]) { updateBusinessCalendar(input: { weekly: $w }) { timeZone } }`, { w: weekly });
}
