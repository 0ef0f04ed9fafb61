import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { simpleParser, ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from './ports';

const readLog = (dir: string) => (existsSync(join(dir, 'dovecot.log')) ? readFileSync(join(dir, 'dovecot.log'), 'utf8').slice(-2000) : '(no log)');

const DOVECOT = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find((path) => existsSync(path));

/**
 * A real Dovecot IMAP server on 127.0.0.1 with a throwaway user and maildir (Debian's
 * dovecot-imapd; `.ci/run` installs it). Fails loudly when it cannot start: email tests never
 * skip silently.
 */
export class TestImapServer {
  private constructor(
    readonly port: number,
    readonly user: string,
    readonly password: string,
    private readonly dir: string,
  ) {}

  static async start(): Promise<TestImapServer> {
    if (!DOVECOT) throw new Error('Dovecot is not installed: apt-get install -y --no-install-recommends dovecot-imapd (see .ci/run)');
    const dir = mkdtempSync(join(tmpdir(), 'rida-dovecot-'));
    chmodSync(dir, 0o755);
    const port = await freePort();
    const [user, password] = ['support@alward.test', 'imap-password-1'];
    for (const sub of ['run', 'state', 'mail']) mkdirSync(join(dir, sub));
    chmodSync(join(dir, 'mail'), 0o777);
    writeFileSync(join(dir, 'users'), `${user}:{PLAIN}${password}::::::\n`);
    writeFileSync(
      join(dir, 'dovecot.conf'),
      `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=${dir}/mail/%u
}
service imap-login {
  inet_listener imap {
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
`,
    );
    // Dovecot daemonises; its children would hold captured pipes open forever, so output goes to its log.
    const started = spawnSync(DOVECOT, ['-c', join(dir, 'dovecot.conf')], { stdio: 'ignore' });
    if (started.status !== 0) throw new Error(`Dovecot did not start (exit ${started.status}): ${readLog(dir)}`);
    const server = new TestImapServer(port, user, password, dir);
    for (let i = 0; i < 50; i++) {
      try {
        const client = await server.client();
        await client.logout();
        return server;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`Dovecot is not answering on ${port}: ${readLog(dir)}`);
  }

  async client(): Promise<ImapFlow> {
    const client = new ImapFlow({ host: '127.0.0.1', port: this.port, secure: false, doSTARTTLS: false, auth: { user: this.user, pass: this.password }, logger: false });
    await client.connect();
    return client;
  }

  /** Delivers raw messages into INBOX, as a mail server would. */
  async append(...messages: Array<string | Buffer>): Promise<void> {
    const client = await this.client();
    try {
      for (const message of messages) await client.append('INBOX', message);
    } finally {
      await client.logout();
    }
  }

  /** UIDs of INBOX messages with and without \Seen. */
  async seenState(): Promise<{ seen: number[]; unseen: number[] }> {
    const client = await this.client();
    try {
      await client.mailboxOpen('INBOX');
      const seen = ((await client.search({ seen: true }, { uid: true })) || []) as number[];
      const unseen = ((await client.search({ seen: false }, { uid: true })) || []) as number[];
      return { seen, unseen };
    } finally {
      await client.logout();
    }
  }

  stop(): void {
    const pidFile = join(this.dir, 'run', 'master.pid');
    if (existsSync(pidFile)) {
      try {
        execFileSync('kill', [readFileSync(pidFile, 'utf8').trim()]);
      } catch {
        // already gone
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** An SMTP listener (the smtp-server package) that keeps what it receives, or refuses on demand. */
export class TestSmtpServer {
  readonly received: Array<{ envelopeTo: string[]; raw: Buffer; mail: ParsedMail }> = [];
  readonly logins: Array<{ user: string; password: string }> = [];
  /** Set to answer the next DATA commands with an error: 4xx is temporary, 5xx permanent. */
  refuseWith?: { code: number; message: string };

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(): Promise<TestSmtpServer> {
    const port = await freePort();
    let self: TestSmtpServer | undefined;
    const server = new SMTPServer({
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth(auth, _session, callback) {
        self!.logins.push({ user: auth.username ?? '', password: auth.password ?? '' });
        callback(null, { user: auth.username });
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', async () => {
          if (self?.refuseWith) {
            const error = Object.assign(new Error(self.refuseWith.message), { responseCode: self.refuseWith.code });
            return callback(error);
          }
          const raw = Buffer.concat(chunks);
          self!.received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), raw, mail: await simpleParser(raw) });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    self = new TestSmtpServer(server, port);
    return self;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
