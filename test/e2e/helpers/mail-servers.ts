import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { simpleParser, ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from './ports';

const readLog = (dir: string) => (existsSync(join(dir, 'dovecot.log')) ? readFileSync(join(dir, 'dovecot.log'), 'utf8').slice(-2000) : '(no log)');

const DOVECOT = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find((path) => existsSync(path));

const OAUTH_ACCOUNT = { user: 'oauth@alward.test', accessToken: 'imap-oauth-token-1' };

type ImapLogin = { user: string; pass: string } | { user: string; accessToken: string };

/**
 * A real Dovecot IMAP server on 127.0.0.1 with throwaway users and maildirs (Debian's
 * dovecot-imapd; `.ci/run` installs it). Fails loudly when it cannot start: email tests never
 * skip silently. A second user logs in with OAuth2 (XOAUTH2/OAUTHBEARER): Dovecot's oauth2 passdb
 * asks a local token introspection endpoint (RFC 7662), which knows one token.
 */
export class TestImapServer {
  /** The OAuth2 account: Dovecot accepts exactly this access token for it. */
  readonly oauth = OAUTH_ACCOUNT;

  private constructor(
    readonly port: number,
    readonly user: string,
    readonly password: string,
    private readonly dir: string,
    private readonly introspection: Server,
    /** Tokens Dovecot asked the introspection endpoint about, in order. */
    readonly introspected: string[],
  ) {}

  /** `user`: the password account's address (support@alward.test unless given). */
  static async start(options: { user?: string } = {}): Promise<TestImapServer> {
    if (!DOVECOT) throw new Error('Dovecot is not installed: apt-get install -y --no-install-recommends dovecot-imapd (see .ci/run)');
    const dir = mkdtempSync(join(tmpdir(), 'rida-dovecot-'));
    chmodSync(dir, 0o755);
    const port = await freePort();
    const [user, password] = [options.user ?? 'support@alward.test', 'imap-password-1'];
    for (const sub of ['run', 'state', 'mail']) mkdirSync(join(dir, sub));
    chmodSync(join(dir, 'mail'), 0o777);
    writeFileSync(join(dir, 'users'), `${user}:{PLAIN}${password}::::::\n`);
    const introspected: string[] = [];
    const introspection = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const token = new URLSearchParams(body).get('token') ?? '';
        introspected.push(token);
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify(token === OAUTH_ACCOUNT.accessToken ? { active: true, username: OAUTH_ACCOUNT.user } : { active: false }));
      });
    });
    await new Promise<void>((resolve) => introspection.listen(0, '127.0.0.1', resolve));
    writeFileSync(
      join(dir, 'oauth2.conf'),
      `introspection_mode = post
introspection_url = http://127.0.0.1:${(introspection.address() as AddressInfo).port}/introspect
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
`,
    );
    writeFileSync(
      join(dir, 'dovecot.conf'),
      `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
auth_failure_delay = 0
first_valid_uid = 1
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u ${dir}/users
}
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = ${dir}/oauth2.conf
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
    if (started.status !== 0) {
      introspection.close();
      throw new Error(`Dovecot did not start (exit ${started.status}): ${readLog(dir)}`);
    }
    const server = new TestImapServer(port, user, password, dir, introspection, introspected);
    for (let i = 0; i < 50; i++) {
      try {
        const client = await server.client();
        await client.logout();
        return server;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    server.stop();
    throw new Error(`Dovecot is not answering on ${port}: ${readLog(dir)}`);
  }

  async client(login: ImapLogin = { user: this.user, pass: this.password }): Promise<ImapFlow> {
    const client = new ImapFlow({ host: '127.0.0.1', port: this.port, secure: false, doSTARTTLS: false, auth: login, logger: false });
    await client.connect();
    return client;
  }

  /** Delivers raw messages into INBOX, as a mail server would. */
  append(...messages: Array<string | Buffer>): Promise<void> {
    return this.appendAs({ user: this.user, pass: this.password }, ...messages);
  }

  /** Delivers raw messages into the INBOX of the OAuth2 account. */
  appendToOauthAccount(...messages: Array<string | Buffer>): Promise<void> {
    return this.appendAs(this.oauth, ...messages);
  }

  private async appendAs(login: ImapLogin, ...messages: Array<string | Buffer>): Promise<void> {
    const client = await this.client(login);
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
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      try {
        execFileSync('kill', [String(pid)]);
        // Dovecot writes its state while it shuts down: its folder is removed once it has exited.
        for (const deadline = Date.now() + 5000; Date.now() < deadline && isRunning(pid);) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
      } catch {
        // already gone
      }
    }
    this.introspection.close();
    // Its child processes may still be closing files for a moment: rmSync retries a folder that is not empty yet.
    rmSync(this.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  }
}

/**
 * An SMTP listener (the smtp-server package) that keeps what it receives, or refuses on demand.
 * Logins: any password (recorded), or XOAUTH2 with the one access token it knows.
 */
export class TestSmtpServer {
  readonly received: Array<{ envelopeTo: string[]; raw: Buffer; mail: ParsedMail }> = [];
  readonly logins: Array<{ user: string; password: string } | { user: string; accessToken: string }> = [];
  /** The only OAuth2 access token XOAUTH2 logins succeed with. */
  readonly accessToken = 'smtp-oauth-token-1';
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
      authMethods: ['PLAIN', 'LOGIN', 'XOAUTH2'],
      logger: false,
      onAuth(auth, _session, callback) {
        if (auth.method === 'XOAUTH2') {
          self!.logins.push({ user: auth.username ?? '', accessToken: auth.accessToken ?? '' });
          // A wrong token gets the XOAUTH2 error challenge, then 535.
          if (auth.accessToken !== self!.accessToken) return callback(null, { data: { status: '401', schemes: 'bearer', scope: 'https://mail.test/' } });
          return callback(null, { user: auth.username });
        }
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

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
