import { connect } from 'node:net';
import { DataSource } from 'typeorm';
import { metaSignature } from '../../src/channels/messaging/platform-signatures';
import { FakeGraphApi } from '../fakes/meta-graph-api';
import { waContact, waText, waWebhook, wamid } from '../fakes/whatsapp-payloads';
import { CREATE_TICKET, eventuallyPasses, openAllWeek, TestApp, TestTenant } from './helpers/test-app';

const CREATE = `mutation($input: ArticleInput!) { createArticle(input: $input) { id slug title summary status locale tags publishedAt } }`;
const UPDATE = `mutation($id: ID!, $input: ArticleInput!) { updateArticle(id: $id, input: $input) { id slug status publishedAt summary } }`;
const SEARCH = `query($q: String!, $filter: ArticleFilter) { searchArticles(query: $q, filter: $filter) { confidence highlight article { slug status } } }`;
const SUGGEST = `query($text: String, $ticketId: ID) { suggestArticles(text: $text, ticketId: $ticketId) { confidence article { slug } } }`;
const SETTINGS = `mutation($input: KnowledgeBaseSettingsInput!) { updateKnowledgeBaseSettings(input: $input) { autoAnswerChannels autoAnswerMinConfidence helpCentreUrl } }`;
const TICKET = `query($id: ID!) { ticket(id: $id) { id status tags firstResponseAt messages { body authorType authorName deliveryStatus } events { type data } } }`;
const DEFLECTION = `query($filter: FaqDeflectionFilter!) { faqDeflection(filter: $filter) { answered helped notHelped handedOver pending deflectionRate } }`;

const APP_SECRET = 'kb-whatsapp-app-secret';
const TOKEN = 'EAAG-kb-access-token';

// A small help centre as Saudi stores write it (dialect words customers use go in the tags).
const ARTICLES = [
  {
    title: 'أين طلبي؟ تتبّع الشحنة',
    body: '## تتبع الطلب\n\nيمكنك تتبّع شحنتك من صفحة **طلباتي** برقم التتبع المرسل إليك في رسالة نصية. تصل الطلبات داخل المدن الرئيسية خلال ٣ إلى ٥ أيام عمل.',
    tags: ['تتبع', 'شحن', 'توصيل'],
    category: 'SHIPPING',
    status: 'PUBLISHED',
  },
  {
    title: 'سياسة الإرجاع والاستبدال',
    body: 'يمكنك إرجاع المنتج أو استبداله خلال ١٤ يومًا من الاستلام بحالته الأصلية مع الفاتورة، ويُعاد المبلغ إلى وسيلة الدفع خلال ٥ إلى ١٠ أيام عمل.',
    tags: ['ارجاع', 'ارجع', 'استرجاع', 'استبدال'],
    category: 'RETURNS',
    status: 'PUBLISHED',
  },
  {
    title: 'طرق الدفع المتاحة',
    summary: 'مدى، فيزا، ماستركارد، أبل باي، تابي وتمارا، والدفع عند الاستلام.',
    body: 'نقبل الدفع بمدى وفيزا وماستركارد وأبل باي، والتقسيط عبر تابي وتمارا بدون فوائد، والدفع عند الاستلام بزيادة ١٥ ريالًا.',
    tags: ['دفع', 'تقسيط'],
    category: 'PAYMENT',
    status: 'PUBLISHED',
  },
  { title: 'Where is my order?', body: 'Track your parcel from **My Orders** with the tracking number we sent by SMS.', locale: 'EN', tags: ['tracking'], status: 'PUBLISHED' },
  { title: 'عروض الجمعة البيضاء (مسودة)', body: 'خصومات تصل إلى ٧٠٪ على الإلكترونيات.', tags: ['عروض'] },
];

describe('knowledge base, help centre and FAQ auto-answer', () => {
  let t: TestApp;
  let fake: FakeGraphApi;
  let store: TestTenant;
  let other: TestTenant;
  let db: DataSource;
  let webhookPath: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    fake = await FakeGraphApi.start();
    fake.tokens.add(TOKEN);
    t = await TestApp.start({ WHATSAPP_API_BASE_URL: fake.baseUrl });
    db = t.app.get(DataSource);
    store = await t.createTenant('متجر الأناقة');
    other = await t.createTenant('متجر آخر');
    await openAllWeek(t, store.key);
    for (const input of ARTICLES) {
      const created = (await t.gqlOk(store.key, CREATE, { input })).createArticle;
      ids[created.slug] = created.id;
    }
    webhookPath = (
      await t.gqlOk(store.key, `mutation($input: ConnectWhatsAppInput!) { connectWhatsApp(input: $input) { webhookPath } }`, {
        input: { phoneNumberId: '106540352242999', displayPhoneNumber: '+966 11 234 0000', businessAccountId: '102290129340999', accessToken: TOKEN, appSecret: APP_SECRET, verifyToken: 'kb-verify' },
      })
    ).connectWhatsApp.webhookPath;
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  describe('articles', () => {
    it('makes the slug from the Arabic title, starts as a draft unless published, and derives the summary from the body', async () => {
      expect(Object.keys(ids)).toEqual(['أين-طلبي-تتبع-الشحنة', 'سياسة-الإرجاع-والاستبدال', 'طرق-الدفع-المتاحة', 'where-is-my-order', 'عروض-الجمعة-البيضاء-مسودة']);
      const draft = (await t.gqlOk(store.key, `query($id: ID!) { article(id: $id) { status publishedAt summary } }`, { id: ids['عروض-الجمعة-البيضاء-مسودة'] })).article;
      expect(draft).toEqual({ status: 'DRAFT', publishedAt: null, summary: 'خصومات تصل إلى ٧٠٪ على الإلكترونيات.' });
      const tracking = (await t.gqlOk(store.key, `query($id: ID!) { article(id: $id) { summary } }`, { id: ids['أين-طلبي-تتبع-الشحنة'] })).article;
      expect(tracking.summary).toBe('يمكنك تتبّع شحنتك من صفحة طلباتي برقم التتبع المرسل إليك في رسالة نصية. تصل الطلبات داخل المدن الرئيسية خلال ٣ إلى ٥ أيام عمل.');
    });

    it('refuses bad input with clear codes: missing body, a taken or malformed slug, an unknown article', async () => {
      const missing = await t.gql(store.key, CREATE, { input: { title: 'بدون محتوى' } });
      expect(missing.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const taken = await t.gql(store.key, CREATE, { input: { title: 'نسخة', body: 'نص', slug: 'طرق-الدفع-المتاحة' } });
      expect(taken.errors?.[0].extensions?.code).toBe('CONFLICT');
      const malformed = await t.gql(store.key, CREATE, { input: { title: 'x', body: 'y', slug: 'a b/../c' } });
      expect(malformed.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const unknown = await t.gql(store.key, UPDATE, { id: '00000000-0000-4000-8000-000000000000', input: { status: 'PUBLISHED' } });
      expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      // The same title again gets the next free slug.
      const again = (await t.gqlOk(store.key, CREATE, { input: { title: 'طرق الدفع المتاحة', body: 'نسخة قديمة' } })).createArticle;
      expect(again.slug).toBe('طرق-الدفع-المتاحة-2');
      await t.gqlOk(store.key, `mutation($id: ID!) { deleteArticle(id: $id) }`, { id: again.id });
    });

    it('another store can neither read nor change them', async () => {
      const read = await t.gql(other.key, `query($id: ID!) { article(id: $id) { id } }`, { id: ids['طرق-الدفع-المتاحة'] });
      expect(read.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      const change = await t.gql(other.key, UPDATE, { id: ids['طرق-الدفع-المتاحة'], input: { title: 'مخترق' } });
      expect(change.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect((await t.gqlOk(other.key, `{ articles { id } }`)).articles).toEqual([]);
      expect((await t.gqlOk(other.key, SEARCH, { q: 'الدفع' })).searchArticles).toEqual([]);
    });
  });

  describe('search', () => {
    const top = async (q: string, filter?: unknown) => (await t.gqlOk(store.key, SEARCH, { q, filter })).searchArticles;

    it.each([
      ['وين طلبي', 'أين-طلبي-تتبع-الشحنة'],
      ['تتبع الشحنه', 'أين-طلبي-تتبع-الشحنة'], // ta marbuta as typed
      ['سياسه الاستجاع', 'سياسة-الإرجاع-والاستبدال'], // misspelt, unvowelled
      ['الإِرجَاع', 'سياسة-الإرجاع-والاستبدال'], // with diacritics and hamza
      ['تقسيط تابي', 'طرق-الدفع-المتاحة'],
      ['where is my order', 'where-is-my-order'],
    ])('%s → %s first', async (q, slug) => {
      const [best] = await top(q);
      expect(best.article.slug).toBe(slug);
      expect(best.confidence).toBeGreaterThanOrEqual(0.7);
    });

    it('highlights the matched words, and a status filter leaves drafts out', async () => {
      const [best] = await top('رقم التتبع');
      expect(best.highlight).toContain('<mark>التتبع</mark>');
      expect((await top('عروض الجمعة')).map((m: any) => m.article.status)).toEqual(['DRAFT']);
      expect(await top('عروض الجمعة', { status: 'PUBLISHED' })).toEqual([]);
    });

    it('suggests published articles for a ticket from its subject and latest customer message', async () => {
      const ticket = (await t.gqlOk(store.key, CREATE_TICKET, { input: { subject: 'استفسار', body: 'أبي أرجع الفستان، المقاس ما ضبط', channel: 'EMAIL', customer: { email: 'reem@example.sa' } } }))
        .createTicket;
      const suggested = (await t.gqlOk(store.key, SUGGEST, { ticketId: ticket.id })).suggestArticles;
      expect(suggested[0].article.slug).toBe('سياسة-الإرجاع-والاستبدال');
      const both = await t.gql(store.key, SUGGEST, { ticketId: ticket.id, text: 'x' });
      expect(both.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('public help centre', () => {
    const base = () => `/api/v1/help-centre/${encodeURIComponent(store.slug)}`;

    it('takes an Arabic question percent-encoded; raw bytes in the request line get a coded error naming the fix', async () => {
      await t.app.listen(0, '127.0.0.1');
      const { port } = t.app.getHttpServer().address() as { port: number };
      /** What curl sends for a URL typed with Arabic in it: the UTF-8 bytes, unencoded. */
      const rawGet = (target: string) =>
        new Promise<{ status: number; body: any }>((resolve, reject) => {
          const socket = connect(port, '127.0.0.1', () => socket.write(Buffer.from(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, 'utf8')));
          let answer = '';
          socket.on('data', (chunk) => (answer += chunk));
          socket.on('error', reject);
          socket.on('end', () => resolve({ status: Number(answer.split(' ')[1]), body: JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) }));
        });
      const encoded = await rawGet(`${base()}/articles?q=${encodeURIComponent('كيف ارجع المنتج')}&locale=ar`);
      expect(encoded.status).toBe(200);
      expect(encoded.body.articles[0]).toMatchObject({ slug: 'سياسة-الإرجاع-والاستبدال' });
      const raw = await rawGet(`${base()}/articles?q=وين%20طلبي&locale=ar`);
      expect(raw).toMatchObject({ status: 400, body: { error: { code: 'BAD_USER_INPUT', message: expect.stringContaining('--data-urlencode') } } });
      const undecodable = await rawGet(`${base()}/articles/%D9%8`);
      expect(undecodable).toMatchObject({ status: 400, body: { error: { code: 'BAD_USER_INPUT' } } });
    });

    it('lists published articles only, without login, with cache headers; finds by question', async () => {
      const list = await t.http.get(`${base()}/articles`);
      expect(list.status).toBe(200);
      expect(list.headers['cache-control']).toBe('public, max-age=60');
      const slugs = list.body.articles.map((a: any) => a.slug);
      expect(slugs).toHaveLength(4);
      expect(slugs).not.toContain('عروض-الجمعة-البيضاء-مسودة');
      const found = await t.http.get(`${base()}/articles`).query({ q: 'كيف ارجع المنتج', locale: 'ar' });
      expect(found.body.articles[0]).toMatchObject({ slug: 'سياسة-الإرجاع-والاستبدال' });
      expect(found.body.articles[0].confidence).toBeGreaterThan(0.7);
      const bad = await t.http.get(`${base()}/articles`).query({ locale: 'fr' });
      expect(bad.status).toBe(400);
    });

    it('serves an article with an ETag, counts views, answers 304 when unchanged, and counts votes', async () => {
      const path = `${base()}/articles/${encodeURIComponent('طرق-الدفع-المتاحة')}`;
      const first = await t.http.get(path);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ title: 'طرق الدفع المتاحة', summary: 'مدى، فيزا، ماستركارد، أبل باي، تابي وتمارا، والدفع عند الاستلام.', helpfulCount: 0 });
      expect(first.body.body).toContain('تابي وتمارا');
      expect(first.headers['cache-control']).toMatch(/^public, max-age=300/);
      const etag = first.headers.etag;
      expect((await t.http.get(path).set('if-none-match', etag)).status).toBe(304);
      await t.http.get(path);
      const vote = await t.http.post(`${path}/votes`).send({ helpful: true });
      expect(vote.status).toBe(200);
      expect(vote.body).toEqual({ helpfulCount: 1, notHelpfulCount: 0 });
      expect((await t.http.post(`${path}/votes`).send({ helpful: 'maybe' })).status).toBe(400);
      const counted = (await t.gqlOk(store.key, `query($id: ID!) { article(id: $id) { viewCount helpfulCount } }`, { id: ids['طرق-الدفع-المتاحة'] })).article;
      expect(counted).toEqual({ viewCount: 2, helpfulCount: 1 });
    });

    it('answers 404 for a draft, an unknown article, an unknown store, and another store’s article', async () => {
      expect((await t.http.get(`${base()}/articles/${encodeURIComponent('عروض-الجمعة-البيضاء-مسودة')}`)).status).toBe(404);
      expect((await t.http.get(`${base()}/articles/nothing-here`)).status).toBe(404);
      expect((await t.http.get(`/api/v1/help-centre/no-such-store/articles`)).status).toBe(404);
      expect((await t.http.get(`/api/v1/help-centre/${encodeURIComponent(other.slug)}/articles/${encodeURIComponent('طرق-الدفع-المتاحة')}`)).status).toBe(404);
    });
  });

  describe('FAQ auto-answer on WhatsApp', () => {
    const post = (payload: unknown) => {
      const raw = JSON.stringify(payload);
      return t.http.post(webhookPath).set('content-type', 'application/json').set('x-hub-signature-256', metaSignature(raw, APP_SECRET)).send(raw);
    };
    const say = async (waId: string, name: string, text: string) => {
      const id = wamid();
      expect((await post(waWebhook({ phoneNumberId: '106540352242999' }, { contacts: [waContact(waId, name)], messages: [waText(waId, text, { id })] }))).status).toBe(200);
      const [row] = await db.query(`SELECT ticket_id FROM messages WHERE external_id = $1`, [id]);
      return row.ticket_id as string;
    };
    const ticket = async (id: string) => (await t.gqlOk(store.key, TICKET, { id })).ticket;
    const period = () => ({ from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() });

    it('is off until the store turns it on for a channel; only chat and WhatsApp can be chosen', async () => {
      const ticketId = await say('966501110001', 'سلمان', 'وين طلبي؟');
      await new Promise((r) => setTimeout(r, 1500));
      expect((await ticket(ticketId)).messages.map((m: any) => m.authorType)).toEqual(['CUSTOMER']);
      const email = await t.gql(store.key, SETTINGS, { input: { autoAnswerChannels: ['EMAIL'] } });
      expect(email.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const low = await t.gql(store.key, SETTINGS, { input: { autoAnswerMinConfidence: 0.1 } });
      expect(low.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const on = (await t.gqlOk(store.key, SETTINGS, { input: { autoAnswerChannels: ['WHATSAPP'], helpCentreUrl: 'https://help.anaqa.sa/articles/' } })).updateKnowledgeBaseSettings;
      expect(on).toEqual({ autoAnswerChannels: ['WHATSAPP'], autoAnswerMinConfidence: 0.75, helpCentreUrl: 'https://help.anaqa.sa/articles' });
    });

    it('answers a matching first message with the summary, link and "did this help?" through the Cloud API; "نعم" solves it as self-served', async () => {
      const ticketId = await say('966501110002', 'هند', 'السلام عليكم، وين طلبي؟');
      let answer: any;
      await eventuallyPasses(async () => {
        answer = (await ticket(ticketId)).messages.find((m: any) => m.authorType === 'BOT');
        expect(answer).toBeDefined();
      });
      expect(answer.authorName).toBe('المساعد الآلي');
      expect(answer.body).toContain('أين طلبي؟ تتبّع الشحنة');
      expect(answer.body).toContain(`https://help.anaqa.sa/articles/${encodeURIComponent('أين-طلبي-تتبع-الشحنة')}`);
      expect(answer.body).toContain('هل أفادتك هذه الإجابة؟');
      await eventuallyPasses(() => expect(fake.sent((r) => r.body?.to === '966501110002' && r.body?.text?.body === answer.body)).toHaveLength(1));
      // The bot is not a first response: the SLA clock keeps running for the agents.
      const answered = await ticket(ticketId);
      expect(answered.firstResponseAt).toBeNull();
      expect(answered.status).toBe('NEW');
      expect(answered.events.find((e: any) => e.type === 'FAQ_ANSWERED').data).toMatchObject({ slug: 'أين-طلبي-تتبع-الشحنة' });

      await say('966501110002', 'هند', 'نعم شكراً 🌹');
      await eventuallyPasses(async () => expect((await ticket(ticketId)).status).toBe('SOLVED'));
      const solved = await ticket(ticketId);
      expect(solved.tags).toContain('self-served');
      expect(solved.messages.map((m: any) => m.authorType)).toEqual(['CUSTOMER', 'BOT', 'CUSTOMER', 'BOT']);
      expect(solved.events.find((e: any) => e.type === 'FAQ_FEEDBACK').data).toMatchObject({ outcome: 'HELPED' });
      const article = (await t.gqlOk(store.key, `query($id: ID!) { article(id: $id) { helpfulCount } }`, { id: ids['أين-طلبي-تتبع-الشحنة'] })).article;
      expect(article.helpfulCount).toBe(1);
    });

    it('"لا" hands the ticket to the agents with the expected reply time; another question hands it over silently', async () => {
      const no = await say('966501110003', 'فهد', 'ابي ارجع المنتج');
      await eventuallyPasses(async () => expect((await ticket(no)).messages.map((m: any) => m.authorType)).toEqual(['CUSTOMER', 'BOT']));
      await say('966501110003', 'فهد', 'لا، ما أفادني');
      await eventuallyPasses(async () => expect((await ticket(no)).messages.map((m: any) => m.authorType)).toEqual(['CUSTOMER', 'BOT', 'CUSTOMER', 'BOT']));
      const handed = await ticket(no);
      expect(handed.messages[3].body).toMatch(/^شكرًا لك، حوّلنا محادثتك إلى أحد موظفينا وسيرد عليك قبل /);
      expect(handed.status).not.toBe('SOLVED');

      const other = await say('966501110004', 'عبدالله', 'ابي استبدال المنتج');
      await eventuallyPasses(async () => expect((await ticket(other)).messages).toHaveLength(2));
      await say('966501110004', 'عبدالله', 'طيب والمقاس الأكبر متوفر؟');
      await eventuallyPasses(async () => expect((await ticket(other)).events.map((e: any) => e.type)).toContain('FAQ_FEEDBACK'));
      await new Promise((r) => setTimeout(r, 1000));
      expect((await ticket(other)).messages).toHaveLength(3);

      const stats = (await t.gqlOk(store.key, DEFLECTION, { filter: period() })).faqDeflection;
      expect(stats).toEqual({ answered: 3, helped: 1, notHelped: 1, handedOver: 1, pending: 0, deflectionRate: 0.3333 });
      const none = (await t.gqlOk(store.key, DEFLECTION, { filter: { ...period(), channel: 'CHAT' } })).faqDeflection;
      expect(none).toMatchObject({ answered: 0, deflectionRate: null });
    });

    it('stays silent for VIP customers, urgent or angry wording and unmatched questions', async () => {
      const vip = (await t.gqlOk(store.key, CREATE_TICKET, { input: { subject: 'وين طلبي؟', body: 'وين طلبي؟', channel: 'WHATSAPP', customer: { whatsapp: '966501110005', tier: 'VIP' } } }))
        .createTicket;
      const urgent = await say('966501110006', 'ماجد', 'وين طلبي؟ عاجل');
      const unmatched = await say('966501110007', 'لمى', 'المنتج وصل مكسور والكرتون مفتوح');
      await new Promise((r) => setTimeout(r, 2500));
      for (const id of [vip.id, urgent, unmatched]) expect((await ticket(id)).messages.map((m: any) => m.authorType)).not.toContain('BOT');
    });

    it('an agent replying before the customer answers takes over: a later "نعم" does not solve the ticket', async () => {
      const ticketId = await say('966501110008', 'ريم', 'وين طلبي؟');
      await eventuallyPasses(async () => expect((await ticket(ticketId)).messages).toHaveLength(2));
      await t.gqlOk(store.key, `mutation($input: AddMessageInput!) { addMessage(input: $input) { message { id } } }`, {
        input: { ticketId, body: 'أهلًا ريم، طلبك مع شركة الشحن وسيصلك غدًا', authorType: 'AGENT', internal: false },
      });
      expect((await ticket(ticketId)).events.find((e: any) => e.type === 'FAQ_FEEDBACK').data).toMatchObject({ outcome: 'HANDED_OVER' });
      await say('966501110008', 'ريم', 'نعم');
      await new Promise((r) => setTimeout(r, 1500));
      const after = await ticket(ticketId);
      expect(after.status).toBe('OPEN');
      expect(after.messages.map((m: any) => m.authorType)).toEqual(['CUSTOMER', 'BOT', 'AGENT', 'CUSTOMER']);
    });
  });
});
