import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AppConfig } from '../../common/config/app-config';
import { SecretBox } from '../../common/crypto/secret-box';
import { TenantTransactions } from '../../common/database/tenant-transactions';
import { DomainError, notFound } from '../../common/errors/domain-error';
import type { RequestContext } from '../../common/request-context';
import { CreateMailboxInput, UpdateMailboxInput } from './dto/mailbox.input';
import { AutoAcknowledge, ConnectionSecurity, Mailbox } from './entities/mailbox.entity';
import { definedFields } from '../../common/defined-fields';

/** The credentials of a mailbox, opened only where a connection is made. */
export interface MailboxSecrets {
  imapPassword: string;
  smtpPassword: string | null;
}

@Injectable()
export class MailboxesService {
  private readonly box: SecretBox;

  constructor(
    private readonly db: TenantTransactions,
    config: AppConfig,
  ) {
    if (!config.SECRETS_KEY) throw new Error('SECRETS_KEY is not configured');
    this.box = new SecretBox(config.SECRETS_KEY);
  }

  list(ctx: RequestContext): Promise<Mailbox[]> {
    return this.db.read(ctx.tenantId, (m) => m.find(Mailbox, { where: { tenantId: ctx.tenantId }, order: { createdAt: 'ASC' } }));
  }

  async create(ctx: RequestContext, input: CreateMailboxInput): Promise<Mailbox> {
    const id = uuidv7();
    const { imapPassword, smtpPassword, ...fields } = input;
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
        imapPassword: this.box.seal(imapPassword, `mailbox:${id}:imap`),
        smtpPassword: smtpPassword ? this.box.seal(smtpPassword, `mailbox:${id}:smtp`) : null,
      });
      return m.save(mailbox);
    });
  }

  async update(ctx: RequestContext, id: string, input: UpdateMailboxInput): Promise<Mailbox> {
    return this.db.run(ctx, async (m) => {
      const mailbox = await m.findOneBy(Mailbox, { tenantId: ctx.tenantId, id });
      if (!mailbox) throw notFound('Mailbox');
      const { imapPassword, smtpPassword, ...fields } = input;
      if (fields.address && fields.address.toLowerCase() !== mailbox.address.toLowerCase()) await this.refuseTakenAddress(m, ctx, fields.address);
      Object.assign(mailbox, definedFields(fields));
      if (imapPassword) mailbox.imapPassword = this.box.seal(imapPassword, `mailbox:${id}:imap`);
      if (smtpPassword !== undefined) mailbox.smtpPassword = smtpPassword ? this.box.seal(smtpPassword, `mailbox:${id}:smtp`) : null;
      // Another server or folder: its UIDs mean something else.
      if (fields.imapHost || fields.imapUser || fields.folder) Object.assign(mailbox, { uidValidity: null, lastUid: '0' });
      return m.save(mailbox);
    });
  }

  async remove(ctx: RequestContext, id: string): Promise<boolean> {
    return this.db.run(ctx, async (m) => {
      const result = await m.delete(Mailbox, { tenantId: ctx.tenantId, id });
      if (!result.affected) throw notFound('Mailbox');
      return true;
    });
  }

  secretsOf(mailbox: Mailbox): MailboxSecrets {
    return {
      imapPassword: this.box.open(mailbox.imapPassword, `mailbox:${mailbox.id}:imap`),
      smtpPassword: mailbox.smtpPassword ? this.box.open(mailbox.smtpPassword, `mailbox:${mailbox.id}:smtp`) : null,
    };
  }

  private async refuseTakenAddress(m: EntityManager, ctx: RequestContext, address: string) {
    const [taken] = await m.query(`SELECT 1 FROM mailboxes WHERE tenant_id = $1 AND lower(address) = lower($2)`, [ctx.tenantId, address]);
    if (taken) throw new DomainError('CONFLICT', `The store already has a mailbox for ${address}`, { address: ['already configured'] });
  }
}
