import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AddressInfo, createServer as createNetServer, Server } from 'node:net';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { EmailDeliveryService } from '../../src/channels/email/email-delivery.service';
import { EmailIngestService, MAX_INGEST_ATTEMPTS } from '../../src/channels/email/email-ingest.service';
import { ADD_MESSAGE, eventuallyPasses, TestApp, TestTenant } from './helpers/test-app';
import { TestImapServer, TestSmtpServer } from './helpers/mail-servers';

const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/email', name));
const CREATE_MAILBOX = `mutation($input: CreateMailboxInput!) { createMailbox(input: $input) { id name address imapHost imapPort imapSecurity smtpPort autoAcknowledge active } }`;
const TICKET = `query($id: ID!) { ticket(id: $id) { number subject channel customer { name identities { kind value } }
  messages { body authorType internal externalId deliveryStatus deliveryError } events { type } } }`;

describe('email channel (real IMAP and SMTP servers)', () => {
  let imap: TestImapServer;
  let smtp: TestSmtpServer;
  let t: TestApp;
  let store: TestTenant;
  let mailboxId: string;
  let ingest: EmailIngestService;
  let ds: DataSource;

  const ticketIdByExternal = async (externalId: string): Promise<string> => {
    const [row] = await ds.query(`SELECT ticket_id FROM messages WHERE tenant_id = $1 AND external_id = $2`, [store.id, externalId]);
    return row.ticket_id;
  };
  const ticketCount = async () => (await ds.query(`SELECT count(*)::int AS n FROM tickets WHERE tenant_id = $1`, [store.id]))[0].n;

  beforeAll(async () => {
    imap = await TestImapServer.start();
    smtp = await TestSmtpServer.start();
    t = await TestApp.start(process.env.EMAIL_TEST_LOG ? { LOG_LEVEL: 'warn' } : {}, process.env.EMAIL_TEST_LOG ? ({ write: (line: string) => process.stderr.write(line) } as never) : undefined);
    ds = t.app.get(DataSource);
    ingest = t.app.get(EmailIngestService);
    store = await t.createTenant();
    const { createMailbox } = await t.gqlOk(store.key, CREATE_MAILBOX, {
      input: {
        name: 'دعم متجر الورد',
        address: 'support@alward.test',
        imapHost: '127.0.0.1',
        imapPort: imap.port,
        imapSecurity: 'NONE',
        imapUser: imap.user,
        imapPassword: imap.password,
        smtpHost: '127.0.0.1',
        smtpPort: smtp.port,
        smtpSecurity: 'NONE',
        smtpUser: 'relay',
        smtpPassword: 'smtp-password-1',
        signature: 'فريق دعم متجر الورد',
        autoAcknowledge: 'OFF',
      },
    });
    mailboxId = createMailbox.id;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
    imap?.stop();
  });

  it('connects a mailbox and never returns or stores its passwords in the clear', async () => {
    const { mailboxes } = await t.gqlOk(store.key, `{ mailboxes { id address imapSecurity autoAcknowledge active lastError } }`);
    expect(mailboxes).toEqual([{ id: mailboxId, address: 'support@alward.test', imapSecurity: 'NONE', autoAcknowledge: 'OFF', active: true, lastError: null }]);
    const asked = await t.gql(store.key, `{ mailboxes { imapPassword } }`);
    expect(asked.errors?.[0].extensions.code).toBe('BAD_USER_INPUT'); // no such field
    const [row] = await ds.query(`SELECT imap_password, smtp_password FROM mailboxes WHERE id = $1`, [mailboxId]);
    expect(row.imap_password.includes(Buffer.from(imap.password))).toBe(false);
    expect(row.smtp_password.includes(Buffer.from('smtp-password-1'))).toBe(false);
    const duplicate = await t.gql(store.key, CREATE_MAILBOX, {
      input: { name: 'x', address: 'SUPPORT@alward.test', imapHost: 'h', imapUser: 'u', imapPassword: 'p', smtpHost: 'h' },
    });
    expect(duplicate.errors?.[0].extensions.code).toBe('CONFLICT');
  });

  it('turns new mail into tickets: windows-1256 and ISO-8859-6 Arabic, RFC 2047 headers, HTML to text, attachments', async () => {
    await imap.append(fixture('new-windows-1256.eml'), fixture('html-iso-8859-6-attachment.eml'));
    expect(await ingest.poll(mailboxId)).toEqual(['CREATED', 'CREATED']);

    const sara = (await t.gqlOk(store.key, TICKET, { id: await ticketIdByExternal('<w1256-0001@customer.test>') })).ticket;
    expect(sara).toMatchObject({ subject: 'تأخر الشحن للطلب 8812', channel: 'EMAIL', customer: { name: 'سارة العتيبي', identities: [{ kind: 'EMAIL', value: 'sara@customer.test' }] } });
    expect(sara.messages[0].body).toBe('السلام عليكم،\nطلبت يوم الخميس ولم يصلني الطلب حتى الآن. متى يصل؟\nرقم الطلب 8812');

    const khalidId = await ticketIdByExternal('<html-8859-6-0001@customer.test>');
    const khalid = (await t.gqlOk(store.key, TICKET, { id: khalidId })).ticket;
    expect(khalid.subject).toBe('استرجاع invoice');
    expect(khalid.messages[0].body).toContain('أرجو استرجاع المبلغ،');
    expect(khalid.messages[0].body).toContain('المنتج وصل تالفاً.');
    const attachments = await ds.query(
      `SELECT a.filename, a.content_type, a.size_bytes, a.content FROM message_attachments a JOIN messages m ON m.tenant_id = a.tenant_id AND m.id = a.message_id WHERE m.ticket_id = $1`,
      [khalidId],
    );
    expect(attachments).toEqual([{ filename: 'invoice.pdf', content_type: 'application/pdf', size_bytes: 45, content: expect.any(Buffer) }]);
    expect(attachments[0].content.toString()).toMatch(/^%PDF-1\.4/);
    const { ticket: shown } = await t.gqlOk(store.key, `query($id: ID!) { ticket(id: $id) { messages { attachments { filename contentType sizeBytes } } } }`, { id: khalidId });
    expect(shown.messages[0].attachments).toEqual([{ filename: 'invoice.pdf', contentType: 'application/pdf', sizeBytes: 45 }]);

    expect(await imap.seenState()).toEqual({ seen: [1, 2], unseen: [] });
    expect(await ingest.poll(mailboxId)).toEqual([]); // nothing new
  });

  it('lets staff download an attachment through GET /api/v1/attachments/:id, for their own store only', async () => {
    const { ticket } = await t.gqlOk(store.key, `query($id: ID!) { ticket(id: $id) { messages { attachments { id filename } } } }`, {
      id: await ticketIdByExternal('<html-8859-6-0001@customer.test>'),
    });
    const [{ id }] = ticket.messages[0].attachments;
    const download = (key?: string, attachmentId = id) => {
      const req = t.http.get(`/api/v1/attachments/${attachmentId}`).responseType('blob');
      return key ? req.set('authorization', `Bearer ${key}`) : req;
    };
    const res = await download(store.key);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="invoice.pdf"; filename*=UTF-8''invoice.pdf`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.from(res.body).toString()).toMatch(/^%PDF-1\.4/);
    expect(Buffer.from(res.body)).toHaveLength(45);

    const other = await t.createTenant('متجر آخر للمرفقات');
    expect((await download(other.key)).status).toBe(404); // exists, but in another store
    expect((await download(store.key, '0190a0f1-0000-7000-8000-000000000000')).status).toBe(404);
    expect((await download(store.key, 'not-an-id')).status).toBe(400);
    expect((await download()).status).toBe(401);
  });

  it('leaves auto-replies and bounces alone: no ticket, no answer', async () => {
    const before = await ticketCount();
    await imap.append(fixture('auto-reply.eml'), fixture('bounce.eml'));
    expect(await ingest.poll(mailboxId)).toEqual(['IGNORED', 'IGNORED']);
    expect(await ticketCount()).toBe(before);
    const { mailboxes } = await t.gqlOk(store.key, `{ mailboxes { ingestedCount ignoredCount } }`);
    expect(mailboxes[0]).toEqual({ ingestedCount: 2, ignoredCount: 2 });
  });

  it('sends an agent reply threaded from the mailbox, and files the customer answer on the same ticket', async () => {
    const ticketId = await ticketIdByExternal('<w1256-0001@customer.test>');
    await t.gqlOk(store.key, ADD_MESSAGE, { input: { ticketId, body: 'أهلاً سارة، طلبك مع شركة الشحن وسيصلك غداً بإذن الله.', authorType: 'AGENT', internal: false } });
    await eventuallyPasses(async () => expect(smtp.received).toHaveLength(1), 15_000);
    const sent = smtp.received[0];
    const { ticket } = await t.gqlOk(store.key, TICKET, { id: ticketId });
    const reply = ticket.messages[1];
    expect(sent.envelopeTo).toEqual(['sara@customer.test']);
    expect(smtp.logins).toContainEqual({ user: 'relay', password: 'smtp-password-1' }); // the sealed password, opened to send
    expect(sent.mail.from?.value[0]).toEqual({ name: 'دعم متجر الورد', address: 'support@alward.test' });
    expect(sent.mail.subject).toBe(`Re: تأخر الشحن للطلب 8812 [#${ticket.number}]`);
    expect(sent.mail.messageId).toBe(reply.externalId);
    expect(reply.externalId).toMatch(/^<[0-9a-f-]{36}@alward\.test>$/);
    expect(sent.mail.inReplyTo).toBe('<w1256-0001@customer.test>');
    expect(sent.mail.references).toBe('<w1256-0001@customer.test>');
    expect(sent.mail.text).toContain('طلبك مع شركة الشحن');
    expect(sent.mail.text).toContain('فريق دعم متجر الورد');
    await eventuallyPasses(async () => {
      const { ticket: after } = await t.gqlOk(store.key, TICKET, { id: ticketId });
      expect(after.messages[1]).toMatchObject({ deliveryStatus: 'SENT', deliveryError: null });
    });

    // The customer answers from her mail client: threaded by In-Reply-To, quoted history trimmed.
    const answer = `From: Sara <sara@customer.test>\r\nTo: support@alward.test\r\nSubject: Re: =?UTF-8?B?${Buffer.from('تأخر الشحن').toString('base64')}?=\r\nMessage-ID: <answer-0001@customer.test>\r\nIn-Reply-To: ${reply.externalId}\r\nReferences: <w1256-0001@customer.test> ${reply.externalId}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nشكراً، وصل الطلب اليوم.\r\n\r\nOn Tue, 24 Nov 2026, دعم متجر الورد <support@alward.test> wrote:\r\n> أهلاً سارة، طلبك مع شركة الشحن\r\n`;
    await imap.append(answer);
    expect(await ingest.poll(mailboxId)).toEqual(['REPLY']);
    const { ticket: threaded } = await t.gqlOk(store.key, TICKET, { id: ticketId });
    expect(threaded.messages.map((m: { body: string; authorType: string }) => [m.authorType, m.body]).slice(2)).toEqual([['CUSTOMER', 'شكراً، وصل الطلب اليوم.']]);
  });

  it('files a reply by the [#number] in its subject when headers were lost, but only from the ticket’s own customer', async () => {
    const ticketId = await ticketIdByExternal('<w1256-0001@customer.test>');
    const { ticket } = await t.gqlOk(store.key, TICKET, { id: ticketId });
    const mail = (from: string, id: string) =>
      `From: ${from}\r\nTo: support@alward.test\r\nSubject: Re: [#${ticket.number}]\r\nMessage-ID: <${id}@customer.test>\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nمتابعة\r\n`;
    await imap.append(mail('sara@customer.test', 'token-1'), mail('stranger@elsewhere.test', 'token-2'));
    expect(await ingest.poll(mailboxId)).toEqual(['REPLY', 'CREATED']);
    expect(await ticketIdByExternal('<token-1@customer.test>')).toBe(ticketId);
    expect(await ticketIdByExternal('<token-2@customer.test>')).not.toBe(ticketId);
  });

  it('never stores a message twice: the same Message-ID, or the same content without one', async () => {
    const before = await ticketCount();
    await imap.append(fixture('new-windows-1256.eml'), fixture('no-message-id.eml'), fixture('no-message-id.eml'));
    expect(await ingest.poll(mailboxId)).toEqual(['DUPLICATE', 'CREATED', 'DUPLICATE']);
    expect(await ticketCount()).toBe(before + 1);
  });

  it('loses nothing and duplicates nothing when the process dies between commit and checkpoint', async () => {
    const before = await ticketCount();
    const raw = (n: number) =>
      `From: Fahad <fahad@customer.test>\r\nTo: support@alward.test\r\nSubject: crash ${n}\r\nMessage-ID: <crash-${n}@customer.test>\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nرسالة ${n}\r\n`;
    await imap.append(raw(1), raw(2), raw(3));
    const [{ last_uid: checkpoint }] = await ds.query(`SELECT last_uid FROM mailboxes WHERE id = $1`, [mailboxId]);
    let committed = 0;
    await expect(
      ingest.poll(mailboxId, {
        afterCommit: () => {
          if (++committed === 2) throw new Error('killed after the second commit');
        },
      }),
    ).rejects.toThrow('killed');
    const [{ last_uid: afterCrash }] = await ds.query(`SELECT last_uid FROM mailboxes WHERE id = $1`, [mailboxId]);
    expect(Number(afterCrash)).toBe(Number(checkpoint) + 1); // the second message is committed but not checkpointed
    expect(await ingest.poll(mailboxId)).toEqual(['DUPLICATE', 'CREATED']);
    expect(await ticketCount()).toBe(before + 3);
    expect((await imap.seenState()).unseen).toEqual([]);
  });

  it('keeps the mailbox, attachments and acknowledgement of a message whose poll died right after its commit, and acknowledges once', async () => {
    await t.gqlOk(store.key, `mutation($id: ID!) { updateMailbox(id: $id, input: { autoAcknowledge: ALWAYS }) { autoAcknowledge } }`, { id: mailboxId });
    const sentBefore = smtp.received.length;
    await imap.append(
      `From: Majed <majed@customer.test>\r\nTo: support@alward.test\r\nSubject: receipt\r\nMessage-ID: <crash-ack@customer.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nأرفقت الإيصال\r\n--b1\r\nContent-Type: text/plain; name="receipt.txt"\r\nContent-Disposition: attachment; filename="receipt.txt"\r\n\r\nreceipt 42\r\n--b1--\r\n`,
    );
    await expect(
      ingest.poll(mailboxId, {
        afterCommit: () => {
          throw new Error('killed right after the commit');
        },
      }),
    ).rejects.toThrow('killed');

    // Everything landed with the message: nothing was left for after the commit.
    const [message] = await ds.query(`SELECT id, ticket_id, mailbox_id FROM messages WHERE tenant_id = $1 AND external_id = '<crash-ack@customer.test>'`, [store.id]);
    expect(message.mailbox_id).toBe(mailboxId);
    expect(await ds.query(`SELECT filename, convert_from(content, 'UTF8') AS content FROM message_attachments WHERE message_id = $1`, [message.id])).toEqual([
      { filename: 'receipt.txt', content: 'receipt 42' },
    ]);
    await eventuallyPasses(async () => expect(smtp.received.length).toBe(sentBefore + 1), 15_000);
    expect(smtp.received[sentBefore].envelopeTo).toEqual(['majed@customer.test']);
    expect(smtp.received[sentBefore].mail.headers.get('auto-submitted')).toBe('auto-replied');

    expect(await ingest.poll(mailboxId)).toEqual(['DUPLICATE']);
    // The acknowledgement job run again (a retry after a crash) writes nothing more.
    await ingest.acknowledge({ data: { tenantId: store.id, mailboxId, ticketId: message.ticket_id } } as never);
    const acks = await ds.query(`SELECT count(*)::int AS n FROM messages WHERE ticket_id = $1 AND author_type = 'SYSTEM' AND NOT internal`, [message.ticket_id]);
    expect(acks[0].n).toBe(1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(smtp.received.length).toBe(sentBefore + 1);
    await t.gqlOk(store.key, `mutation($id: ID!) { updateMailbox(id: $id, input: { autoAcknowledge: OFF }) { autoAcknowledge } }`, { id: mailboxId });
  });

  it('acknowledges a new conversation in the customer’s language with the expected reply time', async () => {
    await t.gqlOk(store.key, `mutation($id: ID!) { updateMailbox(id: $id, input: { autoAcknowledge: ALWAYS }) { autoAcknowledge } }`, { id: mailboxId });
    const sentBefore = smtp.received.length;
    await imap.append(
      `From: Reem <reem@customer.test>\r\nTo: support@alward.test\r\nSubject: =?UTF-8?B?${Buffer.from('استفسار عن الدفع').toString('base64')}?=\r\nMessage-ID: <ack-0001@customer.test>\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nهل يمكن الدفع عند الاستلام؟\r\n`,
    );
    expect(await ingest.poll(mailboxId)).toEqual(['CREATED']);
    await eventuallyPasses(async () => expect(smtp.received.length).toBe(sentBefore + 1), 15_000);
    const ack = smtp.received[sentBefore].mail;
    expect(ack.headers.get('auto-submitted')).toBe('auto-replied');
    expect(ack.inReplyTo).toBe('<ack-0001@customer.test>');
    expect(ack.text).toMatch(/^شكراً لتواصلك مع دعم متجر الورد\. استلمنا رسالتك برقم #\d+ وسنرد عليك قبل .+\.\n*$/);
    const { ticket } = await t.gqlOk(store.key, TICKET, { id: await ticketIdByExternal('<ack-0001@customer.test>') });
    expect(ticket.messages[1]).toMatchObject({ authorType: 'SYSTEM', internal: false });
    await t.gqlOk(store.key, `mutation($id: ID!) { updateMailbox(id: $id, input: { autoAcknowledge: OFF }) { autoAcknowledge } }`, { id: mailboxId });
  });

  it('reports a permanent delivery failure on the message and the ticket', async () => {
    smtp.refuseWith = { code: 550, message: 'mailbox unavailable' };
    const ticketId = await ticketIdByExternal('<crash-1@customer.test>');
    await t.gqlOk(store.key, ADD_MESSAGE, { input: { ticketId, body: 'تم شحن طلبك', authorType: 'AGENT', internal: false } });
    await eventuallyPasses(async () => {
      const { ticket } = await t.gqlOk(store.key, TICKET, { id: ticketId });
      expect(ticket.messages[1]).toMatchObject({ deliveryStatus: 'FAILED', deliveryError: expect.stringContaining('mailbox unavailable') });
      expect(ticket.events.map((e: { type: string }) => e.type)).toContain('DELIVERY_FAILED');
      expect(ticket.messages.at(-1)).toMatchObject({ authorType: 'SYSTEM', internal: true });
    }, 15_000);
    smtp.refuseWith = undefined;
  });

  it('sets aside a message that fails on every try, keeps it whole and flagged, and reads on past it', async () => {
    // A Message-ID too long for the database's index: the insert fails however often it is tried.
    const huge = `<${randomBytes(2400).toString('base64')}@customer.test>`;
    const poison = `From: Huda <huda@customer.test>\r\nTo: support@alward.test\r\nSubject: poison\r\nMessage-ID: ${huge}\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nرسالة لا تدخل\r\n`;
    const after = `From: Huda <huda@customer.test>\r\nTo: support@alward.test\r\nSubject: after\r\nMessage-ID: <after-poison@customer.test>\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nرسالة بعدها\r\n`;
    await imap.append(poison, after);
    const MAILBOX = `{ mailboxes { id failedCount lastError } }`;
    for (let attempt = 1; attempt < MAX_INGEST_ATTEMPTS; attempt++) {
      expect(await ingest.poll(mailboxId)).toEqual([]); // the poll stops at it, to try again
      expect((await t.gqlOk(store.key, MAILBOX)).mailboxes[0]).toMatchObject({ failedCount: 0, lastError: expect.stringMatching(/index row/) });
    }
    expect(await ingest.poll(mailboxId)).toEqual(['FAILED', 'CREATED']);
    expect((await t.gqlOk(store.key, MAILBOX)).mailboxes[0]).toMatchObject({ failedCount: 1, lastError: null });
    const { emailIngestFailures } = await t.gqlOk(store.key, `query($m: ID!) { emailIngestFailures(mailboxId: $m) { id uid subject messageId error } }`, { m: mailboxId });
    expect(emailIngestFailures).toEqual([{ id: expect.any(String), uid: expect.any(String), subject: 'poison', messageId: huge, error: expect.stringMatching(/index row/) }]);
    const [{ raw }] = await ds.query(`SELECT raw FROM email_ingest_failures WHERE id = $1`, [emailIngestFailures[0].id]);
    expect(raw.toString('utf8')).toContain('رسالة لا تدخل');
    expect((await imap.seenState()).unseen).toEqual([Number(emailIngestFailures[0].uid)]);
    expect(await ingest.poll(mailboxId)).toEqual([]);
    const other = await t.createTenant('متجر ثالث');
    expect((await t.gql(other.key, `query($m: ID!) { emailIngestFailures(mailboxId: $m) { id } }`, { m: mailboxId })).errors?.[0].extensions.code).toBe('NOT_FOUND');
  });

  it('reads new mail within a second over IMAP IDLE, without waiting for the poll', async () => {
    const watching = await TestApp.start({ EMAIL_IDLE: 'true' }, undefined, t.databaseUrl);
    try {
      await new Promise((r) => setTimeout(r, 1000)); // connected and idling
      await imap.append(
        `From: Lama <lama@customer.test>\r\nTo: support@alward.test\r\nSubject: idle\r\nMessage-ID: <idle-0001@customer.test>\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nوصلني المنتج بلون مختلف\r\n`,
      );
      await eventuallyPasses(async () => {
        const [row] = await ds.query(`SELECT count(*)::int AS n FROM messages WHERE tenant_id = $1 AND external_id = '<idle-0001@customer.test>'`, [store.id]);
        expect(row.n).toBe(1);
      }, 5000);
    } finally {
      await watching.close();
    }
  });

  describe('a second instance with tight limits (EMAIL_SENDER_CAP_PER_HOUR=3, EMAIL_MAX_ATTACHMENT_BYTES=20) on the same database', () => {
    let limited: TestApp;
    beforeAll(async () => {
      limited = await TestApp.start({ EMAIL_SENDER_CAP_PER_HOUR: '3', EMAIL_MAX_ATTACHMENT_BYTES: '20' }, undefined, t.databaseUrl);
    }, 60_000);
    afterAll(() => limited?.close());

    it('stops a mail loop: beyond the cap a sender opens no ticket and gets no acknowledgement, and every message is kept', async () => {
      await t.gqlOk(store.key, `mutation($id: ID!) { updateMailbox(id: $id, input: { autoAcknowledge: ALWAYS }) { autoAcknowledge } }`, { id: mailboxId });
      const sentBefore = smtp.received.length;
      const loop = (n: number) =>
        `From: Robot <robot@loop.test>\r\nTo: support@alward.test\r\nSubject: ticket ${n} received\r\nMessage-ID: <loop-${n}@loop.test>\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nWe received your message ${n}\r\n`;
      // Two arrive through the first instance (cap 30) ...
      await imap.append(loop(1), loop(2));
      expect(await ingest.poll(mailboxId)).toEqual(['CREATED', 'CREATED']);
      // ... and the capped instance counts them from the database: one more ticket, then none.
      await imap.append(loop(3), loop(4), loop(5), loop(6));
      expect(await limited.app.get(EmailIngestService).poll(mailboxId)).toEqual(['CREATED', 'REPLY', 'REPLY', 'REPLY']);

      const tickets = await ds.query(
        `SELECT t.id, t.tags, (SELECT count(*)::int FROM messages m WHERE m.ticket_id = t.id AND m.author_type = 'CUSTOMER') AS received
           FROM tickets t JOIN customer_identities ci ON ci.tenant_id = t.tenant_id AND ci.customer_id = t.customer_id
          WHERE t.tenant_id = $1 AND ci.value = 'robot@loop.test' ORDER BY t.number`,
        [store.id],
      );
      expect(tickets.map((row: { received: number }) => row.received)).toEqual([1, 1, 4]); // 6 messages kept on 3 tickets
      expect(tickets.map((row: { tags: string[] }) => row.tags.includes('mail-loop'))).toEqual([false, false, true]);
      await eventuallyPasses(async () => expect(smtp.received.length).toBe(sentBefore + 3), 15_000); // one acknowledgement per ticket
      await new Promise((r) => setTimeout(r, 1500));
      expect(smtp.received.slice(sentBefore).map((m) => m.envelopeTo[0])).toEqual(['robot@loop.test', 'robot@loop.test', 'robot@loop.test']);
      const { ticket } = await t.gqlOk(store.key, `query($id: ID!) { ticket(id: $id) { tags events { type } } }`, { id: tickets[2].id });
      expect(ticket.tags.filter((tag: string) => tag === 'mail-loop')).toHaveLength(1);
      await t.gqlOk(store.key, `mutation($id: ID!) { updateMailbox(id: $id, input: { autoAcknowledge: OFF }) { autoAcknowledge } }`, { id: mailboxId });
    });

    it('lists an attachment over EMAIL_MAX_ATTACHMENT_BYTES without its content, saying why', async () => {
      await imap.append(
        `From: Huda <huda@customer.test>\r\nTo: support@alward.test\r\nSubject: photos\r\nMessage-ID: <big-attachment@customer.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b2"\r\n\r\n--b2\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nصور المنتج\r\n--b2\r\nContent-Type: text/plain; name="small.txt"\r\nContent-Disposition: attachment; filename="small.txt"\r\n\r\nsmall\r\n--b2\r\nContent-Type: text/plain; name="big.txt"\r\nContent-Disposition: attachment; filename="big.txt"\r\n\r\n${'x'.repeat(64)}\r\n--b2--\r\n`,
      );
      expect(await limited.app.get(EmailIngestService).poll(mailboxId)).toEqual(['CREATED']);
      const { ticket } = await t.gqlOk(store.key, `query($id: ID!) { ticket(id: $id) { messages { attachments { id filename sizeBytes fetchError } } } }`, {
        id: await ticketIdByExternal('<big-attachment@customer.test>'),
      });
      expect(ticket.messages[0].attachments).toEqual([
        { id: expect.any(String), filename: 'small.txt', sizeBytes: 5, fetchError: null },
        { id: expect.any(String), filename: 'big.txt', sizeBytes: 64, fetchError: 'Larger than EMAIL_MAX_ATTACHMENT_BYTES (64 > 20 bytes): listed, content not kept' },
      ]);
      const stored = await ds.query(
        `SELECT a.filename, a.content IS NOT NULL AS kept FROM message_attachments a JOIN messages m ON m.id = a.message_id WHERE m.external_id = '<big-attachment@customer.test>' ORDER BY filename`,
      );
      expect(stored).toEqual([
        { filename: 'big.txt', kept: false },
        { filename: 'small.txt', kept: true },
      ]);
      const [big] = ticket.messages[0].attachments.filter((a: { filename: string }) => a.filename === 'big.txt');
      const refused = await t.http.get(`/api/v1/attachments/${big.id}`).set('authorization', `Bearer ${store.key}`);
      expect(refused.status).toBe(404);
      expect(JSON.stringify(refused.body)).toContain('Larger than EMAIL_MAX_ATTACHMENT_BYTES');
    });
  });

  describe('a mailbox that logs in with OAuth2 access tokens', () => {
    let oauthStore: TestTenant;
    let oauthMailboxId: string;
    const MAILBOX_STATE = `{ mailboxes { imapAuthMethod smtpAuthMethod lastError lastSendError } }`;
    const mail = (n: number) =>
      `From: Nouf <nouf@customer.test>\r\nTo: oauth@alward.test\r\nSubject: oauth ${n}\r\nMessage-ID: <oauth-${n}@customer.test>\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nرسالة عبر OAuth ${n}\r\n`;
    const updateMailbox = async (input: Record<string, unknown>) =>
      (await t.gqlOk(oauthStore.key, `mutation($id: ID!, $input: UpdateMailboxInput!) { updateMailbox(id: $id, input: $input) { imapAuthMethod smtpAuthMethod } }`, { id: oauthMailboxId, input }))
        .updateMailbox;
    const messageOf = async (externalId: string) => (await ds.query(`SELECT id, ticket_id FROM messages WHERE tenant_id = $1 AND external_id = $2`, [oauthStore.id, externalId]))[0];

    beforeAll(async () => {
      oauthStore = await t.createTenant('متجر OAuth');
      const { createMailbox } = await t.gqlOk(oauthStore.key, CREATE_MAILBOX, {
        input: {
          name: 'دعم OAuth',
          address: imap.oauth.user,
          imapHost: '127.0.0.1',
          imapPort: imap.port,
          imapSecurity: 'NONE',
          imapUser: imap.oauth.user,
          imapAccessToken: imap.oauth.accessToken,
          smtpHost: '127.0.0.1',
          smtpPort: smtp.port,
          smtpSecurity: 'NONE',
          smtpUser: imap.oauth.user,
          smtpAccessToken: smtp.accessToken,
          autoAcknowledge: 'OFF',
        },
      });
      oauthMailboxId = createMailbox.id;
    });

    it('reads mail over IMAP (OAUTHBEARER) and sends the reply over SMTP (XOAUTH2), never returning or storing the tokens in the clear', async () => {
      expect((await t.gqlOk(oauthStore.key, MAILBOX_STATE)).mailboxes).toEqual([{ imapAuthMethod: 'OAUTH2', smtpAuthMethod: 'OAUTH2', lastError: null, lastSendError: null }]);
      expect((await t.gql(oauthStore.key, `{ mailboxes { imapAccessToken } }`)).errors?.[0].extensions.code).toBe('BAD_USER_INPUT'); // no such field
      const [row] = await ds.query(`SELECT imap_password, imap_access_token, smtp_password, smtp_access_token FROM mailboxes WHERE id = $1`, [oauthMailboxId]);
      expect(row).toMatchObject({ imap_password: null, smtp_password: null });
      expect(row.imap_access_token.includes(Buffer.from(imap.oauth.accessToken))).toBe(false);
      expect(row.smtp_access_token.includes(Buffer.from(smtp.accessToken))).toBe(false);
      const base = { name: 'x', address: 'other@alward.test', imapHost: 'h', imapUser: 'u', smtpHost: 'h' };
      for (const input of [base, { ...base, imapPassword: 'p', imapAccessToken: 't' }, { ...base, imapPassword: 'p', smtpAccessToken: 't' }]) {
        expect((await t.gql(oauthStore.key, CREATE_MAILBOX, { input })).errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
      }

      const asked = imap.introspected.length;
      await imap.appendToOauthAccount(mail(1));
      expect(await ingest.poll(oauthMailboxId)).toEqual(['CREATED']);
      expect(imap.introspected.slice(asked)).toContain(imap.oauth.accessToken); // Dovecot really checked the token
      const { ticket_id: ticketId } = await messageOf('<oauth-1@customer.test>');

      const sentBefore = smtp.received.length;
      await t.gqlOk(oauthStore.key, ADD_MESSAGE, { input: { ticketId, body: 'أهلاً نوف، وصلت رسالتك.', authorType: 'AGENT', internal: false } });
      await eventuallyPasses(async () => expect(smtp.received.length).toBe(sentBefore + 1), 15_000);
      expect(smtp.received[sentBefore].envelopeTo).toEqual(['nouf@customer.test']);
      expect(smtp.logins).toContainEqual({ user: imap.oauth.user, accessToken: smtp.accessToken });
    });

    it('shows a refused IMAP token on the mailbox, and reads again once updateMailbox gives a new one', async () => {
      expect(await updateMailbox({ imapAccessToken: 'revoked-imap-token' })).toEqual({ imapAuthMethod: 'OAUTH2', smtpAuthMethod: 'OAUTH2' });
      await imap.appendToOauthAccount(mail(2));
      expect(await ingest.poll(oauthMailboxId)).toEqual([]); // refused, nothing read, nothing thrown
      const { mailboxes } = await t.gqlOk(oauthStore.key, MAILBOX_STATE);
      expect(mailboxes[0].lastError).toMatch(/^IMAP login refused for oauth@alward\.test with its OAuth2 access token \(expired or revoked\?\): .*Authentication failed/);
      expect(await messageOf('<oauth-2@customer.test>')).toBeUndefined();

      await updateMailbox({ imapAccessToken: imap.oauth.accessToken });
      expect(await ingest.poll(oauthMailboxId)).toEqual(['CREATED']);
      expect((await t.gqlOk(oauthStore.key, MAILBOX_STATE)).mailboxes[0].lastError).toBeNull();
    });

    it('shows a refused SMTP token on the mailbox and the reply, keeps the reply queued, and sends it with the renewed token', async () => {
      await updateMailbox({ smtpAccessToken: 'revoked-smtp-token' });
      const { ticket_id: ticketId } = await messageOf('<oauth-2@customer.test>');
      const { addMessage } = await t.gqlOk(oauthStore.key, `mutation($input: AddMessageInput!) { addMessage(input: $input) { message { id } } }`, {
        input: { ticketId, body: 'ردنا عليك', authorType: 'AGENT', internal: false },
      });
      const replyId = addMessage.message.id;
      const delivery = async () => (await ds.query(`SELECT delivery_status, delivery_error FROM messages WHERE id = $1`, [replyId]))[0];
      await eventuallyPasses(async () => expect((await delivery()).delivery_error).toMatch(/^SMTP login refused for oauth@alward\.test with its OAuth2 access token.*535/), 15_000);
      expect((await delivery()).delivery_status).toBe('QUEUED'); // waiting for a retry, not given up
      expect((await t.gqlOk(oauthStore.key, MAILBOX_STATE)).mailboxes[0].lastSendError).toMatch(/^SMTP login refused/);

      await updateMailbox({ smtpAccessToken: smtp.accessToken });
      const sentBefore = smtp.received.length;
      // The queued retry (30 s back-off in production), run now.
      await t.app.get(EmailDeliveryService).deliver({ data: { tenantId: oauthStore.id, messageId: replyId }, retryCount: 1 } as never);
      expect(smtp.received.length).toBe(sentBefore + 1);
      expect(await delivery()).toEqual({ delivery_status: 'SENT', delivery_error: null });
      expect((await t.gqlOk(oauthStore.key, MAILBOX_STATE)).mailboxes[0].lastSendError).toBeNull();
    });
  });

  it('keeps each store’s mailboxes to itself', async () => {
    const other = await t.createTenant('متجر آخر');
    expect((await t.gqlOk(other.key, `{ mailboxes { id } }`)).mailboxes).toEqual([]);
    const update = await t.gql(other.key, `mutation($id: ID!) { updateMailbox(id: $id, input: { active: false }) { id } }`, { id: mailboxId });
    expect(update.errors?.[0].extensions.code).toBe('NOT_FOUND');
    const remove = await t.gql(other.key, `mutation($id: ID!) { deleteMailbox(id: $id) }`, { id: mailboxId });
    expect(remove.errors?.[0].extensions.code).toBe('NOT_FOUND');
  });
});

describe('mail servers outside the public internet (ALLOW_PRIVATE_NETWORK_TARGETS off)', () => {
  let inside: Server;
  let connections: number;
  let port: number;
  let databaseUrl: string;
  let store: TestTenant;
  let storedMailboxId: string;
  const mailbox = (imapHost: string, smtpHost: string, address = 'support@alward.test') => ({
    name: 'دعم متجر الورد',
    address,
    imapHost,
    imapPort: port,
    imapSecurity: 'NONE',
    imapUser: 'support',
    imapPassword: 'imap-password-1',
    smtpHost,
    smtpPort: port,
    smtpSecurity: 'NONE',
    autoAcknowledge: 'OFF',
  });

  beforeAll(async () => {
    // Stands for an internal service: it must never see a connection.
    connections = 0;
    inside = createNetServer((socket) => {
      connections++;
      socket.end('* OK internal service\r\n');
    });
    await new Promise<void>((resolve) => inside.listen(0, '127.0.0.1', resolve));
    port = (inside.address() as AddressInfo).port;
    // A mailbox stored while private targets were allowed (as before this rule).
    const allowed = await TestApp.start();
    databaseUrl = allowed.databaseUrl;
    store = await allowed.createTenant();
    storedMailboxId = (await allowed.gqlOk(store.key, CREATE_MAILBOX, { input: mailbox('localhost', '127.0.0.1') })).createMailbox.id;
    await allowed.close();
  });
  afterAll(() => new Promise((resolve) => inside.close(resolve)));

  it('refuses loopback, link-local and local names for IMAP and SMTP hosts when a mailbox is created or changed', async () => {
    const t = await TestApp.start({ ALLOW_PRIVATE_NETWORK_TARGETS: 'false' }, undefined, databaseUrl);
    try {
      for (const host of ['127.0.0.1', '169.254.169.254', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1', '10.1.2.3']) {
        const refused = await t.gql(store.key, CREATE_MAILBOX, { input: mailbox(host, host, 'other@alward.test') });
        expect([host, refused.errors?.[0].extensions.code]).toEqual([host, 'BAD_USER_INPUT']);
        expect(Object.keys(refused.errors?.[0].extensions.fields ?? {})).toEqual(['imapHost', 'smtpHost']);
      }
      const smtpOnly = await t.gql(store.key, CREATE_MAILBOX, { input: mailbox('imap.alward.test', '169.254.169.254', 'other@alward.test') });
      expect(smtpOnly.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: { smtpHost: ['Refused to connect to 169.254.169.254: not on the public internet (link-local)'] },
      });
      const update = await t.gql(store.key, `mutation($id: ID!, $input: UpdateMailboxInput!) { updateMailbox(id: $id, input: $input) { id } }`, {
        id: storedMailboxId,
        input: { imapHost: '::1' },
      });
      expect(update.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { imapHost: ['Refused to connect to ::1: not on the public internet (loopback)'] } });
    } finally {
      await t.close();
    }
  });

  it('neither polls nor sends through a mailbox stored earlier that points inside, and says why', async () => {
    const t = await TestApp.start({ ALLOW_PRIVATE_NETWORK_TARGETS: 'false' }, undefined, databaseUrl);
    try {
      await t.app.get(EmailIngestService).poll(storedMailboxId);
      const { mailboxes } = await t.gqlOk(store.key, `{ mailboxes { id lastError } }`);
      expect(mailboxes).toEqual([{ id: storedMailboxId, lastError: 'Refused to connect to localhost: a name for this machine or a local network' }]);

      const ticket = (
        await t.gqlOk(store.key, `mutation($input: CreateTicketInput!) { createTicket(input: $input) { id } }`, {
          input: { subject: 'استفسار عن الطلب', body: 'أين طلبي؟', channel: 'EMAIL', customer: { email: 'noura@example.sa', name: 'نورة' } },
        })
      ).createTicket;
      await t.gqlOk(store.key, ADD_MESSAGE, { input: { ticketId: ticket.id, body: 'طلبك في الطريق', authorType: 'AGENT', internal: false } });
      await eventuallyPasses(async () => {
        const { messages } = (await t.gqlOk(store.key, TICKET, { id: ticket.id })).ticket;
        expect(messages[1].deliveryError).toBe('Refused to connect to 127.0.0.1: not on the public internet (loopback)');
      });
      expect(connections).toBe(0);
    } finally {
      await t.close();
    }
  });
});
