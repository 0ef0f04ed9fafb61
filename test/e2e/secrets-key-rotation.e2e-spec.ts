import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { EmailIngestService } from '../../src/channels/email/email-ingest.service';
import { metaSignature } from '../../src/channels/messaging/platform-signatures';
import { resealSecrets } from '../../src/channels/reseal-secrets';
import { AllStores } from '../../src/common/database/all-stores';
import { TenantTransactions } from '../../src/common/database/tenant-transactions';
import { SecretBox } from '../../src/common/crypto/secret-box';
import { waContact, waText, waWebhook, wamid } from '../fakes/whatsapp-payloads';
import { TestImapServer } from './helpers/mail-servers';
import { arabicTicket, CREATE_TICKET, eventuallyPasses, TestApp, TestTenant } from './helpers/test-app';

const OLD_KEY = randomBytes(32).toString('base64');
const NEW_KEY = randomBytes(32).toString('base64');
const APP_SECRET = 'whatsapp-app-secret-rotation';
const PHONE_NUMBER_ID = '106540352249999';
const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/email', name));
const STATUS = `{ mailboxes { id lastError } messagingChannels { id lastError } }`;

/**
 * The server restarted with another SECRETS_KEY: secrets sealed under the old one fail only their
 * own mailbox or channel, the old key in SECRETS_KEY_PREVIOUS opens them again, and the re-seal
 * moves them to the new key so the old one can go.
 */
describe('rotating SECRETS_KEY', () => {
  let imap: TestImapServer;
  let databaseUrl: string;
  let store: TestTenant;
  let other: TestTenant;
  let mailboxId: string;
  let webhookPath: string;
  let running: TestApp | undefined;

  const start = async (env: Record<string, string>) => {
    await running?.close();
    running = await TestApp.start(env, undefined, databaseUrl);
    return running;
  };
  const postWhatsApp = (t: TestApp, text: string) => {
    const raw = JSON.stringify(waWebhook({ phoneNumberId: PHONE_NUMBER_ID }, { contacts: [waContact('966501112233', 'ريم')], messages: [waText('966501112233', text, { id: wamid() })] }));
    return t.http.post(webhookPath).set('content-type', 'application/json').set('x-hub-signature-256', metaSignature(raw, APP_SECRET)).send(raw);
  };

  beforeAll(async () => {
    imap = await TestImapServer.start();
    const first = await TestApp.start({ SECRETS_KEY: OLD_KEY });
    running = first;
    databaseUrl = first.databaseUrl;
    store = await first.createTenant();
    other = await first.createTenant('متجر آخر');
    mailboxId = (
      await first.gqlOk(store.key, `mutation($input: CreateMailboxInput!) { createMailbox(input: $input) { id } }`, {
        input: {
          name: 'دعم متجر الورد',
          address: 'support@alward.test',
          imapHost: '127.0.0.1',
          imapPort: imap.port,
          imapSecurity: 'NONE',
          imapUser: imap.user,
          imapPassword: imap.password,
          smtpHost: '127.0.0.1',
          smtpPort: 2525,
          smtpSecurity: 'NONE',
          smtpUser: 'relay',
          smtpPassword: 'smtp-password-1',
          autoAcknowledge: 'OFF',
        },
      })
    ).createMailbox.id;
    webhookPath = (
      await first.gqlOk(store.key, `mutation($input: ConnectWhatsAppInput!) { connectWhatsApp(input: $input) { webhookPath } }`, {
        input: { phoneNumberId: PHONE_NUMBER_ID, displayPhoneNumber: '+966 11 234 9999', accessToken: 'EAAG-rotation-token', appSecret: APP_SECRET, verifyToken: 'verify-rotation' },
      })
    ).connectWhatsApp.webhookPath;
  }, 60_000);
  afterAll(async () => {
    await running?.close();
    imap?.stop();
  });

  it('starts with only a new key: that mailbox and channel say the key does not match, every other store is served', async () => {
    const t = await start({ SECRETS_KEY: NEW_KEY, EMAIL_IDLE: 'true' });

    const created = (await t.gqlOk(other.key, CREATE_TICKET, { input: arabicTicket(1) })).createTicket;
    expect(created.number).toBeGreaterThan(0);
    expect((await t.gqlOk(store.key, `{ currentTenant { id } }`)).currentTenant.id).toBe(store.id);

    // The watcher finds the unreadable password on start, without any poll.
    await eventuallyPasses(async () => {
      const { mailboxes } = await t.gqlOk(store.key, STATUS);
      expect(mailboxes).toEqual([{ id: mailboxId, lastError: expect.stringMatching(/^IMAP password: SECRETS_KEY does not match/) }]);
    });
    await t.app.get(DataSource).query(`UPDATE mailboxes SET last_error = NULL WHERE id = $1`, [mailboxId]);
    expect(await t.app.get(EmailIngestService).poll(mailboxId)).toEqual([]);
    expect((await t.gqlOk(store.key, STATUS)).mailboxes[0].lastError).toMatch(/SECRETS_KEY does not match/);

    const refused = await postWhatsApp(t, 'رسالة أثناء تغيير المفتاح');
    expect(refused.status).toBe(503); // the platform retries later
    expect((await t.gqlOk(store.key, STATUS)).messagingChannels[0].lastError).toMatch(/SECRETS_KEY does not match/);
  });

  it('opens the old secrets again with the old key in SECRETS_KEY_PREVIOUS', async () => {
    const t = await start({ SECRETS_KEY: NEW_KEY, SECRETS_KEY_PREVIOUS: OLD_KEY });
    await imap.append(fixture('new-windows-1256.eml'));
    expect(await t.app.get(EmailIngestService).poll(mailboxId)).toEqual(['CREATED']);
    expect((await postWhatsApp(t, 'السلام عليكم، وين طلبي؟')).status).toBe(200);
    expect(await t.gqlOk(store.key, STATUS)).toEqual({ mailboxes: [{ id: mailboxId, lastError: null }], messagingChannels: [{ id: expect.any(String), lastError: null }] });
  });

  it('re-seals every secret under the new key, once, so the old key can be dropped', async () => {
    const t = running!;
    const box = t.app.get(SecretBox);
    expect(await resealSecrets({ allStores: t.app.get(AllStores), tenants: t.app.get(TenantTransactions) }, box)).toEqual({ resealed: 2, current: 0, unreadable: [] });
    expect(await resealSecrets({ allStores: t.app.get(AllStores), tenants: t.app.get(TenantTransactions) }, box)).toEqual({ resealed: 0, current: 2, unreadable: [] });

    const after = await start({ SECRETS_KEY: NEW_KEY });
    await imap.append(fixture('html-iso-8859-6-attachment.eml'));
    expect(await after.app.get(EmailIngestService).poll(mailboxId)).toEqual(['CREATED']);
    expect((await postWhatsApp(after, 'شكراً وصل الطلب')).status).toBe(200);
    expect((await after.gqlOk(store.key, STATUS)).mailboxes[0].lastError).toBeNull();
  });
});
