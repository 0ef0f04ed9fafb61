import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { SecretBox, SecretUnreadable } from '../../common/crypto/secret-box';
import { TenantTransactions } from '../../common/database/tenant-transactions';
import { badInput, DomainError, FieldErrors, notFound } from '../../common/errors/domain-error';
import { OutboundGuard, OutboundTargetRefused } from '../../common/net/outbound-guard';
import type { RequestContext } from '../../common/request-context';
import { CreateMailboxInput, UpdateMailboxInput } from './dto/mailbox.input';
import { EmailIngestFailure } from './entities/email-ingest-failure.entity';
import { AutoAcknowledge, ConnectionSecurity, Mailbox } from './entities/mailbox.entity';
import { definedFields } from '../../common/defined-fields';

/** How a connection logs in as the mailbox's user: a password, or an OAuth2 access token. */
export type MailLogin = { pass: string } | { accessToken: string };

/** Which of a mailbox's secrets a sealed value is: part of what it is bound to. */
export type MailboxSecretKind = 'imap' | 'imap-token' | 'smtp' | 'smtp-token';
export const mailboxSecretLabel = (mailboxId: string, kind: MailboxSecretKind) => `mailbox:${mailboxId}:${kind}`;

type Secrets = Pick<CreateMailboxInput, 'imapPassword' | 'imapAccessToken' | 'smtpPassword' | 'smtpAccessToken'>;

@Injectable()
export class MailboxesService {
  constructor(
    private readonly db: TenantTransactions,
    private readonly box: SecretBox,
    private readonly guard: OutboundGuard,
  ) {}

  list(ctx: RequestContext): Promise<Mailbox[]> {
    return this.db.read(ctx, (m) => m.find(Mailbox, { where: { tenantId: ctx.tenantId }, order: { createdAt: 'ASC' } }));
  }

  /** Messages of a mailbox set aside after failing to ingest, newest first (the raw message stays in the database). */
  failures(ctx: RequestContext, mailboxId: string): Promise<EmailIngestFailure[]> {
    return this.db.read(ctx, async (m) => {
      if (!(await m.existsBy(Mailbox, { tenantId: ctx.tenantId, id: mailboxId }))) throw notFound('Mailbox', mailboxId);
      return m.find(EmailIngestFailure, { where: { tenantId: ctx.tenantId, mailboxId }, order: { createdAt: 'DESC' }, take: 100 });
    });
  }

  async create(ctx: RequestContext, input: CreateMailboxInput): Promise<Mailbox> {
    const id = uuidv7();
    const { imapPassword, imapAccessToken, smtpPassword, smtpAccessToken, ...fields } = input;
    if (!imapPassword && !imapAccessToken) throw badInput('IMAP needs a password or an OAuth2 access token', { imapPassword: ['give imapPassword or imapAccessToken'] });
    await this.checkHosts(input);
    return this.db.run(ctx, async (m) => {
      await this.refuseTakenAddress(m, ctx, input.address);
      const mailbox = m.create(Mailbox, {
        imapPort: 993,
        imapSecurity: ConnectionSecurity.TLS,
        folder: 'INBOX',
        smtpPort: 587,
        smtpSecurity: ConnectionSecurity.STARTTLS,
        autoAcknowledge: AutoAcknowledge.OUT_OF_HOURS,
        ...definedFields(fields),
        smtpUser: fields.smtpUser ?? null,
        signature: fields.signature ?? null,
        tenantId: ctx.tenantId,
        id,
        imapPassword: null,
        imapAccessToken: null,
        smtpPassword: null,
        smtpAccessToken: null,
      });
      this.sealSecrets(mailbox, { imapPassword, imapAccessToken, smtpPassword, smtpAccessToken });
      return m.save(mailbox);
    });
  }

  async update(ctx: RequestContext, id: string, input: UpdateMailboxInput): Promise<Mailbox> {
    await this.checkHosts(input);
    return this.db.run(ctx, async (m) => {
      const mailbox = await m.findOneBy(Mailbox, { tenantId: ctx.tenantId, id });
      if (!mailbox) throw notFound('Mailbox');
      const { imapPassword, imapAccessToken, smtpPassword, smtpAccessToken, ...fields } = input;
      if (fields.address && fields.address.toLowerCase() !== mailbox.address.toLowerCase()) await this.refuseTakenAddress(m, ctx, fields.address);
      Object.assign(mailbox, definedFields(fields));
      this.sealSecrets(mailbox, { imapPassword, imapAccessToken, smtpPassword, smtpAccessToken });
      // Another server or folder: its UIDs mean something else.
      if (fields.imapHost || fields.imapUser || fields.folder) Object.assign(mailbox, { uidValidity: null, lastUid: '0' });
      return m.save(mailbox);
    });
  }

  /**
   * Seals the secrets an input gives. A password and a token for the same login are exclusive:
   * giving one replaces the other (switching a mailbox to OAuth2 drops its password, and back).
   * An empty smtpPassword removes the SMTP password.
   */
  private sealSecrets(mailbox: Mailbox, secrets: Secrets) {
    if (secrets.imapPassword && secrets.imapAccessToken) throw badInput('Give an IMAP password or an access token, not both', { imapAccessToken: ['not with imapPassword'] });
    if (secrets.smtpPassword && secrets.smtpAccessToken) throw badInput('Give an SMTP password or an access token, not both', { smtpAccessToken: ['not with smtpPassword'] });
    const id = mailbox.id;
    if (secrets.imapPassword) Object.assign(mailbox, { imapPassword: this.box.seal(secrets.imapPassword, mailboxSecretLabel(id, 'imap')), imapAccessToken: null });
    if (secrets.imapAccessToken) Object.assign(mailbox, { imapAccessToken: this.box.seal(secrets.imapAccessToken, mailboxSecretLabel(id, 'imap-token')), imapPassword: null });
    if (secrets.smtpPassword !== undefined) mailbox.smtpPassword = secrets.smtpPassword ? this.box.seal(secrets.smtpPassword, mailboxSecretLabel(id, 'smtp')) : null;
    if (secrets.smtpPassword) mailbox.smtpAccessToken = null;
    if (secrets.smtpAccessToken) Object.assign(mailbox, { smtpAccessToken: this.box.seal(secrets.smtpAccessToken, mailboxSecretLabel(id, 'smtp-token')), smtpPassword: null });
    if (mailbox.smtpAccessToken && !mailbox.smtpUser) throw badInput('An SMTP access token needs the user it belongs to', { smtpUser: ['required with smtpAccessToken'] });
  }

  async remove(ctx: RequestContext, id: string): Promise<boolean> {
    return this.db.run(ctx, async (m) => {
      // The messages keep their history without the mailbox (on Citus a foreign key through
      // tenant_id cannot clear it on delete, so the app does, first).
      await m.query(`UPDATE messages SET mailbox_id = NULL WHERE tenant_id = $1 AND mailbox_id = $2`, [ctx.tenantId, id]);
      const result = await m.delete(Mailbox, { tenantId: ctx.tenantId, id });
      if (!result.affected) throw notFound('Mailbox');
      return true;
    });
  }

  /**
   * The mailbox's IMAP login, opened for a connection. A secret no configured key opens throws
   * SecretUnreadable naming which one, so only this mailbox fails (its lastError says why).
   */
  imapLoginOf(mailbox: Mailbox): MailLogin {
    return mailbox.imapAccessToken
      ? { accessToken: this.openSecret(mailbox, mailbox.imapAccessToken, 'imap-token', 'IMAP access token') }
      : { pass: this.openSecret(mailbox, mailbox.imapPassword!, 'imap', 'IMAP password') };
  }

  /** The SMTP login, or null for a relay that needs none; SecretUnreadable as for IMAP. */
  smtpLoginOf(mailbox: Mailbox): MailLogin | null {
    if (!mailbox.smtpUser) return null;
    return mailbox.smtpAccessToken
      ? { accessToken: this.openSecret(mailbox, mailbox.smtpAccessToken, 'smtp-token', 'SMTP access token') }
      : { pass: mailbox.smtpPassword ? this.openSecret(mailbox, mailbox.smtpPassword, 'smtp', 'SMTP password') : '' };
  }

  private openSecret(mailbox: Mailbox, sealed: Buffer, kind: MailboxSecretKind, what: string): string {
    try {
      return this.box.open(sealed, mailboxSecretLabel(mailbox.id, kind));
    } catch (error) {
      if (error instanceof SecretUnreadable) throw new SecretUnreadable(`${what}: ${error.message}`);
      throw error;
    }
  }

  /** Mail servers are reached from our network: unless private targets are allowed, they must be on the public internet. */
  private async checkHosts(input: { imapHost?: string; smtpHost?: string }) {
    const fields: FieldErrors = {};
    for (const field of ['imapHost', 'smtpHost'] as const) {
      const host = input[field];
      if (!host) continue;
      try {
        await this.guard.checkHost(host);
      } catch (error) {
        if (!(error instanceof OutboundTargetRefused)) throw error;
        fields[field] = [error.message];
      }
    }
    if (Object.keys(fields).length) throw badInput('Mail servers must be reachable on the public internet', fields);
  }

  private async refuseTakenAddress(m: EntityManager, ctx: RequestContext, address: string) {
    const [taken] = await m.query(`SELECT 1 FROM mailboxes WHERE tenant_id = $1 AND lower(address) = lower($2)`, [ctx.tenantId, address]);
    if (taken) throw new DomainError('CONFLICT', `The store already has a mailbox for ${address}`, { address: ['already configured'] });
  }
}
