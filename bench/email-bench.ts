/**
 * `npm run bench:email`: ingestion from a real Dovecot mailbox of BENCH_EMAILS (5 000) messages —
 * fetch, parse, dedupe, thread, create the ticket (routing, SLA, audit), attachments, \Seen and
 * checkpoint, one message at a time as production does. Needs Dovecot (dovecot-imapd) installed;
 * uses a throwaway embedded PostgreSQL unless BENCH_DATABASE_URL is set.
 */
import 'reflect-metadata';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { TestImapServer } from '../test/e2e/helpers/mail-servers';
import { APP_SCHEMA } from '../src/app-schema';
import { AuthService } from '../src/auth/auth.service';
import { EmailIngestService } from '../src/channels/email/email-ingest.service';
import { MailboxesService } from '../src/channels/email/mailboxes.service';
import { loadConfig } from '../src/common/config/app-config';
import { makeThrowawayDir, startEmbeddedPostgres } from '../src/common/database/embedded-postgres';
import { runMigrations } from '../src/common/database/typeorm-options';
import { systemContext } from '../src/common/request-context';
import { createApp } from '../src/create-app';

const COUNT = Number(process.env.BENCH_EMAILS ?? 5000);
const SUBJECTS = ['تأخر الشحن', 'استرجاع مبلغ', 'الدفع لم يكتمل', 'استفسار عن مقاس', 'المنتج وصل تالف'];

async function main() {
  const dir = process.env.BENCH_DATABASE_URL ? undefined : makeThrowawayDir('rida-bench-email-');
  const embedded = dir ? await startEmbeddedPostgres({ dataDir: join(dir, 'postgres'), port: 5497 }) : undefined;
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? embedded!.url;
  const imap = await TestImapServer.start();
  try {
    await runMigrations(databaseUrl, APP_SCHEMA);
    console.log(`Appending ${COUNT} messages to a Dovecot mailbox…`);
    const messages = Array.from({ length: COUNT }, (_, i) =>
      [
        `From: =?UTF-8?B?${Buffer.from(`عميل ${i % 1500}`).toString('base64')}?= <customer${i % 1500}@bench.test>`,
        'To: support@alward.test',
        `Subject: =?UTF-8?B?${Buffer.from(`${SUBJECTS[i % SUBJECTS.length]} ${i}`).toString('base64')}?=`,
        `Message-ID: <bench-${i}@bench.test>`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=UTF-8',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from(`السلام عليكم، رقم الطلب ${10000 + i}. ${SUBJECTS[i % SUBJECTS.length]}، أرجو المساعدة.`).toString('base64'),
      ].join('\r\n'),
    );
    await imap.append(...messages);

    const config = loadConfig({
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
      SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
      EMAIL_POLL_INTERVAL_SECONDS: '0',
      SLA_SWEEP_INTERVAL_SECONDS: '0',
    });
    const app = await createApp({ config, databaseUrl });
    await app.init();
    try {
      const tenant = await app.get(AuthService).createTenant({ name: 'متجر البريد', slug: `email-${Date.now()}` });
      const mailbox = await app.get(MailboxesService).create(systemContext(tenant.id, 'Asia/Riyadh'), {
        name: 'دعم متجر البريد',
        address: 'support@alward.test',
        imapHost: '127.0.0.1',
        imapPort: imap.port,
        imapSecurity: 'NONE' as never,
        imapUser: imap.user,
        imapPassword: imap.password,
        smtpHost: '127.0.0.1',
        autoAcknowledge: 'OFF' as never,
      });
      const started = process.hrtime.bigint();
      const outcomes = await app.get(EmailIngestService).poll(mailbox.id);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const created = outcomes.filter((o) => o === 'CREATED').length;
      console.table([{ messages: outcomes.length, 'tickets created': created, seconds: Number(seconds.toFixed(1)), 'messages/s': Math.round(outcomes.length / seconds) }]);
      if (outcomes.length !== COUNT) throw new Error(`ingested ${outcomes.length} of ${COUNT}`);
    } finally {
      await app.close();
    }
  } finally {
    imap.stop();
    await embedded?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
