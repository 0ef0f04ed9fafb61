import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ImapFlow } from 'imapflow';
import { PinoLogger } from 'nestjs-pino';
import { AllStores, HeldLock } from '../../common/database/all-stores';
import { TenantTransactions } from '../../common/database/tenant-transactions';
import { AppConfig } from '../../common/config/app-config';
import { OutboundGuard } from '../../common/net/outbound-guard';
import { EmailIngestService } from './email-ingest.service';
import { Mailbox } from './entities/mailbox.entity';
import { imapClientFor } from './imap-client';
import { MailboxesService, type MailLogin } from './mailboxes.service';
import { SecretUnreadable } from '../../common/crypto/secret-box';

const RECONCILE_MS = 30_000;
const MAX_BACKOFF_MS = 5 * 60_000;

interface Watch {
  client?: ImapFlow;
  version: number;
  failures: number;
  retry?: NodeJS.Timeout;
  stopped: boolean;
}

/**
 * New mail within a second: one instance (the holder of an advisory lock) keeps an IMAP IDLE
 * connection per active mailbox and polls a mailbox as soon as the server announces a message.
 * Dropped connections come back with exponential back-off (1 s … 5 min); servers without IDLE, and
 * anything IDLE misses, are still covered by the periodic poll.
 */
@Injectable()
export class MailboxWatcherService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly watches = new Map<string, Watch>();
  private leader?: HeldLock;
  private timer?: NodeJS.Timeout;
  private reconciling?: Promise<void>;

  constructor(
    private readonly allStores: AllStores,
    private readonly db: TenantTransactions,
    private readonly mailboxes: MailboxesService,
    private readonly ingest: EmailIngestService,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly logger: PinoLogger,
    private readonly guard: OutboundGuard,
  ) {
    this.logger.setContext(MailboxWatcherService.name);
  }

  onApplicationBootstrap() {
    if (!this.config.EMAIL_IDLE) return;
    this.timer = setInterval(() => void this.reconcile(), RECONCILE_MS).unref();
    void this.reconcile();
  }

  async onApplicationShutdown() {
    clearInterval(this.timer);
    await this.reconciling;
    for (const id of [...this.watches.keys()]) this.unwatch(id);
    await this.leader?.release().catch(() => undefined);
  }

  /** Becomes the watching instance if none is, then watches exactly the active mailboxes. */
  reconcile(): Promise<void> {
    this.reconciling ??= (async () => {
      try {
        // Across instances: one of them watches.
        this.leader ??= (await this.allStores.tryLock('mailbox-watcher')) ?? undefined;
        if (!this.leader) return;
        // Across stores: one watcher serves every store's mailboxes.
        const active: Array<{ id: string; version: Date }> = await this.allStores.query(`SELECT id, updated_at AS version FROM mailboxes WHERE active`);
        const wanted = new Map(active.map((m) => [m.id, m.version.getTime()]));
        for (const [id, watch] of this.watches) if (wanted.get(id) !== watch.version) this.unwatch(id);
        for (const [id, version] of wanted) if (!this.watches.has(id)) this.watch(id, version);
      } catch (error) {
        this.logger.warn({ err: error }, 'Mailbox watcher could not reconcile');
      } finally {
        this.reconciling = undefined;
      }
    })();
    return this.reconciling;
  }

  private watch(id: string, version: number) {
    const watch: Watch = { version, failures: 0, stopped: false };
    this.watches.set(id, watch);
    void this.connect(id, watch);
  }

  private unwatch(id: string) {
    const watch = this.watches.get(id);
    if (!watch) return;
    watch.stopped = true;
    clearTimeout(watch.retry);
    watch.client?.close();
    this.watches.delete(id);
  }

  /** Never rejects: it runs unawaited, and one mailbox's failure must not reach the process. */
  private async connect(id: string, watch: Watch) {
    let mailbox: Mailbox | null;
    let login: MailLogin;
    try {
      mailbox = await this.allStores.read((m) => m.findOneBy(Mailbox, { id })); // across stores: a watch knows its mailbox by id alone
      if (!mailbox || watch.stopped) return;
      login = this.mailboxes.imapLoginOf(mailbox);
    } catch (error) {
      if (error instanceof SecretUnreadable) {
        // Not retried: only another key (a restart) or a new password (which re-watches) helps.
        this.logger.warn({ mailboxId: id, reason: error.message }, 'Mailbox not watched: its password cannot be opened');
        await this.db
          .run(mailbox!.tenantId, (m) => m.query(`UPDATE mailboxes SET last_error = $3 WHERE tenant_id = $1 AND id = $2`, [mailbox!.tenantId, id, error.message.slice(0, 500)]))
          .catch(() => undefined);
        return;
      }
      this.logger.warn({ err: error, mailboxId: id }, 'Mailbox watch could not start');
      if (!watch.stopped) watch.retry = setTimeout(() => void this.connect(id, watch), Math.min(MAX_BACKOFF_MS, 1000 * 2 ** watch.failures++));
      return;
    }
    let client: ImapFlow;
    try {
      client = imapClientFor(mailbox, login, this.guard);
    } catch (error) {
      // A refused host: the periodic poll records why on the mailbox; nothing to watch until it changes.
      this.logger.warn({ err: error, mailboxId: id }, 'Mailbox not watched');
      return;
    }
    watch.client = client;
    let pending: NodeJS.Timeout | undefined;
    client.on('exists', () => {
      // Several messages often arrive together: one poll a moment later takes them all.
      clearTimeout(pending);
      pending = setTimeout(() => void this.ingest.poll(id).catch((error: unknown) => this.logger.warn({ err: error, mailboxId: id }, 'Poll after IDLE failed')), 200);
    });
    client.on('error', () => undefined); // followed by 'close'
    client.on('close', () => {
      clearTimeout(pending);
      if (watch.stopped) return;
      const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** watch.failures++);
      watch.retry = setTimeout(() => void this.connect(id, watch), delay);
    });
    try {
      await client.connect();
      await client.mailboxOpen(mailbox.folder);
      watch.failures = 0;
      void this.ingest.poll(id).catch(() => undefined); // anything that arrived while disconnected
      if (client.capabilities.has('IDLE')) await client.idle();
    } catch (error) {
      this.logger.warn({ err: error, mailboxId: id }, 'Mailbox watch connection failed');
      client.close();
    }
  }
}
