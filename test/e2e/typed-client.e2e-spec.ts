import { CombinedGraphQLErrors } from '@apollo/client';
import { cacheExchange, Client, fetchExchange } from '@urql/core';
import { ClientError } from 'graphql-request';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import {
  AddMessageDocument,
  CreateCustomerTokenDocument,
  CreateTicketDocument,
  CustomerByPhoneDocument,
  isRidaError,
  LoginDocument,
  MeDocument,
  PortalCreateTicketDocument,
  PortalReplyDocument,
  PortalTicketsDocument,
  RefreshTokenDocument,
  RidaError,
  SetMyAvailabilityDocument,
  TicketByNumberDocument,
  TicketDocument,
  TicketEventsDocument,
  TicketMessagesDocument,
  TicketsDocument,
  UpdateTicketDocument,
  type CreateTicketInput,
  type TicketEventsSubscription,
} from '../../clients/typescript/src';
import { createApolloClient } from '../../clients/typescript/examples/apollo-client';
import { createGraphQLRequestClient } from '../../clients/typescript/examples/graphql-request';
import { createUrqlClient } from '../../clients/typescript/examples/urql';
import { createConsoleClient } from '../../clients/typescript/examples/rida-client';
import { AuthService } from '../../src/auth/auth.service';
import { listenForSockets } from './helpers/live';
import { TestApp, TestTenant } from './helpers/test-app';

const root = join(__dirname, '../..');
const exampleFile = (name: string) => readFileSync(join(root, 'clients/typescript/examples', name), 'utf8');

const ticketInput = (n: number, extra: Partial<CreateTicketInput> = {}): CreateTicketInput => ({
  subject: `تأخر توصيل الطلب رقم ${4500 + n}`,
  body: `السلام عليكم، طلبي رقم ${4500 + n} تأخر عن موعد التوصيل`,
  channel: 'WHATSAPP',
  customer: { whatsapp: `9665${String(10000000 + n).padStart(8, '0')}`, name: 'نورة القحطاني' },
  ...extra,
});

/** The error an operation fails with (the test fails if it succeeds). */
const failureOf = (operation: Promise<unknown>) =>
  operation.then(
    () => {
      throw new Error('the operation succeeded');
    },
    (error: unknown) => error as RidaError,
  );

/** Repeats `act` until something has arrived: a subscription starts a moment after the socket is acknowledged. */
async function untilReceived(received: unknown[], act: () => Promise<unknown>, ms = 8000): Promise<void> {
  for (const end = Date.now() + ms; received.length === 0 && Date.now() < end;) {
    await act();
    for (const wait = Date.now() + 300; received.length === 0 && Date.now() < wait;) await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the TypeScript client and the front-end set-ups the README shows', () => {
  let t: TestApp;
  let url: string;
  let store: TestTenant;
  let ticketId: string;

  beforeAll(async () => {
    // Keys are re-checked every second on open sockets (the revocation test below).
    t = await TestApp.start({ API_KEY_CACHE_SECONDS: '1' });
    url = (await listenForSockets(t)).replace(/^ws/, 'http');
    store = await t.createTenant();
    await t.gqlOk(store.key, `mutation { createAgent(input: { name: "ريم", email: "reem@store.sa", password: "كلمة-سر-طويلة-1", role: AGENT }) { id } }`);
    ticketId = (await t.gqlOk(store.key, `mutation($input: CreateTicketInput!) { createTicket(input: $input) { id } }`, { input: ticketInput(0) })).createTicket.id;
  });
  afterAll(() => t?.close());

  it('the checked-in generated code is what schema.gql and the operations generate', () => {
    // Fails with "run npm run client:generate" when the schema or an operation changed without it.
    execFileSync(process.execPath, ['clients/typescript/codegen.mjs', '--check'], { cwd: root, stdio: 'pipe' });
  });

  it('the README shows each set-up exactly as tested', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const name of ['apollo-client.ts', 'urql.ts', 'graphql-request.ts']) expect(readme).toContain(exampleFile(name).trim());
  });

  describe('createRidaClient', () => {
    let token: string | undefined;
    const client = () => createConsoleClient({ url, getToken: () => token });

    it('signs an agent in, refreshes and runs typed queries and mutations with the access token', async () => {
      const rida = client();
      const { login } = await rida.request(LoginDocument, { input: { tenant: store.slug, email: 'reem@store.sa', password: 'كلمة-سر-طويلة-1' } });
      token = login.accessToken;
      const me = await rida.request(MeDocument);
      expect(me.me).toMatchObject({ email: 'reem@store.sa', role: 'AGENT', availability: 'OFFLINE' });
      expect((await rida.request(SetMyAvailabilityDocument, { availability: 'ONLINE' })).setMyAvailability.availability).toBe('ONLINE');

      const refreshed = await rida.request(RefreshTokenDocument, { refreshToken: login.refreshToken });
      token = refreshed.refreshToken.accessToken;

      const created = await rida.request(CreateTicketDocument, { input: ticketInput(1, { category: 'SHIPPING', tags: ['شحن'], customer: { phone: '0501234567', name: 'سارة' } }) });
      const subject: string = created.createTicket.subject;
      expect(subject).toBe('تأخر توصيل الطلب رقم 4501');
      expect(created.createTicket).toMatchObject({ status: 'NEW', category: 'SHIPPING', tags: ['شحن'], customer: { name: 'سارة' }, assignee: null });

      const reply = await rida.request(AddMessageDocument, { input: { ticketId: created.createTicket.id, body: 'نعتذر عن التأخير، سيصل طلبك غداً' } });
      expect(reply.addMessage.message).toMatchObject({ authorType: 'AGENT', internal: false });
      expect(reply.addMessage.ticket.firstResponseAt).not.toBeNull();

      const solved = await rida.request(UpdateTicketDocument, { id: created.createTicket.id, input: { status: 'SOLVED' } });
      expect(solved.updateTicket.status).toBe('SOLVED');

      const detail = (await rida.request(TicketDocument, { id: created.createTicket.id })).ticket;
      expect(detail.messages.map((m) => m.authorType)).toEqual(['CUSTOMER', 'AGENT']);
      expect(detail.events.map((e) => e.type)).toEqual(expect.arrayContaining(['CREATED', 'MESSAGE_ADDED', 'STATUS_CHANGED']));
      expect((await rida.request(TicketByNumberDocument, { number: created.createTicket.number })).ticketByNumber.id).toBe(created.createTicket.id);

      const caller = await rida.request(CustomerByPhoneDocument, { phone: '+966 50 123 4567' });
      expect(caller.customerByPhone).toMatchObject({ name: 'سارة', identities: [{ kind: 'PHONE', value: '+966501234567' }] });
      expect((await rida.request(CustomerByPhoneDocument, { phone: '0559999999' })).customerByPhone).toBeNull();

      await rida.dispose();
    });

    it('pages a ticket list forwards and back with the cursors of the page before', async () => {
      const rida = createConsoleClient({ url, getToken: () => store.key });
      for (const n of [2, 3, 4]) await rida.request(CreateTicketDocument, { input: ticketInput(n, { tags: ['paging'] }) });
      const first = await rida.request(TicketsDocument, { filter: { tags: ['paging'] }, sort: { field: 'CREATED_AT', direction: 'ASC' }, first: 2 });
      expect(first.tickets.totalCount).toBe(3);
      expect(first.tickets.pageInfo.hasNextPage).toBe(true);
      const second = await rida.request(TicketsDocument, { filter: { tags: ['paging'] }, sort: { field: 'CREATED_AT', direction: 'ASC' }, first: 2, after: first.tickets.pageInfo.endCursor });
      expect([...first.tickets.edges, ...second.tickets.edges].map((e) => e.node.subject)).toEqual([4502, 4503, 4504].map((n) => `تأخر توصيل الطلب رقم ${n}`));
      expect(second.tickets.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
      const back = await rida.request(TicketsDocument, { filter: { tags: ['paging'] }, sort: { field: 'CREATED_AT', direction: 'ASC' }, last: 2, before: second.tickets.pageInfo.startCursor });
      expect(back.tickets.edges.map((e) => e.node.id)).toEqual(first.tickets.edges.map((e) => e.node.id));
      await rida.dispose();
    });

    it('surfaces coded errors as a RidaError with extensions.code and the fields', async () => {
      const rida = createConsoleClient({ url, getToken: () => store.key });
      const missing = await failureOf(rida.request(TicketDocument, { id: '00000000-0000-4000-8000-000000000000' }));
      expect(isRidaError(missing, 'NOT_FOUND')).toBe(true);

      const bad = await failureOf(rida.request(CreateTicketDocument, { input: ticketInput(5, { subject: '', customer: { email: 'not-an-email' } }) }));
      expect(bad).toBeInstanceOf(RidaError);
      expect(bad.code).toBe('BAD_USER_INPUT');
      expect(Object.keys(bad.fields ?? {})).toEqual(expect.arrayContaining(['subject']));

      const stranger = createConsoleClient({ url, getToken: () => 'rida_nope_nope' });
      const refused = await failureOf(stranger.request(MeDocument));
      expect(refused.code).toBe('UNAUTHENTICATED');

      const nobody = createConsoleClient({ url: 'http://127.0.0.1:9/graphql', getToken: () => store.key });
      expect((await failureOf(nobody.request(MeDocument))).code).toBe('NETWORK_ERROR');
      await rida.dispose();
    });

    it('delivers live ticket events over graphql-ws, authenticated in connection_init', async () => {
      const rida = createConsoleClient({ url, getToken: () => store.key });
      const received: TicketEventsSubscription['ticketEvents'][] = [];
      const errors: RidaError[] = [];
      const stop = rida.subscribe(TicketEventsDocument, { variables: { filter: { ticketId, types: ['MESSAGE_ADDED'] } }, next: (d) => received.push(d.ticketEvents), error: (e) => errors.push(e) });
      await untilReceived(received, () => rida.request(AddMessageDocument, { input: { ticketId, body: 'ملاحظة للفريق', internal: true } }));
      stop();
      expect(errors).toEqual([]);
      expect(received[0]).toMatchObject({ type: 'MESSAGE_ADDED', ticketId, message: { body: 'ملاحظة للفريق', internal: true, authorType: 'AGENT' }, ticket: { id: ticketId } });

      // The same as an async iterator, and a refused credential as a coded error.
      const events = rida.iterate(TicketEventsDocument, { filter: { ticketId } });
      const next = events.next();
      const sent: unknown[] = [];
      void next.then((r) => sent.push(r));
      await untilReceived(sent, () => rida.request(AddMessageDocument, { input: { ticketId, body: 'ملاحظة ثانية', internal: true } }));
      expect((await next).value?.ticketEvents).toMatchObject({ ticketId, type: 'MESSAGE_ADDED', message: { body: 'ملاحظة ثانية' } });
      await events.return?.();
      await rida.dispose();

      const stranger = createConsoleClient({ url, getToken: () => 'rida_nope_nope' });
      const failure = await new Promise<RidaError>((resolve) => stranger.subscribe(TicketEventsDocument, { next: () => undefined, error: resolve }));
      expect(failure.code).toBe('UNAUTHENTICATED');
      await stranger.dispose();
    });

    // The app has been up for more than a second with no socket open: the server's re-check must still be running.
    it('ends a subscription with UNAUTHENTICATED when the server closes the socket for a revoked key (4401)', async () => {
      const { apiKey, key } = await t.app.get(AuthService).createApiKey(store.id, 'agent', 'console');
      const rida = createConsoleClient({ url, getToken: () => key });
      const received: unknown[] = [];
      let failure: RidaError | undefined;
      rida.subscribe(TicketEventsDocument, { variables: { filter: { ticketId } }, next: (d) => received.push(d), error: (e) => (failure = e) });
      await untilReceived(received, () =>
        t.gqlOk(store.key, `mutation($input: AddMessageInput!) { addMessage(input: $input) { message { id } } }`, { input: { ticketId, body: 'قبل الإلغاء', internal: true } }),
      );
      await t.gqlOk(store.key, `mutation($id: ID!) { revokeApiKey(id: $id) }`, { id: apiKey.id });
      for (const end = Date.now() + 10_000; !failure && Date.now() < end;) await new Promise((r) => setTimeout(r, 50));
      expect(failure).toMatchObject({ code: 'UNAUTHENTICATED', errors: [{ extensions: { closeCode: 4401 } }] });
      await rida.dispose();
    });

    it("serves a customer portal with a customer token: own tickets, replies and the agent's answers live", async () => {
      const integration = createConsoleClient({ url, getToken: () => store.key });
      const customerId = (await integration.request(TicketDocument, { id: ticketId })).ticket.customer.id;
      const { createCustomerToken } = await integration.request(CreateCustomerTokenDocument, { customerId });
      const portal = createConsoleClient({ url, getToken: () => createCustomerToken.token });

      const mine = await portal.request(PortalTicketsDocument);
      expect(mine.portalTickets.edges.map((e) => e.node.id)).toEqual([ticketId]);
      expect(mine.portalTickets.edges[0].node.messages.every((m) => !('internal' in m))).toBe(true);
      const asked = await portal.request(PortalCreateTicketDocument, { input: { subject: 'سؤال', body: 'هل يوجد خصم؟' } });
      expect(asked.portalCreateTicket).toMatchObject({ subject: 'سؤال', channel: 'WEB_FORM', messages: [{ body: 'هل يوجد خصم؟', authorType: 'CUSTOMER' }] });

      const answers: string[] = [];
      const stop = portal.subscribe(TicketMessagesDocument, { variables: { ticketId: asked.portalCreateTicket.id }, next: (d) => answers.push(d.ticketMessages.body) });
      await untilReceived(answers, () => integration.request(AddMessageDocument, { input: { ticketId: asked.portalCreateTicket.id, body: 'نعم، خصم 10٪ هذا الأسبوع' } }));
      stop();
      expect(answers[0]).toBe('نعم، خصم 10٪ هذا الأسبوع');
      const replied = await portal.request(PortalReplyDocument, { input: { ticketId: asked.portalCreateTicket.id, body: 'شكراً لكم' } });
      expect(replied.portalReply.messages.map((m) => m.authorType)).toEqual(expect.arrayContaining(['CUSTOMER', 'AGENT']));

      expect((await failureOf(portal.request(TicketsDocument))).code).toBe('FORBIDDEN');
      await Promise.all([portal.dispose(), integration.dispose()]);
    });

    it('types variables and results from the operations', () => {
      const rida = createConsoleClient({ url, getToken: () => store.key });
      // Type checks only (tsc runs over this file in npm test); nothing is sent.
      const unsent = () => {
        // @ts-expect-error the ticket id is required
        void rida.request(TicketDocument);
        // @ts-expect-error not a TicketStatus
        void rida.request(UpdateTicketDocument, { id: ticketId, input: { status: 'DONE' } });
        void rida.request(MeDocument).then((d) => {
          // @ts-expect-error the operation does not select it
          void d.me.password;
        });
      };
      expect(typeof unsent).toBe('function');
    });
  });

  describe('Apollo Client (HttpLink + GraphQLWsLink)', () => {
    it('queries, mutates, reports a coded error and receives a live event', async () => {
      const apollo = createApolloClient({ url, getToken: () => store.key, webSocketImpl: WebSocket });
      const list = await apollo.query({ query: TicketsDocument, variables: { first: 5 } });
      expect(list.data?.tickets.totalCount).toBeGreaterThan(0);
      const created = await apollo.mutate({ mutation: CreateTicketDocument, variables: { input: ticketInput(10) } });
      expect(created.data?.createTicket.status).toBe('NEW');

      const failure = await apollo.query({ query: TicketDocument, variables: { id: '00000000-0000-4000-8000-000000000000' } }).catch((e: unknown) => e);
      expect(CombinedGraphQLErrors.is(failure) && failure.errors[0].extensions?.code).toBe('NOT_FOUND');

      const received: unknown[] = [];
      const subscription = apollo.subscribe({ query: TicketEventsDocument, variables: { filter: { ticketId } } }).subscribe({ next: (r) => r.data && received.push(r.data.ticketEvents) });
      await untilReceived(received, () => apollo.mutate({ mutation: AddMessageDocument, variables: { input: { ticketId, body: 'من Apollo', internal: true } } }));
      subscription.unsubscribe();
      expect(received[0]).toMatchObject({ type: 'MESSAGE_ADDED', ticketId, message: { body: 'من Apollo' } });
      apollo.stop();
    });
  });

  describe('urql', () => {
    it('queries, mutates, reports a coded error and receives a live event, all over POST', async () => {
      const urql = createUrqlClient({ url, getToken: () => store.key, webSocketImpl: WebSocket });
      const list = await urql.query(TicketsDocument, { first: 5 }).toPromise();
      expect(list.error).toBeUndefined();
      expect(list.data?.tickets.totalCount).toBeGreaterThan(0);
      const created = await urql.mutation(CreateTicketDocument, { input: ticketInput(20) }).toPromise();
      expect(created.data?.createTicket.status).toBe('NEW');

      const failure = await urql.query(TicketDocument, { id: '00000000-0000-4000-8000-000000000000' }).toPromise();
      expect(failure.error?.graphQLErrors[0].extensions.code).toBe('NOT_FOUND');

      const received: unknown[] = [];
      const { unsubscribe } = urql.subscription(TicketEventsDocument, { filter: { ticketId } }).subscribe((r) => r.data && received.push(r.data.ticketEvents));
      await untilReceived(received, () => urql.mutation(AddMessageDocument, { input: { ticketId, body: 'من urql', internal: true } }).toPromise());
      unsubscribe();
      expect(received[0]).toMatchObject({ type: 'MESSAGE_ADDED', ticketId, message: { body: 'من urql' } });
    });

    it("urql's default GET for queries is refused by CSRF prevention; GET with apollo-require-preflight is accepted", async () => {
      const headers = { authorization: `Bearer ${store.key}` };
      const byDefault = new Client({ url, exchanges: [cacheExchange, fetchExchange], fetchOptions: { headers } });
      const refused = await byDefault.query(TicketsDocument, { first: 1 }).toPromise();
      expect(refused.data).toBeUndefined();
      expect(refused.error?.response?.status).toBe(400);
      expect(refused.error?.message).toMatch(/Cross-Site Request Forgery/);

      const withPreflight = new Client({ url, exchanges: [cacheExchange, fetchExchange], fetchOptions: { headers: { ...headers, 'apollo-require-preflight': 'true' } } });
      const accepted = await withPreflight.query(TicketsDocument, { first: 1 }).toPromise();
      expect(accepted.error).toBeUndefined();
      expect(accepted.data?.tickets.totalCount).toBeGreaterThan(0);
    });
  });

  describe('graphql-request', () => {
    it('queries, mutates and reports a coded error', async () => {
      const client = createGraphQLRequestClient({ url, getToken: () => store.key });
      const list = await client.request(TicketsDocument, { first: 5 });
      expect(list.tickets.totalCount).toBeGreaterThan(0);
      const created = await client.request(CreateTicketDocument, { input: ticketInput(30) });
      expect(created.createTicket.status).toBe('NEW');
      const failure = await client.request(TicketDocument, { id: '00000000-0000-4000-8000-000000000000' }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ClientError);
      expect((failure as ClientError).response.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });
});
