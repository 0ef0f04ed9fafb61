import { GraphQLSchemaHost } from '@nestjs/graphql';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kind, LoneAnonymousOperationRule, OperationDefinitionNode, parse, print, specifiedRules, validate, visit } from 'graphql';
import { EmailIngestService } from '../../src/channels/email/email-ingest.service';
import { FakeGraphApi } from '../fakes/meta-graph-api';
import { LiveSubscription, listenForSockets, subscribe, until } from './helpers/live';
import { TestImapServer, TestSmtpServer } from './helpers/mail-servers';
import { eventuallyPasses, TestApp, TestTenant } from './helpers/test-app';
import { WebhookReceiver } from './helpers/webhook-receiver';

const README = readFileSync(join(__dirname, '../../README.md'), 'utf8');

/** The README's fenced blocks of one language, with the line each starts on. */
function blocks(language: string): Array<{ line: number; code: string }> {
  const found: Array<{ line: number; code: string }> = [];
  const fence = new RegExp('^```' + language + '\\n([\\s\\S]*?)^```$', 'gm');
  for (const match of README.matchAll(fence)) found.push({ line: README.slice(0, match.index).split('\n').length, code: match[1] });
  return found;
}

const bash = (script: string, env: Record<string, string>) => promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], { env: { PATH: process.env.PATH, ...env }, cwd: tmpdir() });

/** Runs "Your first hour" as written against `base`, for `store`; returns what it printed. */
async function firstHour(base: string, store: TestTenant, then = ''): Promise<string> {
  const section = /<!-- first-hour:start -->\n```sh\n([\s\S]*?)```\n<!-- first-hour:end -->/.exec(README);
  expect(section).not.toBeNull();
  return (await bash(section![1] + then, { API: base, KEY: store.key, SLUG: store.slug })).stdout;
}

/** A curl example as a reader runs it against `base`, their key in the environment; it fails on an HTTP error status, showing the answer. */
const curlExample = (code: string, base: string, env: Record<string, string>) =>
  bash(
    `curl() { command curl -sS --fail-with-body "$@"; }\n` +
      code
        .replace(/^KEY=rida_….*$/m, '') // the reader's key: given in the environment
        .replace(/http:\/\/127\.0\.0\.1:3000|(?<![\w/])localhost:3000/g, base),
    env,
  );

/**
 * The README's examples cannot drift from the code: the "first hour" walk-through, every curl
 * example and every GraphQL operation run as written, in README order, on a fresh store, and must
 * succeed. The values the README leaves to the reader (`<ticket id>`, `<store-slug>` …) are filled
 * in from what earlier examples answered.
 */
describe('the README examples', () => {
  describe('"Your first hour" and the curl examples', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await TestApp.start();
      await t.app.listen(0, '127.0.0.1');
    });
    afterAll(() => t.close());

    it('"Your first hour", then every curl example, run as written and in order on one fresh store', async () => {
      const store = await t.createTenant('متجر الورد');
      expect(store.slug).toBe('mtjr-al-wrd'); // what tenant:create prints for the README's store
      const { port } = t.app.getHttpServer().address() as { port: number };
      const base = `http://127.0.0.1:${port}`;

      const stdout = await firstHour(base, store);
      expect(stdout).toContain('"assignee": {\n      "name": "ريم الشمري"');
      expect(stdout).toContain('"category": "SHIPPING"');
      expect(stdout).toContain('"status": "SOLVED"');
      expect(stdout.replace(/^\uFEFF/m, '')).toMatch(/^key,created,solved,/m);
      expect(stdout).toMatch(/^,1,1,/m); // one ticket created and solved in the last 30 days

      // What the other examples stand for: the reader's keys, the survey of the solved ticket, a
      // published article, a public chat channel for the example's storefront.
      const solved = (await t.gqlOk(store.key, `{ tickets(first: 1, filter: { status: [SOLVED] }) { edges { node { csatSurvey { answerToken } } } } }`)).tickets.edges[0].node;
      await t.gqlOk(store.key, `mutation { createArticle(input: { title: "أين طلبي؟", slug: "wayn-talabi", body: "تتبع شحنتك من صفحة الطلب: وين طلبي؟", status: PUBLISHED }) { id } }`);
      const channel = (await t.gqlOk(store.key, `mutation { createChatChannel(input: { name: "متجر الورد", allowedOrigins: ["https://rose.example.sa"] }) { channel { id } } }`)).createChatChannel
        .channel.id;
      const env = { KEY: store.key, REPORTING_KEY: await t.createKey(store.id, 'reporting'), TOKEN: solved.csatSurvey.answerToken };
      const examples = blocks('(?:sh|bash)').filter(({ code }) => /\bcurl /.test(code) && !code.includes('first-hour') && !code.includes('KEY=${KEY:?'));
      const ran: number[] = [];
      for (const { line, code } of examples) {
        if (/https:\/\/api\.zid\.sa/.test(code)) continue; // a call to Zid's own API, not to this server
        const script = code.replaceAll('<store-slug>', store.slug).replaceAll('<article-slug>', 'wayn-talabi').replaceAll('<public channel id>', channel);
        // Every request must succeed: curl fails on an HTTP error status, showing the answer.
        const failed = await curlExample(script, base, env).then(
          () => '',
          (error: { stderr: string; stdout: string }) => `${error.stderr} ${error.stdout}`,
        );
        expect({ line, failed }).toEqual({ line, failed: '' });
        ran.push(line);
      }
      expect(ran.length).toBeGreaterThanOrEqual(8);
    });

    it('every GraphQL operation in the README is valid against the served schema', () => {
      const schema = t.app.get(GraphQLSchemaHost).schema;
      const graphqlBlocks = blocks('graphql');
      expect(graphqlBlocks.length).toBeGreaterThan(20);
      // A block may show several anonymous operations side by side; each is checked on its own terms.
      const rules = specifiedRules.filter((rule) => rule !== LoneAnonymousOperationRule);
      const problems = graphqlBlocks.flatMap(({ line, code }) => {
        try {
          return validate(schema, parse(code), rules).map((error) => `README.md:${line + (error.locations?.[0]?.line ?? 0)}: ${error.message}`);
        } catch (error) {
          return [`README.md:${line}: ${(error as Error).message}`];
        }
      });
      expect(problems).toEqual([]);
    });
  });

  describe('the GraphQL examples', () => {
    /** Who sends an operation: the README says so around each example. */
    type Caller = 'admin' | 'agent' | 'integration' | 'reporting' | 'customer' | 'anyone';

    /** Operations not sent with the admin key, by their field. */
    const CALLERS: Record<string, Caller> = {
      login: 'anyone',
      refreshToken: 'anyone',
      logout: 'anyone',
      resetPassword: 'anyone',
      changePassword: 'agent', // a signed-in agent, on their own account
      createCustomerToken: 'integration', // "an integration key mints a token for one customer"
      portalTickets: 'customer',
      portalReply: 'customer',
      portalCreateTicket: 'customer',
      kpis: 'reporting',
      compensationTotals: 'reporting',
      faqDeflection: 'reporting',
      // Live chat: the customer chats and watches the conversation; the agent on the other side types and reads.
      startChat: 'customer',
      sendChatMessage: 'customer',
      chatActivity: 'customer',
      chatReadMarks: 'customer',
      chatTyping: 'agent',
      markChatRead: 'agent',
      applyMacro: 'agent', // the reply goes out as the caller: the agent on the ticket
    };
    const callerOf = (field: string, source: string): Caller => (field === 'ticketMessages' && source.includes('<chat ticket id>') ? 'customer' : (CALLERS[field] ?? 'admin'));

    /** Placeholders an example's answer fills in for the examples after it: field → placeholder → path in the answer. */
    const ANSWERS: Record<string, Record<string, string>> = {
      login: { '<refresh token>': 'refreshToken' },
      refreshToken: { '<refresh token>': 'refreshToken' },
      createPasswordReset: { '<reset token>': 'token' },
      createCustomerToken: { '<customer token>': 'token' },
      createTeam: { '<accounts team id>': 'id' },
      createWebhookEndpoint: { '<endpoint id>': 'endpoint.id' },
      webhookDeliveries: { '<delivery id>': 'edges.0.node.id' },
      connectStorePlatform: { '<connection id>': 'connection.id' },
      startChat: { '<chat ticket id>': 'ticket.id' },
      createChatChannel: { '<public channel id>': 'channel.id' },
      connectWhatsApp: { '<WhatsApp channel id>': 'id' },
      cannedReplies: { '<canned reply id>': '0.id' },
      createCannedReply: { '<canned reply id>': 'id' },
    };
    /** …and the live conversation of the chat gives the id of its latest message. */
    const LIVE_ANSWERS: Array<{ subscription: string; sets: Record<string, string> }> = [{ subscription: 'ticketMessages(ticketId: "<chat ticket id>")', sets: { '<message id>': 'id' } }];

    /**
     * Third parties, played by local stand-ins: the README's addresses are replaced by theirs (each
     * replacement must find its text, so a changed example shows up here).
     */
    const standIns = (): Array<[string, string]> => [
      ['imapHost: "imap.example.sa"', `imapHost: "127.0.0.1", imapPort: ${imap.port}, imapSecurity: NONE`], // Dovecot
      ['smtpHost: "smtp.example.sa"', `smtpHost: "127.0.0.1", smtpPort: ${smtp.port}, smtpSecurity: NONE`], // an SMTP listener
      ['"https://erp.example.sa/hooks/rida"', JSON.stringify(erp.url)], // the integrator's receiver
    ];

    let t: TestApp;
    let graph: FakeGraphApi;
    let imap: TestImapServer;
    let smtp: TestSmtpServer;
    let erp: WebhookReceiver;
    let socketUrl: string;

    beforeAll(async () => {
      graph = await FakeGraphApi.start(); // Meta's Graph API (WhatsApp)
      imap = await TestImapServer.start({ user: 'support@alward.sa' });
      smtp = await TestSmtpServer.start();
      erp = await WebhookReceiver.start();
      // Failing webhook deliveries give up after a second here (three days in production).
      t = await TestApp.start({ WHATSAPP_API_BASE_URL: graph.baseUrl, WEBHOOK_RETRY_BASE_MS: '100', WEBHOOK_RETRY_FOR_SECONDS: '1' });
      socketUrl = await listenForSockets(t);
    }, 60_000);
    afterAll(async () => {
      await t?.close();
      await graph?.stop();
      await smtp?.stop();
      await erp?.stop();
      imap?.stop();
    });

    it('every GraphQL operation runs as written, in README order, on one fresh store, and succeeds', async () => {
      // Preparation: the reader's store after "Your first hour" (its team and agent) and the ticket of
      // "Create a ticket" (its customer, order and WhatsApp number), the agent signed in, the
      // reader's other keys, and the secrets the platforms would give.
      const store = await t.createTenant('متجر الورد');
      expect(store.slug).toBe('mtjr-al-wrd'); // the store the sign-in example names
      const base = socketUrl.replace(/^ws/, 'http').replace(/\/graphql$/, '');
      const [team, agent] = (await firstHour(base, store, `printf '%s\\n' "$TEAM" "$AGENT"\n`)).trim().split('\n').slice(-2);
      const [createTicket] = blocks('sh').filter(({ code }) => code.includes('createTicket(input: $input)'));
      const created = JSON.parse((await curlExample(createTicket.code, base, { KEY: store.key })).stdout).data.createTicket;
      const signedIn = await t.gqlOk('', `mutation { login(input: { tenant: "mtjr-al-wrd", email: "reem@alward.sa", password: "ورد-الرياض-2026" }) { accessToken } }`);
      const whatsAppToken = 'EAAG-readme-access-token';
      graph.tokens.add(whatsAppToken);
      graph.templates = [{ name: 'order_followup', language: 'ar', status: 'APPROVED', category: 'UTILITY', components: [{ type: 'BODY', text: 'مرحباً {{1}}، هل وصلك طلبك رقم {{2}}؟' }] }];
      const values: Record<string, string> = {
        '<ticket id>': created.id,
        '<customer id>': created.customer.id,
        '<agent id>': agent,
        '<team id>': team,
        '<IMAP password>': imap.password,
        '<SMTP password>': 'smtp-password-1',
        '<webhook secret>': 'salla-webhook-secret-1',
        '<API token>': 'salla-access-token-1',
        '<access token>': whatsAppToken,
        '<app secret>': 'whatsapp-app-secret-1',
      };
      const keys: Record<Exclude<Caller, 'customer'>, string> = {
        admin: store.key,
        agent: signedIn.login.accessToken,
        integration: await t.createKey(store.id, 'integration'),
        reporting: await t.createKey(store.id, 'reporting'),
        anyone: '',
      };
      const credential = (caller: Caller) => (caller === 'customer' ? values['<customer token>'] : keys[caller]);

      /** Steps of the test around some examples: what the README leaves to the world outside. */
      const before: Record<string, () => Promise<void>> = {
        // The ERP is down while a customer writes: the delivery fails until it gives up, and the endpoint is disabled.
        webhookDeliveries: async () => {
          erp.respond = () => 503;
          await t.gqlOk(
            store.key,
            `mutation { createTicket(input: { subject: "وين طلبي؟", body: "وين طلبي رقم 4533؟", channel: WHATSAPP, customer: { whatsapp: "966551112233", name: "ريم" } }) { id } }`,
          );
          await eventuallyPasses(async () => expect((await t.gqlOk(store.key, `{ webhookEndpoints { enabled } }`)).webhookEndpoints).toEqual([{ enabled: false }]));
          erp.respond = () => 200; // and back up again
        },
      };
      const after: Record<string, (answer: any) => Promise<void>> = {
        // The mailbox signs in to the mail server and reads its inbox.
        createMailbox: async (answer) => {
          await t.app.get(EmailIngestService).poll(answer.id);
          expect((await t.gqlOk(store.key, `{ mailboxes { lastError } }`)).mailboxes).toEqual([{ lastError: null }]);
        },
        // Re-enabled, the endpoint sends the replay and what waited.
        updateWebhookEndpoint: () => eventuallyPasses(() => expect(erp.accepted.length).toBeGreaterThan(0)),
      };

      const replaced = new Set<string>();
      const subscriptions: Array<{ at: string; live: LiveSubscription<any> }> = [];
      const liveAnswers: Array<{ live: LiveSubscription<any>; sets: Record<string, string> }> = [];
      /** Fills in the placeholders live events answer, from the latest event of each. */
      const hearLiveAnswers = () => {
        for (const { live, sets } of liveAnswers) {
          if (live.received.length) for (const [name, path] of Object.entries(sets)) values[name] = pathOf(live.received.at(-1), path);
        }
      };
      const ran: string[] = [];
      const graphqlBlocks = blocks('graphql');
      expect(graphqlBlocks.length).toBeGreaterThan(20);
      for (const block of graphqlBlocks) {
        let code = block.code;
        for (const [text, standIn] of standIns()) {
          if (!code.includes(text)) continue;
          code = code.replace(text, standIn);
          replaced.add(text);
        }
        for (const operation of parse(code).definitions as OperationDefinitionNode[]) {
          const fields = operation.selectionSet.selections.map((selection) => (selection.kind === Kind.FIELD ? selection.name.value : '?'));
          const field = fields.join(',');
          const at = `README.md:${block.line + operation.loc!.startToken.line} (${field})`;
          const source = print(operation);

          // Every "<…>" string is a placeholder an earlier step filled in (a live one may still be on its way).
          const wanted = [...source.matchAll(/"(<[^"<>]+>)"/g)].map((match) => match[1]);
          await until(() => {
            hearLiveAnswers();
            return wanted.every((name) => name in values);
          });
          expect({ at, missing: wanted.filter((name) => !(name in values)) }).toEqual({ at, missing: [] });
          const filled = print(visit(operation, { StringValue: (node) => (node.value in values && /^<.+>$/.test(node.value) ? { ...node, value: values[node.value] } : undefined) }));
          const caller = callerOf(field, source);

          await before[field]?.();
          if (operation.operation === 'subscription') {
            const live = subscribe(socketUrl, credential(caller), filled);
            await live.ready;
            expect({ at, errors: live.errors, closed: live.closed }).toEqual({ at, errors: [], closed: undefined });
            subscriptions.push({ at, live });
            for (const { subscription, sets } of LIVE_ANSWERS) if (source.includes(subscription)) liveAnswers.push({ live, sets });
          } else {
            const answer = await t.gql(credential(caller) || undefined, filled);
            expect({ at, errors: answer.errors }).toEqual({ at, errors: undefined });
            expect({ at, nothing: fields.filter((name) => answer.data?.[name] == null) }).toEqual({ at, nothing: [] });
            for (const [name, path] of Object.entries(ANSWERS[field] ?? {})) {
              values[name] = pathOf(answer.data[field], path);
              expect({ at, [name]: values[name] }).toEqual({ at, [name]: expect.any(String) });
            }
            await after[field]?.(answer.data[field]);
          }
          ran.push(at);
        }
      }

      // Each subscription heard something a later example did (a message, a new ticket, typing).
      for (const { at, live } of subscriptions) {
        await until(() => live.received.length > 0);
        expect({ at, errors: live.errors, heard: live.received.length > 0 }).toEqual({ at, errors: [], heard: true });
        await live.client.dispose();
      }
      expect([...replaced].sort()).toEqual(
        standIns()
          .map(([text]) => text)
          .sort(),
      );
      expect(ran.length).toBeGreaterThanOrEqual(75);
    }, 120_000);
  });
});

/** The value at a dotted path ("edges.0.node.id") of an answer. */
function pathOf(value: any, path: string): string {
  return path.split('.').reduce((at, key) => at?.[key], value);
}
