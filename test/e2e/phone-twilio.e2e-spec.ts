import { DataSource } from 'typeorm';
import { callSid, formBody, twilioCallStatus, twilioSign } from '../fakes/twilio-voice';
import { CREATE_TICKET, TestApp, TestTenant } from './helpers/test-app';

const PUBLIC_URL = 'https://rida.example.sa';
const ACCOUNT = 'AC5ef8732a3c49700934481addd5ce1659';
const AUTH_TOKEN = '9f1c2e7ab04d4c8f8e2b6a1d3c5e7f90';
const CONNECT = `mutation($input: ConnectTwilioInput!) { connectTwilio(input: $input) { id kind name accountId displayName webhookPath webhookUrl } }`;
const TICKET = `query($id: ID!) { ticket(id: $id) { id channel priority tags sla { policyName }
  calls { direction outcome fromNumber toNumber durationSeconds recordingUrl provider providerCallId startedAt endedAt }
  messages { body authorType internal channel } } }`;

describe('Twilio Voice status callbacks', () => {
  let t: TestApp;
  let store: TestTenant;
  let db: DataSource;
  let channel: { id: string; webhookPath: string; webhookUrl: string };

  beforeAll(async () => {
    t = await TestApp.start({ PUBLIC_URL });
    db = t.app.get(DataSource);
    store = await t.createTenant();
    channel = (await t.gqlOk(store.key, CONNECT, { input: { accountSid: ACCOUNT, authToken: AUTH_TOKEN, phoneNumber: '+966 11 234 5678' } })).connectTwilio;
  });
  afterAll(() => t.close());

  /** What Twilio does: POST the form to the URL configured in its console, signed over that exact URL. */
  const post = (params: Record<string, string>, options: { token?: string; signedUrl?: string; path?: string } = {}) =>
    t.http
      .post(options.path ?? channel.webhookPath)
      .set('content-type', 'application/x-www-form-urlencoded')
      .set('x-twilio-signature', twilioSign(options.signedUrl ?? `${PUBLIC_URL}${options.path ?? channel.webhookPath}`, params, options.token ?? AUTH_TOKEN))
      .send(formBody(params));
  const callsOf = async (sid: string) => Number((await db.query(`SELECT count(*) FROM calls WHERE provider = 'twilio' AND provider_call_id = $1`, [sid]))[0].count);
  const ticketOfCall = async (sid: string) => {
    const [row] = await db.query(`SELECT ticket_id FROM calls WHERE provider = 'twilio' AND provider_call_id = $1`, [sid]);
    return (await t.gqlOk(store.key, TICKET, { id: row.ticket_id })).ticket;
  };

  it('connects an account: the Auth Token stays hidden and the webhook URL to paste in Twilio is given', async () => {
    expect(channel).toMatchObject({ kind: 'TWILIO', accountId: ACCOUNT, displayName: '+966 11 234 5678', name: 'Twilio +966 11 234 5678', webhookPath: `/webhooks/twilio/${channel.id}/voice` });
    expect(channel.webhookUrl).toBe(`${PUBLIC_URL}/webhooks/twilio/${channel.id}/voice`);
    expect((await t.gqlOk(store.key, `{ messagingChannels(kind: TWILIO) { id } }`)).messagingChannels).toEqual([{ id: channel.id }]);
    const bad = await t.gql(store.key, CONNECT, { input: { accountSid: 'not-a-sid', authToken: AUTH_TOKEN } });
    expect(bad.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a wrong, missing or other-URL signature with 401 and logs nothing', async () => {
    const params = twilioCallStatus(ACCOUNT, { CallDuration: '30', From: '+966500000009' });
    expect((await post(params, { token: 'another-accounts-auth-token-000' })).status).toBe(401);
    expect((await post(params, { signedUrl: `http://localhost${channel.webhookPath}` })).status).toBe(401);
    expect((await post({ ...params, CallDuration: '31' }, {}).set('x-twilio-signature', twilioSign(`${PUBLIC_URL}${channel.webhookPath}`, params, AUTH_TOKEN))).status).toBe(401);
    const unsigned = await t.http.post(channel.webhookPath).set('content-type', 'application/x-www-form-urlencoded').send(formBody(params));
    expect(unsigned.status).toBe(401);
    expect(await callsOf(params.CallSid)).toBe(0);
    expect((await post(params, { path: '/webhooks/twilio/00000000-0000-0000-0000-000000000000/voice' })).status).toBe(404);
  });

  it("an answered call lands on the caller's open ticket and Twilio gets an empty TwiML answer", async () => {
    const open = (await t.gqlOk(store.key, CREATE_TICKET, { input: { subject: 'استفسار عن طلب', body: 'طلبي متأخر', channel: 'WHATSAPP', customer: { whatsapp: '966501234567', name: 'سارة' } } }))
      .createTicket;
    const params = twilioCallStatus(ACCOUNT, {
      From: '+966501234567',
      CallDuration: '192',
      Timestamp: 'Wed, 25 Nov 2026 06:18:12 +0000',
      RecordingUrl: 'https://api.twilio.com/2010-04-01/Accounts/AC5ef8732a3c49700934481addd5ce1659/Recordings/RE557ce644e5ab84fa21cc21112e22c485',
    });
    const res = await post(params);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    expect(res.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');

    const ticket = await ticketOfCall(params.CallSid);
    expect(ticket.id).toBe(open.id);
    expect(ticket.calls).toEqual([
      {
        direction: 'INBOUND',
        outcome: 'ANSWERED',
        fromNumber: '+966501234567',
        toNumber: '+966112345678',
        durationSeconds: 192,
        recordingUrl: params.RecordingUrl,
        provider: 'twilio',
        providerCallId: params.CallSid,
        startedAt: '2026-11-25T06:15:00.000Z',
        endedAt: '2026-11-25T06:18:12.000Z',
      },
    ]);
    expect(ticket.messages.at(-1)).toEqual({ body: '📞 مكالمة واردة من العميل (3 د 12 ث)', authorType: 'SYSTEM', internal: true, channel: 'PHONE' });
  });

  it('a missed call from a new number opens a PHONE call-back ticket with its own SLA', async () => {
    const params = twilioCallStatus(ACCOUNT, { From: '+966555123456', CallStatus: 'no-answer', CallDuration: '0' });
    expect((await post(params)).status).toBe(200);
    const ticket = await ticketOfCall(params.CallSid);
    expect(ticket).toMatchObject({ channel: 'PHONE', priority: 'HIGH', tags: ['call-back'], sla: { policyName: 'معاودة الاتصال — Call-backs after a missed call' } });
    expect(ticket.calls).toMatchObject([{ outcome: 'MISSED', fromNumber: '+966555123456', durationSeconds: 0 }]);
    expect(ticket.messages[0].body).toBe('📞 مكالمة فائتة من العميل — يرجى معاودة الاتصال');
  });

  it('the same CallSid sent again, or twice at once, is one call', async () => {
    const params = twilioCallStatus(ACCOUNT, { From: '+966544332211', CallStatus: 'busy' });
    const answers = await Promise.all([post(params), post(params)]);
    expect((await post(params)).status).toBe(200);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(await callsOf(params.CallSid)).toBe(1);
    const ticket = await ticketOfCall(params.CallSid);
    expect(ticket.messages).toHaveLength(1);
    const [{ received_count }] = await db.query(`SELECT received_count FROM messaging_channels WHERE id = $1`, [channel.id]);
    expect(received_count).toBe(3); // the answered, the missed and this one
  });

  it('a correctly signed callback naming another account, or a call still ringing, is answered 200 and not logged', async () => {
    const before = Number((await db.query(`SELECT count(*) FROM calls WHERE tenant_id = $1`, [store.id]))[0].count);
    const otherAccount = twilioCallStatus('AC00000000000000000000000000000001', { From: '+966533221100', CallStatus: 'no-answer' });
    const ringing = twilioCallStatus(ACCOUNT, { From: '+966533221100', CallStatus: 'ringing', CallSid: callSid() });
    const browserLeg = twilioCallStatus(ACCOUNT, { From: 'client:agent-noura', Direction: 'outbound-api', To: 'client:agent-noura' });
    for (const params of [otherAccount, ringing, browserLeg]) {
      const res = await post(params);
      expect([res.status, res.text]).toEqual([200, '<?xml version="1.0" encoding="UTF-8"?><Response/>']);
    }
    expect(Number((await db.query(`SELECT count(*) FROM calls WHERE tenant_id = $1`, [store.id]))[0].count)).toBe(before);
  });

  it('a rotated Auth Token is the only one accepted', async () => {
    const rotated = 'b7e2d9c4a1f04e6f9a3c8b5d2e1f0a77';
    await t.gqlOk(store.key, `mutation($id: ID!, $token: String!) { updateMessagingChannel(id: $id, input: { appSecret: $token }) { id } }`, { id: channel.id, token: rotated });
    const params = twilioCallStatus(ACCOUNT, { From: '+966551234000', CallDuration: '20' });
    expect((await post(params)).status).toBe(401);
    expect((await post(params, { token: rotated })).status).toBe(200);
    expect(await callsOf(params.CallSid)).toBe(1);
    await t.gqlOk(store.key, `mutation($id: ID!, $token: String!) { updateMessagingChannel(id: $id, input: { appSecret: $token }) { id } }`, { id: channel.id, token: AUTH_TOKEN });
  });

  it('the signed URL includes the query string Twilio was given; a disconnected account is refused', async () => {
    const path = `${channel.webhookPath}?store=rose`;
    const params = twilioCallStatus(ACCOUNT, { From: '+966559876543', CallDuration: '12' });
    expect((await post(params, { path })).status).toBe(200);
    expect(await callsOf(params.CallSid)).toBe(1);

    await t.gqlOk(store.key, `mutation($id: ID!) { updateMessagingChannel(id: $id, input: { active: false }) { id } }`, { id: channel.id });
    const later = twilioCallStatus(ACCOUNT, { From: '+966559876543', CallDuration: '12' });
    expect((await post(later)).status).toBe(403);
    expect(await callsOf(later.CallSid)).toBe(0);
  });
});
