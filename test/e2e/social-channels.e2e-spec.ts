import { createHmac } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { metaSignature, xSignature } from '../../src/channels/messaging/platform-signatures';
import { FakeGraphApi } from '../fakes/meta-graph-api';
import { eventuallyPasses, TestApp, TestTenant } from './helpers/test-app';

const TOKEN = 'EAAG-page-token-42';
const X_TOKEN = 'x-oauth2-user-token-42';
const IG_ACCOUNT = '17841400000000001';
const PAGE = '100000000000042';
const TICKET = `query($id: ID!) { ticket(id: $id) { id channel status tags customer { id name identities { kind value } }
  messages { id body authorType internal channel externalId deliveryStatus deliveryError content } } }`;

describe('Instagram, Messenger and X: direct messages and public comments', () => {
  let t: TestApp;
  let fake: FakeGraphApi;
  let store: TestTenant;
  let db: DataSource;
  let instagram: { id: string; webhookPath: string };
  let messenger: { id: string; webhookPath: string };
  let x: { id: string; webhookPath: string };

  beforeAll(async () => {
    fake = await FakeGraphApi.start();
    fake.tokens.add(TOKEN).add(X_TOKEN);
    t = await TestApp.start({ META_GRAPH_API_BASE_URL: fake.baseUrl, X_API_BASE_URL: fake.baseUrl, CHANNEL_RETRY_DELAY_SECONDS: '1' });
    db = t.app.get(DataSource);
    store = await t.createTenant();
    const META = `mutation($input: ConnectMetaInput!) { connectMetaChannel(input: $input) { id kind webhookPath } }`;
    instagram = (
      await t.gqlOk(store.key, META, {
        input: { kind: 'INSTAGRAM', accountId: IG_ACCOUNT, displayName: '@rose.store', accessToken: TOKEN, appSecret: 'meta-app-secret', verifyToken: 'ig-verify-token' },
      })
    ).connectMetaChannel;
    messenger = (await t.gqlOk(store.key, META, { input: { kind: 'MESSENGER', accountId: PAGE, accessToken: TOKEN, appSecret: 'meta-app-secret', verifyToken: 'fb-verify-token' } }))
      .connectMetaChannel;
    x = (
      await t.gqlOk(store.key, `mutation($input: ConnectXInput!) { connectX(input: $input) { id kind webhookPath } }`, {
        input: { userId: '1500000000000000001', screenName: '@rose_store', accessToken: X_TOKEN, consumerSecret: 'x-consumer-secret' },
      })
    ).connectX;
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  const postMeta = (path: string, payload: unknown) => {
    const raw = JSON.stringify(payload);
    return t.http.post(path).set('content-type', 'application/json').set('x-hub-signature-256', metaSignature(raw, 'meta-app-secret')).send(raw);
  };
  const postX = (payload: unknown) => {
    const raw = JSON.stringify(payload);
    return t.http.post(x.webhookPath).set('content-type', 'application/json').set('x-twitter-webhooks-signature', xSignature(raw, 'x-consumer-secret')).send(raw);
  };
  const ticketOf = async (externalId: string) => {
    const [row] = await db.query(`SELECT ticket_id FROM messages WHERE external_id = $1`, [externalId]);
    return (await t.gqlOk(store.key, TICKET, { id: row.ticket_id })).ticket;
  };
  const igDm = (sender: string, mid: string, text: string) => ({
    object: 'instagram',
    entry: [{ id: IG_ACCOUNT, time: Date.now(), messaging: [{ sender: { id: sender }, recipient: { id: IG_ACCOUNT }, timestamp: Date.now(), message: { mid, text } }] }],
  });

  it('answers the handshakes: Meta verify token and the X CRC challenge', async () => {
    const ok = await t.http.get(instagram.webhookPath).query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'ig-verify-token', 'hub.challenge': '42' });
    expect([ok.status, ok.text]).toEqual([200, '42']);
    expect((await t.http.get(messenger.webhookPath).query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'ig-verify-token', 'hub.challenge': '42' })).status).toBe(403);

    const crc = await t.http.get(x.webhookPath).query({ crc_token: 'challenge-token-1' });
    expect(crc.status).toBe(200);
    expect(crc.body).toEqual({ response_token: `sha256=${createHmac('sha256', 'x-consumer-secret').update('challenge-token-1').digest('base64')}` });
    const unsigned = await t.http.post(x.webhookPath).send({ for_user_id: '1500000000000000001' });
    expect(unsigned.status).toBe(401);
  });

  it('an Instagram DM becomes an INSTAGRAM ticket; the agent reply goes out through the Send API and read receipts arrive', async () => {
    expect((await postMeta(instagram.webhookPath, igDm('6543210987654321', 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDA', 'هل يتوفر هذا العطر بحجم ٥٠ مل؟ 🌸'))).status).toBe(200);
    const ticket = await ticketOf('aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDA');
    expect(ticket).toMatchObject({ channel: 'INSTAGRAM', status: 'NEW' });
    expect(ticket.customer.identities).toContainEqual({ kind: 'INSTAGRAM', value: '6543210987654321' });

    const reply = (
      await t.gqlOk(store.key, `mutation($input: AddMessageInput!) { addMessage(input: $input) { message { id deliveryStatus } } }`, {
        input: { ticketId: ticket.id, body: 'نعم متوفر بحجم ٥٠ مل بسعر ٢٢٠ ريال', authorType: 'AGENT', internal: false },
      })
    ).addMessage.message;
    expect(reply.deliveryStatus).toBe('QUEUED');
    await eventuallyPasses(() => expect(fake.sent((r) => r.path === `/v21.0/${IG_ACCOUNT}/messages`)).toHaveLength(1));
    expect(fake.sent((r) => r.path === `/v21.0/${IG_ACCOUNT}/messages`)[0].body).toEqual({
      recipient: { id: '6543210987654321' },
      message: { text: 'نعم متوفر بحجم ٥٠ مل بسعر ٢٢٠ ريال' },
      messaging_type: 'RESPONSE',
    });
    await eventuallyPasses(async () => expect((await ticketOf('aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDA')).messages[1].deliveryStatus).toBe('SENT'));
    const mid = (await ticketOf('aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDA')).messages[1].externalId;
    await postMeta(instagram.webhookPath, {
      object: 'instagram',
      entry: [{ id: IG_ACCOUNT, time: Date.now(), messaging: [{ sender: { id: '6543210987654321' }, recipient: { id: IG_ACCOUNT }, timestamp: Date.now(), read: { mid } }] }],
    });
    expect((await ticketOf('aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDA')).messages[1].deliveryStatus).toBe('READ');

    // Between 24 hours and 7 days, a person may still answer with the human-agent tag.
    await db.query(`UPDATE messages SET created_at = created_at - interval '3 days' WHERE ticket_id = $1 AND author_type = 'CUSTOMER'`, [ticket.id]);
    await t.gqlOk(store.key, `mutation($input: AddMessageInput!) { addMessage(input: $input) { message { id } } }`, {
      input: { ticketId: ticket.id, body: 'هل ترغب بإتمام الطلب؟', authorType: 'AGENT', internal: false },
    });
    await eventuallyPasses(() => expect(fake.sent((r) => r.body?.message?.text === 'هل ترغب بإتمام الطلب؟')).toHaveLength(1));
    expect(fake.sent((r) => r.body?.message?.text === 'هل ترغب بإتمام الطلب؟')[0].body).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
  });

  it('a public Instagram comment becomes a public COMMENT ticket: answered briefly in public, then privately on the same ticket', async () => {
    const comment = {
      object: 'instagram',
      entry: [
        {
          id: IG_ACCOUNT,
          time: Date.now(),
          changes: [
            {
              field: 'comments',
              value: {
                from: { id: '7777000011112222', username: 'angry.customer' },
                media: { id: '18000000000000001', media_product_type: 'FEED' },
                id: '17900000000000001',
                text: 'طلبت من أسبوعين وما وصل شي!! خدمة سيئة 😡',
              },
            },
          ],
        },
      ],
    };
    expect((await postMeta(instagram.webhookPath, comment)).status).toBe(200);
    expect((await postMeta(instagram.webhookPath, comment)).status).toBe(200); // a retry: still one ticket
    const ticket = await ticketOf('17900000000000001');
    expect(ticket).toMatchObject({ channel: 'COMMENT', tags: expect.arrayContaining(['public-comment', 'instagram']) });
    expect(ticket.messages).toHaveLength(1);
    expect(ticket.customer.name).toBe('angry.customer');

    const tooLong = await t.gql(store.key, `mutation($t: ID!, $b: String!) { replyPublicly(ticketId: $t, body: $b) { message { id } } }`, { t: ticket.id, b: 'ا'.repeat(1001) });
    expect(tooLong.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    await t.gqlOk(store.key, `mutation($t: ID!, $b: String!) { replyPublicly(ticketId: $t, body: $b) { message { id } } }`, { t: ticket.id, b: 'نعتذر منك، تواصلنا معك على الخاص لحل المشكلة 🌷' });
    await t.gqlOk(store.key, `mutation($t: ID!, $b: String!) { replyPrivately(ticketId: $t, body: $b) { message { id } } }`, { t: ticket.id, b: 'أهلاً، نعتذر عن التأخير. ممكن رقم الطلب؟' });
    await eventuallyPasses(() => {
      expect(fake.sent((r) => r.path === '/v21.0/17900000000000001/replies').map((r) => r.body)).toEqual([{ message: 'نعتذر منك، تواصلنا معك على الخاص لحل المشكلة 🌷' }]);
      expect(fake.sent((r) => r.body?.recipient?.comment_id === '17900000000000001').map((r) => r.body)).toEqual([
        { recipient: { comment_id: '17900000000000001' }, message: { text: 'أهلاً، نعتذر عن التأخير. ممكن رقم الطلب؟' } },
      ]);
    });
    // The customer answers in private: the DM joins the public ticket.
    await postMeta(instagram.webhookPath, igDm('7777000011112222', 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjk5OQ', 'رقم الطلب ٧٨٩٠'));
    const after = await ticketOf('aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjk5OQ');
    expect(after.id).toBe(ticket.id);
    expect(after.messages.map((m: any) => [m.channel, m.authorType])).toEqual([
      ['COMMENT', 'CUSTOMER'],
      ['COMMENT', 'AGENT'],
      ['INSTAGRAM', 'AGENT'],
      ['INSTAGRAM', 'CUSTOMER'],
    ]);
    // KPIs tell public complaints apart.
    const range = { from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() };
    const kpis = (await t.gqlOk(store.key, `query($from: DateTime!, $to: DateTime!) { kpis(filter: { from: $from, to: $to }, groupBy: CHANNEL) { key created } }`, range)).kpis;
    expect(kpis).toContainEqual({ key: 'COMMENT', created: 1 });
  });

  it('a Facebook Page comment is answered as a reply comment', async () => {
    await postMeta(messenger.webhookPath, {
      object: 'page',
      entry: [
        {
          id: PAGE,
          time: Date.now(),
          changes: [
            {
              field: 'feed',
              value: {
                item: 'comment',
                verb: 'add',
                comment_id: `${PAGE}_555_666`,
                post_id: `${PAGE}_555`,
                parent_id: `${PAGE}_555`,
                from: { id: '24000000000001', name: 'محمد القحطاني' },
                message: 'كم سعر التوصيل لجدة؟',
                created_time: Math.floor(Date.now() / 1000),
              },
            },
          ],
        },
      ],
    });
    const ticket = await ticketOf(`${PAGE}_555_666`);
    expect(ticket).toMatchObject({ channel: 'COMMENT', customer: { name: 'محمد القحطاني' } });
    await t.gqlOk(store.key, `mutation($t: ID!) { replyPublicly(ticketId: $t, body: "التوصيل لجدة ٢٥ ريال، ومجاني فوق ٣٠٠ ريال") { message { id } } }`, { t: ticket.id });
    await eventuallyPasses(() => expect(fake.sent((r) => r.path === `/v21.0/${PAGE}_555_666/comments`)).toHaveLength(1));
  });

  it('X: a DM becomes an X ticket answered by DM; a mention becomes a COMMENT ticket answered by a reply post', async () => {
    const dm = {
      for_user_id: '1500000000000000001',
      direct_message_events: [
        {
          type: 'message_create',
          id: '1840000000000000001',
          created_timestamp: String(Date.now()),
          message_create: { target: { recipient_id: '1500000000000000001' }, sender_id: '3000000001', message_data: { text: 'السلام عليكم، الكود ما اشتغل', entities: {} } },
        },
      ],
      users: { '3000000001': { id: '3000000001', name: 'عبدالله', screen_name: 'abdullah_sa' } },
    };
    expect((await postX(dm)).status).toBe(200);
    const dmTicket = await ticketOf('1840000000000000001');
    expect(dmTicket).toMatchObject({ channel: 'X', customer: { name: 'عبدالله' } });
    await t.gqlOk(store.key, `mutation($input: AddMessageInput!) { addMessage(input: $input) { message { id } } }`, {
      input: { ticketId: dmTicket.id, body: 'أهلاً عبدالله، جرّب الكود RIDA10', authorType: 'AGENT', internal: false },
    });
    await eventuallyPasses(() => expect(fake.sent((r) => r.path === '/2/dm_conversations/with/3000000001/messages').map((r) => r.body)).toEqual([{ text: 'أهلاً عبدالله، جرّب الكود RIDA10' }]));

    await postX({
      for_user_id: '1500000000000000001',
      tweet_create_events: [
        {
          id_str: '1850000000000000009',
          text: '@rose_store وين طلبي يا جماعة؟',
          created_at: new Date().toUTCString(),
          in_reply_to_status_id_str: null,
          user: { id_str: '3000000002', name: 'فهد', screen_name: 'fahad' },
        },
      ],
    });
    const mention = await ticketOf('1850000000000000009');
    expect(mention).toMatchObject({ channel: 'COMMENT', tags: expect.arrayContaining(['public-comment', 'x']) });
    const long = await t.gql(store.key, `mutation($t: ID!, $b: String!) { replyPublicly(ticketId: $t, body: $b) { message { id } } }`, { t: mention.id, b: 'ب'.repeat(281) });
    expect(long.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    await t.gqlOk(store.key, `mutation($t: ID!) { replyPublicly(ticketId: $t, body: "أرسلنا لك رسالة خاصة 🌹") { message { id } } }`, { t: mention.id });
    await t.gqlOk(store.key, `mutation($t: ID!) { replyPrivately(ticketId: $t, body: "ممكن رقم الطلب؟") { message { id } } }`, { t: mention.id });
    await eventuallyPasses(() => {
      expect(fake.sent((r) => r.path === '/2/tweets').map((r) => r.body)).toEqual([{ text: 'أرسلنا لك رسالة خاصة 🌹', reply: { in_reply_to_tweet_id: '1850000000000000009' } }]);
      expect(fake.sent((r) => r.path === '/2/dm_conversations/with/3000000002/messages').map((r) => r.body)).toEqual([{ text: 'ممكن رقم الطلب؟' }]);
    });
  });

  it('events for an account the store has not connected are answered 200 and not stored, whatever URL of the app they reach', async () => {
    const before = Number((await db.query(`SELECT count(*) FROM messages WHERE tenant_id = $1`, [store.id]))[0].count);
    const strangerPage = {
      object: 'page',
      entry: [
        {
          id: '100000000000999',
          time: Date.now(),
          messaging: [{ sender: { id: '24000000000777' }, recipient: { id: '100000000000999' }, timestamp: Date.now(), message: { mid: 'm_not_ours_1', text: 'لصفحة أخرى' } }],
        },
      ],
    };
    expect((await postMeta(messenger.webhookPath, strangerPage)).status).toBe(200);
    const otherX = {
      for_user_id: '1500000000000000999',
      direct_message_events: [
        {
          type: 'message_create',
          id: '1840000000000000999',
          created_timestamp: String(Date.now()),
          message_create: { target: { recipient_id: '1500000000000000999' }, sender_id: '3000000009', message_data: { text: 'لحساب آخر' } },
        },
      ],
    };
    expect((await postX(otherX)).status).toBe(200);
    expect(Number((await db.query(`SELECT count(*) FROM messages WHERE tenant_id = $1`, [store.id]))[0].count)).toBe(before);

    // A Page entry at the Instagram account's URL (one URL for both objects of the app) reaches the Page's channel.
    const toPage = {
      ...strangerPage,
      entry: [{ ...strangerPage.entry[0], id: PAGE, messaging: [{ ...strangerPage.entry[0].messaging[0], recipient: { id: PAGE }, message: { mid: 'm_page_via_ig_url', text: 'للصفحة' } }] }],
    };
    expect((await postMeta(instagram.webhookPath, toPage)).status).toBe(200);
    const [row] = await db.query(`SELECT channel, messaging_channel_id FROM messages WHERE external_id = 'm_page_via_ig_url'`);
    expect(row).toEqual({ channel: 'FACEBOOK', messaging_channel_id: messenger.id });
  });
});

describe('media links in Instagram and Messenger webhooks (ALLOW_PRIVATE_NETWORK_TARGETS off)', () => {
  let t: TestApp;
  let store: TestTenant;
  let db: DataSource;
  let inside: Server;
  let insideRequests: string[];
  let insideUrl: string;
  let channels: Record<'INSTAGRAM' | 'MESSENGER', { webhookPath: string }>;

  beforeAll(async () => {
    // Stands for anything on the server's network: an admin page, a metadata service.
    insideRequests = [];
    inside = createServer((req, res) => {
      insideRequests.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'image/jpeg' }).end('internal secret');
    });
    await new Promise<void>((resolve) => inside.listen(0, '127.0.0.1', resolve));
    insideUrl = `127.0.0.1:${(inside.address() as AddressInfo).port}`;
    t = await TestApp.start({ ALLOW_PRIVATE_NETWORK_TARGETS: 'false' });
    db = t.app.get(DataSource);
    store = await t.createTenant();
    const META = `mutation($input: ConnectMetaInput!) { connectMetaChannel(input: $input) { id kind webhookPath } }`;
    channels = {
      INSTAGRAM: (await t.gqlOk(store.key, META, { input: { kind: 'INSTAGRAM', accountId: IG_ACCOUNT, accessToken: TOKEN, appSecret: 'meta-app-secret', verifyToken: 'ig-verify-token' } }))
        .connectMetaChannel,
      MESSENGER: (await t.gqlOk(store.key, META, { input: { kind: 'MESSENGER', accountId: PAGE, accessToken: TOKEN, appSecret: 'meta-app-secret', verifyToken: 'fb-verify-token' } }))
        .connectMetaChannel,
    };
  });
  afterAll(async () => {
    await t.close();
    await new Promise((resolve) => inside.close(resolve));
  });

  const withImage = (object: 'instagram' | 'page', account: string, mid: string, url: string) => ({
    object,
    entry: [
      {
        id: account,
        time: Date.now(),
        messaging: [{ sender: { id: '6543210900000001' }, recipient: { id: account }, timestamp: Date.now(), message: { mid, attachments: [{ type: 'image', payload: { url } }] } }],
      },
    ],
  });

  it('are not fetched when they point inside: the attachment records why, and there is nothing to download', async () => {
    const sent: Array<[keyof typeof channels, string, string, string]> = [
      ['INSTAGRAM', IG_ACCOUNT, 'ig_media_loopback', `http://${insideUrl}/admin/secret.jpg`],
      ['MESSENGER', PAGE, 'fb_media_localhost', `http://localhost:${insideUrl.split(':')[1]}/admin/secret.jpg`],
      ['MESSENGER', PAGE, 'fb_media_mapped', `http://[::ffff:${insideUrl.split(':')[0]}]:${insideUrl.split(':')[1]}/admin/secret.jpg`],
      ['INSTAGRAM', IG_ACCOUNT, 'ig_media_metadata', 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'],
    ];
    for (const [kind, account, mid, url] of sent) {
      const raw = JSON.stringify(withImage(kind === 'INSTAGRAM' ? 'instagram' : 'page', account, mid, url));
      const answer = await t.http.post(channels[kind].webhookPath).set('content-type', 'application/json').set('x-hub-signature-256', metaSignature(raw, 'meta-app-secret')).send(raw);
      expect(answer.status).toBe(200);
    }
    const attachmentOf = async (mid: string) =>
      (await db.query(`SELECT a.id, a.fetch_error, a.content FROM message_attachments a JOIN messages m ON m.tenant_id = a.tenant_id AND m.id = a.message_id WHERE m.external_id = $1`, [mid]))[0];
    await eventuallyPasses(async () => {
      expect((await attachmentOf('ig_media_loopback')).fetch_error).toBe('Refused to connect to 127.0.0.1: not on the public internet (loopback)');
      expect((await attachmentOf('fb_media_localhost')).fetch_error).toBe('Refused to connect to localhost: a name for this machine or a local network');
      expect((await attachmentOf('fb_media_mapped')).fetch_error).toBe('Refused to connect to [::ffff:7f00:1]: not on the public internet (loopback, as IPv4 inside IPv6)');
      expect((await attachmentOf('ig_media_metadata')).fetch_error).toBe('Refused to connect to 169.254.169.254: not on the public internet (link-local)');
    });
    expect(insideRequests).toEqual([]);

    const refused = await attachmentOf('ig_media_loopback');
    expect(refused.content).toBeNull();
    const download = await t.http.get(`/api/v1/attachments/${refused.id}`).set('authorization', `Bearer ${store.key}`);
    expect(download.status).toBe(404);
    expect(download.text).not.toContain('internal secret');
  });
});
