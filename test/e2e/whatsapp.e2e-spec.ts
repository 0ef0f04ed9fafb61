import { DataSource } from 'typeorm';
import { metaSignature } from '../../src/channels/messaging/platform-signatures';
import { FakeGraphApi, GRAPH_ERRORS } from '../fakes/meta-graph-api';
import { waContact, waMessage, waStatus, waText, waWebhook, wamid } from '../fakes/whatsapp-payloads';
import { ADD_MESSAGE, CREATE_TICKET, eventuallyPasses, TestApp, TestTenant } from './helpers/test-app';

const APP_SECRET = 'whatsapp-app-secret-1';
const TOKEN = 'EAAG-test-access-token-1';
const CONNECT = `mutation($input: ConnectWhatsAppInput!) { connectWhatsApp(input: $input) { id kind name accountId displayName active webhookPath webhookUrl } }`;
const TICKET = `query($id: ID!) { ticket(id: $id) { id number channel status customer { id name identities { kind value } }
  messages { id body authorType internal channel externalId deliveryStatus deliveryError content attachments { filename contentType sizeBytes fetchError } } } }`;

describe('WhatsApp Cloud API channel', () => {
  let t: TestApp;
  let fake: FakeGraphApi;
  let store: TestTenant;
  let channel: { id: string; webhookPath: string };
  let db: DataSource;
  const env = () => ({ WHATSAPP_API_BASE_URL: fake.baseUrl, CHANNEL_RETRY_DELAY_SECONDS: '1' });

  beforeAll(async () => {
    fake = await FakeGraphApi.start();
    fake.tokens.add(TOKEN);
    t = await TestApp.start(env());
    db = t.app.get(DataSource);
    store = await t.createTenant();
    channel = (
      await t.gqlOk(store.key, CONNECT, {
        input: {
          phoneNumberId: '106540352242922',
          displayPhoneNumber: '+966 11 234 5678',
          businessAccountId: '102290129340398',
          accessToken: TOKEN,
          appSecret: APP_SECRET,
          verifyToken: 'verify-me-please',
        },
      })
    ).connectWhatsApp;
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  const post = (payload: unknown, secret = APP_SECRET, app = t) => {
    const raw = JSON.stringify(payload);
    return app.http.post(channel.webhookPath).set('content-type', 'application/json').set('x-hub-signature-256', metaSignature(raw, secret)).send(raw);
  };
  const wa = (value: Parameters<typeof waWebhook>[1]) => waWebhook({ phoneNumberId: '106540352242922' }, value);
  const ticketOf = async (externalId: string) => {
    const [row] = await db.query(`SELECT ticket_id FROM messages WHERE external_id = $1`, [externalId]);
    return (await t.gqlOk(store.key, TICKET, { id: row.ticket_id })).ticket;
  };
  const messageCount = async () => Number((await db.query(`SELECT count(*) FROM messages WHERE tenant_id = $1`, [store.id]))[0].count);

  it("connects a number, hides its secrets and answers Meta's verification handshake", async () => {
    expect(channel).toMatchObject({ webhookPath: `/webhooks/whatsapp/${channel.id}` });
    const listed = await t.gql(store.key, `{ messagingChannels { id accessToken } }`);
    expect(listed.errors?.[0].message).toMatch(/accessToken/);

    const ok = await t.http.get(channel.webhookPath).query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-me-please', 'hub.challenge': '1158201444' });
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('1158201444');
    expect(ok.headers['content-type']).toMatch(/text\/plain/);
    const bad = await t.http.get(channel.webhookPath).query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'wrong', 'hub.challenge': '1' });
    expect(bad.status).toBe(403);
    expect((await t.http.get(`/webhooks/whatsapp/00000000-0000-0000-0000-000000000000`).query({ 'hub.mode': 'subscribe' })).status).toBe(404);
  });

  it('refuses a missing or wrong signature with 401 and stores nothing', async () => {
    const before = await messageCount();
    const payload = wa({ contacts: [waContact('966500000001', 'متطفل')], messages: [waText('966500000001', 'رسالة مزورة')] });
    expect((await post(payload, 'not-the-app-secret')).status).toBe(401);
    expect((await t.http.post(channel.webhookPath).send(payload)).status).toBe(401);
    expect(await messageCount()).toBe(before);
  });

  it('turns a message into a WhatsApp ticket of the customer found by number, byte for byte, once however often Meta retries', async () => {
    // The customer already exists from the store's checkout, with a national number.
    const seeded = (await t.gqlOk(store.key, CREATE_TICKET, { input: { subject: 'طلب سابق', body: 'استفسار قديم', channel: 'API', customer: { phone: '0501234567', name: 'سارة العتيبي' } } }))
      .createTicket;
    await t.gqlOk(store.key, `mutation($id: ID!) { updateTicket(id: $id, input: { status: SOLVED }) { id } }`, { id: seeded.id });

    const text = 'السلام عليكم 👋 طلبي رقم ٤٥٢١ ما وصل للحين 😢🙏🏽 — متى يوصل؟';
    const id = wamid();
    const payload = wa({ contacts: [waContact('966501234567', 'Sara')], messages: [waText('966501234567', text, { id })] });
    const first = await post(payload);
    expect(first.status).toBe(200);
    expect((await post(payload)).status).toBe(200); // Meta's retry
    expect((await db.query(`SELECT count(*) FROM messages WHERE external_id = $1`, [id]))[0].count).toBe('1');

    const ticket = await ticketOf(id);
    expect(ticket).toMatchObject({ channel: 'WHATSAPP', status: 'NEW', customer: { id: seeded.customer.id } });
    expect(ticket.customer.identities).toContainEqual({ kind: 'PHONE', value: '+966501234567' });
    expect(ticket.messages[0].body).toBe(text);
    expect(Buffer.from(ticket.messages[0].body, 'utf8').equals(Buffer.from(text, 'utf8'))).toBe(true);
    expect(ticket.messages[0]).toMatchObject({ authorType: 'CUSTOMER', externalId: id, content: { type: 'text', from: '966501234567' } });

    // The next message continues the conversation.
    const next = wamid();
    await post(wa({ contacts: [waContact('966501234567', 'Sara')], messages: [waText('966501234567', 'ممكن رقم التتبع؟', { id: next })] }));
    expect((await ticketOf(next)).id).toBe(ticket.id);
  });

  it('reads every message type, and fetches media through the media endpoint into the attachment store', async () => {
    const from = '966551112233';
    fake.media.set('1431128307437066', { mimeType: 'image/jpeg', bytes: Buffer.from('\xff\xd8\xff fake jpeg bytes', 'latin1') });
    fake.media.set('2046321805562144', { mimeType: 'application/pdf', bytes: Buffer.from('%PDF-1.4 invoice') });
    fake.media.set('7777', { mimeType: 'video/mp4', bytes: Buffer.from('....ftypmp42 fake video') });
    const messages = [
      waText(from, 'صورة المنتج التالف'),
      waMessage(from, 'image', { image: { caption: 'الكرتون مفتوح', mime_type: 'image/jpeg', sha256: 'abc', id: '1431128307437066' } }),
      waMessage(from, 'document', { document: { filename: 'فاتورة-4521.pdf', mime_type: 'application/pdf', sha256: 'def', id: '2046321805562144' } }),
      waMessage(from, 'audio', { audio: { mime_type: 'audio/ogg; codecs=opus', sha256: 'g', id: '9999', voice: true } }),
      waMessage(from, 'location', { location: { latitude: 24.7136, longitude: 46.6753, name: 'المنزل', address: 'حي النرجس، الرياض' } }),
      waMessage(from, 'contacts', { contacts: [{ name: { formatted_name: 'أخي فهد', first_name: 'فهد' }, phones: [{ phone: '+966 50 999 8888', wa_id: '966509998888', type: 'CELL' }] }] }),
      waMessage(from, 'interactive', { interactive: { type: 'button_reply', button_reply: { id: 'track', title: 'تتبع الطلب' } } }),
      waMessage(from, 'interactive', { interactive: { type: 'list_reply', list_reply: { id: 'ret', title: 'إرجاع منتج', description: 'خلال ١٤ يوم' } } }),
      waMessage(from, 'button', { button: { payload: 'YES', text: 'نعم' } }),
      waMessage(from, 'sticker', { sticker: { mime_type: 'image/webp', sha256: 's', id: '8888', animated: false } }),
      waMessage(from, 'video', { video: { mime_type: 'video/mp4', sha256: 'v', id: '7777' } }),
      waMessage(from, 'unsupported', {
        errors: [{ code: 131051, title: 'Message type unknown', message: 'Message type unknown', error_data: { details: 'Message type is currently not supported.' } }],
      }),
    ];
    expect((await post(wa({ contacts: [waContact(from, 'نورة')], messages }))).status).toBe(200);
    const ticket = await ticketOf(messages[0].id);
    expect(ticket.customer.name).toBe('نورة');
    const bodies = ticket.messages.map((m: any) => m.body);
    expect(bodies).toEqual([
      'صورة المنتج التالف',
      'الكرتون مفتوح',
      '📄 فاتورة-4521.pdf',
      '🎤 رسالة صوتية',
      '📍 الموقع: المنزل، حي النرجس، الرياض\nhttps://maps.google.com/?q=24.7136,46.6753',
      '👤 جهة اتصال: أخي فهد +966 50 999 8888',
      'تتبع الطلب',
      'إرجاع منتج',
      'نعم',
      'ملصق',
      '🎬 فيديو',
      '(نوع رسالة غير مدعوم في واتساب: 131051: Message type unknown (Message type is currently not supported.))',
    ]);
    expect(ticket.messages[4].content.location).toMatchObject({ latitude: 24.7136, longitude: 46.6753 });
    expect(ticket.messages[6].content.reply).toEqual({ id: 'track', title: 'تتبع الطلب' });

    // A reaction joins the open conversation.
    await post(wa({ messages: [waMessage(from, 'reaction', { reaction: { message_id: messages[0].id, emoji: '👍' } })] }));
    await eventuallyPasses(async () => {
      const after = await ticketOf(messages[0].id);
      expect(after.messages.at(-1).body).toBe('تفاعل: 👍');
      expect(after.messages[1].attachments).toEqual([{ filename: null, contentType: 'image/jpeg', sizeBytes: 19, fetchError: null }]);
      expect(after.messages[2].attachments).toEqual([{ filename: 'فاتورة-4521.pdf', contentType: 'application/pdf', sizeBytes: 16, fetchError: null }]);
      expect(after.messages[3].attachments[0].fetchError).toMatch(/131051|100|does not exist/);
    });
    const [stored] = await db.query(`SELECT content FROM message_attachments WHERE provider_media_id = '2046321805562144'`);
    expect(stored.content.toString()).toBe('%PDF-1.4 invoice');
  });

  describe('replies', () => {
    const customer = '966507654321';
    let ticketId: string;
    let inboundId: string;

    beforeAll(async () => {
      inboundId = wamid();
      await post(wa({ contacts: [waContact(customer, 'خالد')], messages: [waText(customer, 'وين طلبي؟', { id: inboundId })] }));
      ticketId = (await ticketOf(inboundId)).id;
    });

    const REPLY = `mutation($input: AddMessageInput!) { addMessage(input: $input) { message { id deliveryStatus } } }`;
    const reply = async (body: string) => (await t.gqlOk(store.key, REPLY, { input: { ticketId, body, authorType: 'AGENT', internal: false } })).addMessage.message;
    const sentTo = (body: string) => fake.sent((r) => r.body?.messaging_product === 'whatsapp' && r.body?.text?.body === body);
    const deliveryOf = async (messageId: string) => (await ticketOf(inboundId)).messages.find((m: any) => m.id === messageId);

    it('sends an agent reply through the Cloud API and follows its statuses to the furthest one', async () => {
      const message = await reply('أهلاً خالد، طلبك مع شركة الشحن وسيصلك غداً إن شاء الله 🚚');
      expect(message.deliveryStatus).toBe('QUEUED');
      await eventuallyPasses(() => expect(sentTo('أهلاً خالد، طلبك مع شركة الشحن وسيصلك غداً إن شاء الله 🚚')).toHaveLength(1));
      const [request] = sentTo('أهلاً خالد، طلبك مع شركة الشحن وسيصلك غداً إن شاء الله 🚚');
      expect(request.path).toBe('/v21.0/106540352242922/messages');
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request.body).toEqual({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: customer,
        type: 'text',
        text: { preview_url: false, body: 'أهلاً خالد، طلبك مع شركة الشحن وسيصلك غداً إن شاء الله 🚚' },
      });
      await eventuallyPasses(async () => expect((await deliveryOf(message.id)).deliveryStatus).toBe('SENT'));
      const providerId = (await deliveryOf(message.id)).externalId;
      expect(providerId).toMatch(/^wamid\./);

      // Read arrives before delivered; in the same batch as the customer's next message.
      const answer = wamid();
      await post(wa({ contacts: [waContact(customer, 'خالد')], messages: [waText(customer, 'شكراً 🌹', { id: answer })], statuses: [waStatus(providerId, 'read', customer)] }));
      await post(wa({ statuses: [waStatus(providerId, 'delivered', customer), waStatus(providerId, 'sent', customer)] }));
      const after = await ticketOf(inboundId);
      expect(after.messages.find((m: any) => m.id === message.id).deliveryStatus).toBe('READ');
      expect(after.messages.at(-1).externalId).toBe(answer);
    });

    it('retries after a 500 and gives up at once on a permanent error, telling the agents', async () => {
      fake.failures.push(GRAPH_ERRORS.serverError);
      const retried = await reply('نعتذر عن التأخير');
      await eventuallyPasses(async () => expect((await deliveryOf(retried.id)).deliveryStatus).toBe('SENT'), 15_000);
      expect(fake.requests.filter((r) => r.body?.text?.body === 'نعتذر عن التأخير').map((r) => r.status)).toEqual([500, 200]);

      fake.failures.push(GRAPH_ERRORS.invalidParameter);
      const refused = await reply('رسالة سترفضها المنصة');
      await eventuallyPasses(async () => expect((await deliveryOf(refused.id)).deliveryStatus).toBe('FAILED'));
      expect((await deliveryOf(refused.id)).deliveryError).toBe('100: (#100) Invalid parameter');
      expect(fake.requests.filter((r) => r.body?.text?.body === 'رسالة سترفضها المنصة')).toHaveLength(1);
      const note = (await ticketOf(inboundId)).messages.at(-1);
      expect(note).toMatchObject({ internal: true, authorType: 'SYSTEM' });
      expect(note.body).toContain('(#100) Invalid parameter');

      // The documented throughput limit (130429) is retried; an expired token (190) is not, until the store reconnects.
      fake.failures.push(GRAPH_ERRORS.rateLimit);
      const throttled = await reply('سنعود إليك خلال دقائق');
      await eventuallyPasses(async () => expect((await deliveryOf(throttled.id)).deliveryStatus).toBe('SENT'), 15_000);
      expect(fake.requests.filter((r) => r.body?.text?.body === 'سنعود إليك خلال دقائق').map((r) => r.status)).toEqual([429, 200]);
      fake.failures.push(GRAPH_ERRORS.expiredToken);
      const expired = await reply('رسالة بمفتاح منتهي');
      await eventuallyPasses(async () => expect((await deliveryOf(expired.id)).deliveryStatus).toBe('FAILED'));
      expect((await deliveryOf(expired.id)).deliveryError).toMatch(/^190: Error validating access token/);
      expect(fake.requests.filter((r) => r.body?.text?.body === 'رسالة بمفتاح منتهي')).toHaveLength(1);
    });

    it('a failed status (re-engagement, 131047) marks the message FAILED with the provider error', async () => {
      const message = await reply('تم شحن طلبك');
      await eventuallyPasses(async () => expect((await deliveryOf(message.id)).deliveryStatus).toBe('SENT'));
      const providerId = (await deliveryOf(message.id)).externalId;
      await post(
        wa({
          statuses: [
            waStatus(providerId, 'failed', customer, new Date(), [
              {
                code: 131047,
                title: 'Re-engagement message',
                message: 'Re-engagement message',
                error_data: { details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' },
              },
            ]),
          ],
        }),
      );
      const after = await deliveryOf(message.id);
      expect(after).toMatchObject({ deliveryStatus: 'FAILED' });
      expect(after.deliveryError).toMatch(/^131047: Re-engagement message/);
    });

    it('refuses a free-form reply more than 24 h after the customer last wrote, and sends an approved template instead', async () => {
      await db.query(`UPDATE messages SET created_at = created_at - interval '25 hours' WHERE ticket_id = $1 AND author_type = 'CUSTOMER'`, [ticketId]);
      const sentBefore = fake.sent().length;
      const countBefore = (await ticketOf(inboundId)).messages.length;
      const refused = await t.gql(store.key, ADD_MESSAGE, { input: { ticketId, body: 'هل وصلك الطلب؟', authorType: 'AGENT', internal: false } });
      expect(refused.errors?.[0].extensions).toMatchObject({ code: 'WHATSAPP_WINDOW_CLOSED' });
      expect((await ticketOf(inboundId)).messages).toHaveLength(countBefore);
      // Internal notes are not messages to the customer: still allowed.
      await t.gqlOk(store.key, ADD_MESSAGE, { input: { ticketId, body: 'العميل لم يرد منذ يوم', authorType: 'AGENT', internal: true } });

      fake.templates = [
        { name: 'order_followup', language: 'ar', status: 'APPROVED', category: 'UTILITY', components: [{ type: 'BODY', text: 'مرحباً {{1}}، هل وصلك طلبك رقم {{2}}؟' }] },
        { name: 'promo', language: 'ar', status: 'REJECTED', category: 'MARKETING', components: [{ type: 'BODY', text: 'خصم' }] },
      ];
      const templates = (await t.gqlOk(store.key, `query($c: ID!) { whatsAppTemplates(channelId: $c) { name language status body } }`, { c: channel.id })).whatsAppTemplates;
      expect(templates).toContainEqual({ name: 'order_followup', language: 'ar', status: 'APPROVED', body: 'مرحباً {{1}}، هل وصلك طلبك رقم {{2}}؟' });

      const SEND = `mutation($t: ID!, $n: String!, $p: [String!]!) { sendWhatsAppTemplate(ticketId: $t, name: $n, language: "ar", parameters: $p) { message { id body deliveryStatus } } }`;
      expect((await t.gql(store.key, SEND, { t: ticketId, n: 'promo', p: [] })).errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
      expect((await t.gql(store.key, SEND, { t: ticketId, n: 'order_followup', p: ['خالد'] })).errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
      const sent = (await t.gqlOk(store.key, SEND, { t: ticketId, n: 'order_followup', p: ['خالد', '4521'] })).sendWhatsAppTemplate.message;
      expect(sent).toMatchObject({ body: 'مرحباً خالد، هل وصلك طلبك رقم 4521؟', deliveryStatus: 'QUEUED' });
      await eventuallyPasses(() => expect(fake.sent().length).toBe(sentBefore + 1));
      expect(fake.sent().at(-1)!.body).toEqual({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: customer,
        type: 'template',
        template: {
          name: 'order_followup',
          language: { code: 'ar' },
          components: [
            {
              type: 'body',
              parameters: [
                { type: 'text', text: 'خالد' },
                { type: 'text', text: '4521' },
              ],
            },
          ],
        },
      });
    });
  });

  it("a store cannot see or use another store's channel", async () => {
    const other = await t.createTenant('متجر آخر');
    expect((await t.gqlOk(other.key, `{ messagingChannels { id } }`)).messagingChannels).toEqual([]);
    const attempt = await t.gql(other.key, `mutation($id: ID!) { updateMessagingChannel(id: $id, input: { active: false }) { id } }`, { id: channel.id });
    expect(attempt.errors?.[0].extensions.code).toBe('NOT_FOUND');
    expect((await t.gql(other.key, `query($c: ID!) { whatsAppTemplates(channelId: $c) { name } }`, { c: channel.id })).errors?.[0].extensions.code).toBe('NOT_FOUND');
  });

  it("two numbers of one store under one callback URL: each number's messages go to its own channel and are answered from it; an unknown number is skipped", async () => {
    const second = (
      await t.gqlOk(store.key, CONNECT, {
        input: { phoneNumberId: '106540352249999', displayPhoneNumber: '+966 12 345 6789', accessToken: TOKEN, appSecret: APP_SECRET, verifyToken: 'verify-me-please' },
      })
    ).connectWhatsApp;
    const toSecond = wamid();
    const toNobody = wamid();
    const toFirst = wamid();
    // One delivery to the first number's URL, as Meta sends it for every number of the app.
    const payload = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            ...waWebhook({ phoneNumberId: '106540352249999' }, { contacts: [waContact('966509990001', 'ماجد')], messages: [waText('966509990001', 'أكتب للرقم الثاني', { id: toSecond })] }).entry[0]
              .changes,
            ...waWebhook({ phoneNumberId: '100000000000001' }, { contacts: [waContact('966509990002', 'غريب')], messages: [waText('966509990002', 'رقم لا يخص المتجر', { id: toNobody })] }).entry[0]
              .changes,
            ...waWebhook({ phoneNumberId: '106540352242922' }, { contacts: [waContact('966509990003', 'هند')], messages: [waText('966509990003', 'أكتب للرقم الأول', { id: toFirst })] }).entry[0]
              .changes,
          ],
        },
      ],
    };
    expect((await post(payload)).status).toBe(200);
    const rows = await db.query(`SELECT external_id, messaging_channel_id FROM messages WHERE external_id = ANY($1) ORDER BY external_id`, [[toSecond, toNobody, toFirst]]);
    expect(Object.fromEntries(rows.map((r: any) => [r.external_id, r.messaging_channel_id]))).toEqual({ [toSecond]: second.id, [toFirst]: channel.id });

    const ticket = await ticketOf(toSecond);
    await t.gqlOk(store.key, ADD_MESSAGE, { input: { ticketId: ticket.id, body: 'أهلاً ماجد، من الرقم الثاني', authorType: 'AGENT', internal: false } });
    await eventuallyPasses(() =>
      expect(fake.sent((r) => r.body?.text?.body === 'أهلاً ماجد، من الرقم الثاني').map((r) => [r.path, r.body.to])).toEqual([['/v21.0/106540352249999/messages', '966509990001']]),
    );

    // The second number's own URL works too, and a retry there is still one message.
    const raw = JSON.stringify(payload);
    const again = await t.http.post(second.webhookPath).set('content-type', 'application/json').set('x-hub-signature-256', metaSignature(raw, APP_SECRET)).send(raw);
    expect(again.status).toBe(200);
    expect((await db.query(`SELECT count(*) FROM messages WHERE external_id = ANY($1)`, [[toSecond, toNobody, toFirst]]))[0].count).toBe('2');
  });

  it('the 24-hour window is per number: writing to the second number opens none on the first', async () => {
    const customer = '966509990004';
    const toFirst = wamid();
    await post(wa({ contacts: [waContact(customer, 'عبير')], messages: [waText(customer, 'سؤال للرقم الأول', { id: toFirst })] }));
    const first = await ticketOf(toFirst);
    // A day later (and no longer fresh enough to continue), she writes to the second number: a ticket of its own.
    await db.query(`UPDATE messages SET created_at = created_at - interval '25 hours' WHERE ticket_id = $1`, [first.id]);
    await db.query(`UPDATE tickets SET updated_at = updated_at - interval '30 days' WHERE id = $1`, [first.id]);
    const toSecond = wamid();
    await post(waWebhook({ phoneNumberId: '106540352249999' }, { contacts: [waContact(customer, 'عبير')], messages: [waText(customer, 'سؤال للرقم الثاني', { id: toSecond })] }));
    const second = await ticketOf(toSecond);
    expect(second.id).not.toBe(first.id);

    const refused = await t.gql(store.key, ADD_MESSAGE, { input: { ticketId: first.id, body: 'رد من الرقم الأول', authorType: 'AGENT', internal: false } });
    expect(refused.errors?.[0].extensions.code).toBe('WHATSAPP_WINDOW_CLOSED');
    await t.gqlOk(store.key, ADD_MESSAGE, { input: { ticketId: second.id, body: 'رد من الرقم الثاني', authorType: 'AGENT', internal: false } });
    await eventuallyPasses(() => expect(fake.sent((r) => r.body?.text?.body === 'رد من الرقم الثاني').map((r) => r.path)).toEqual(['/v21.0/106540352249999/messages']));
    expect(fake.sent((r) => r.body?.text?.body === 'رد من الرقم الأول')).toEqual([]);
  });

  it('a reply on a disconnected WhatsApp channel is FAILED and says the channel is disconnected (never a silent null)', async () => {
    const shop = await t.createTenant('متجر مفصول');
    const number = (
      await t.gqlOk(shop.key, CONNECT, {
        input: {
          phoneNumberId: '106540352277777',
          displayPhoneNumber: '+966 11 777 7777',
          businessAccountId: '102290129347777',
          accessToken: TOKEN,
          appSecret: APP_SECRET,
          verifyToken: 'verify-me-please',
        },
      })
    ).connectWhatsApp;
    const inbound = wamid();
    const raw = JSON.stringify(waWebhook({ phoneNumberId: '106540352277777' }, { contacts: [waContact('966507777777', 'هند')], messages: [waText('966507777777', 'وين طلبي؟', { id: inbound })] }));
    await t.http.post(number.webhookPath).set('content-type', 'application/json').set('x-hub-signature-256', metaSignature(raw, APP_SECRET)).send(raw).expect(200);
    const [{ ticket_id: ticketId }] = await db.query(`SELECT ticket_id FROM messages WHERE external_id = $1`, [inbound]);
    await t.gqlOk(shop.key, `mutation($id: ID!) { updateMessagingChannel(id: $id, input: { active: false }) { id } }`, { id: number.id });

    await t.gqlOk(shop.key, ADD_MESSAGE, { input: { ticketId, body: 'طلبك في الطريق', authorType: 'AGENT', internal: false } });
    const reply = (await t.gqlOk(shop.key, TICKET, { id: ticketId })).ticket.messages.find((m: any) => m.body === 'طلبك في الطريق');
    expect(reply.deliveryStatus).toBe('FAILED');
    expect(reply.deliveryError).toBe(
      'The WhatsApp channel "+966 11 777 7777" is disconnected: this reply was not sent. Reconnect it (updateMessagingChannel with active: true) and send again, or answer on another channel',
    );
    expect(fake.sent((r) => r.body?.text?.body === 'طلبك في الطريق')).toEqual([]);
  });

  it('queued replies survive a restart and are sent exactly once', async () => {
    const from = '966533334444';
    const inbound = wamid();
    await post(wa({ contacts: [waContact(from, 'ريم')], messages: [waText(from, 'متى يفتح المتجر؟', { id: inbound })] }));
    const ticket = await ticketOf(inbound);
    for (let i = 0; i < 6; i++) fake.failures.push(GRAPH_ERRORS.serverError); // the platform is down
    const bodies = ['الرد الأول', 'الرد الثاني', 'الرد الثالث'];
    for (const body of bodies) await t.gqlOk(store.key, ADD_MESSAGE, { input: { ticketId: ticket.id, body, authorType: 'AGENT', internal: false } });
    await eventuallyPasses(() => expect(fake.requests.filter((r) => r.status === 500 && r.body?.text?.body === bodies[0]).length).toBeGreaterThanOrEqual(1));
    await t.close();

    fake.failures.length = 0; // back up
    t = await TestApp.start(env(), undefined, t.databaseUrl);
    db = t.app.get(DataSource);
    await eventuallyPasses(async () => {
      const states = (await ticketOf(inbound)).messages.filter((m: any) => m.authorType === 'AGENT').map((m: any) => m.deliveryStatus);
      expect(states).toEqual(['SENT', 'SENT', 'SENT']);
    }, 30_000);
    const accepted = fake.sent((r) => bodies.includes(r.body?.text?.body)).map((r) => r.body.text.body);
    expect(accepted).toEqual(bodies); // each once, in order
  }, 60_000);
});
