import { Node } from '../../../common/graphql/node';
import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export enum ConnectionSecurity {
  TLS = 'TLS',
  STARTTLS = 'STARTTLS',
  NONE = 'NONE',
}
registerEnumType(ConnectionSecurity, {
  valuesMap: {
    NONE: { description: 'Plain text; only for servers on the local network.' },
    STARTTLS: { description: 'Connect in plain text and upgrade with STARTTLS (SMTP 587).' },
    TLS: { description: 'TLS from the first byte (IMAP 993, SMTP 465).' },
  },
  name: 'ConnectionSecurity',
  description: 'TLS from the start (IMAP 993, SMTP 465), STARTTLS upgrade (SMTP 587), or none (local servers only).',
});

export enum AutoAcknowledge {
  OFF = 'OFF',
  OUT_OF_HOURS = 'OUT_OF_HOURS',
  ALWAYS = 'ALWAYS',
}
registerEnumType(AutoAcknowledge, {
  valuesMap: {
    ALWAYS: { description: 'Acknowledge every new email conversation.' },
    OFF: { description: 'Never send an acknowledgement.' },
    OUT_OF_HOURS: { description: "Only outside the store's business hours, with when to expect the reply." },
  },
  name: 'AutoAcknowledge',
  description: 'When a new email conversation gets an automatic "we received it, expect a reply by …".',
});

export enum MailAuthMethod {
  PASSWORD = 'PASSWORD',
  OAUTH2 = 'OAUTH2',
}
registerEnumType(MailAuthMethod, {
  valuesMap: { OAUTH2: { description: 'An OAuth2 access token (XOAUTH2/OAUTHBEARER).' }, PASSWORD: { description: 'A password.' } },
  name: 'MailAuthMethod',
  description: 'How a mailbox logs in: a password, or an OAuth2 access token (XOAUTH2/OAUTHBEARER).',
});

/** A store's support mailbox: read by IMAP, answered by SMTP. Passwords and access tokens are sealed and never leave the server. */
@ObjectType({ implements: () => [Node], description: 'A connected support mailbox: IMAP in, SMTP out. Secrets are never returned.' })
@Entity('mailboxes')
@Index('mailboxes_tenant_address_key', { synchronize: false }) // unique (tenant_id, lower(address)), in the migration
@Check('mailboxes_imap_security_check', `imap_security IN ('TLS','STARTTLS','NONE')`)
@Check('mailboxes_smtp_security_check', `smtp_security IN ('TLS','STARTTLS','NONE')`)
@Check('mailboxes_imap_login_check', 'imap_password IS NOT NULL OR imap_access_token IS NOT NULL')
@Check('mailboxes_auto_acknowledge_check', `auto_acknowledge IN ('OFF','OUT_OF_HOURS','ALWAYS')`)
export class Mailbox {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID, { description: 'Stable id (UUID).' })
  @PrimaryColumn('uuid')
  id: string;

  @Field({ description: 'Shown as the sender name, e.g. "دعم متجر الورد".' })
  @Column('text')
  name: string;

  @Field({ description: 'The support address customers write to; replies come from it.' })
  @Column('text')
  address: string;

  @Field({ description: 'IMAP server host name.' })
  @Column('text')
  imapHost: string;

  @Field(() => Int, { description: 'IMAP server port.' })
  @Column('integer')
  imapPort: number;

  @Field(() => ConnectionSecurity, { description: 'How the IMAP connection is secured.' })
  @Column('text', { default: ConnectionSecurity.TLS })
  imapSecurity: ConnectionSecurity;

  @Field({ description: 'IMAP login name.' })
  @Column('text')
  imapUser: string;

  @Column('bytea', { nullable: true })
  imapPassword: Buffer | null;

  /** An OAuth2 access token used instead of the password (sealed). */
  @Column('bytea', { nullable: true })
  imapAccessToken: Buffer | null;

  @Field(() => MailAuthMethod, { description: 'Which secret IMAP logs in with (the secret itself is never returned).' })
  get imapAuthMethod(): MailAuthMethod {
    return this.imapAccessToken ? MailAuthMethod.OAUTH2 : MailAuthMethod.PASSWORD;
  }

  @Field({ description: 'The IMAP folder read, e.g. INBOX.' })
  @Column('text', { default: 'INBOX' })
  folder: string;

  @Field({ description: 'SMTP server host name.' })
  @Column('text')
  smtpHost: string;

  @Field(() => Int, { description: 'SMTP server port.' })
  @Column('integer')
  smtpPort: number;

  @Field(() => ConnectionSecurity, { description: 'How the SMTP connection is secured.' })
  @Column('text', { default: ConnectionSecurity.STARTTLS })
  smtpSecurity: ConnectionSecurity;

  @Field(() => String, { description: 'SMTP login name; null for a relay that needs no login.', nullable: true })
  @Column('text', { nullable: true })
  smtpUser: string | null;

  @Column('bytea', { nullable: true })
  smtpPassword: Buffer | null;

  @Column('bytea', { nullable: true })
  smtpAccessToken: Buffer | null;

  @Field(() => MailAuthMethod, { nullable: true, description: 'Which secret SMTP logs in with; null when the relay needs no login.' })
  get smtpAuthMethod(): MailAuthMethod | null {
    if (!this.smtpUser) return null;
    return this.smtpAccessToken ? MailAuthMethod.OAUTH2 : MailAuthMethod.PASSWORD;
  }

  @Field(() => String, { nullable: true, description: 'Appended to every reply.' })
  @Column('text', { nullable: true })
  signature: string | null;

  @Field(() => AutoAcknowledge, { description: 'When a new email conversation gets an automatic acknowledgement.' })
  @Column('text', { default: AutoAcknowledge.OUT_OF_HOURS })
  autoAcknowledge: AutoAcknowledge;

  @Field({ description: 'Inactive mailboxes are neither polled nor used for replies.' })
  @Column('boolean', { default: true })
  active: boolean;

  /** IMAP checkpoint: messages up to lastUid of this UIDVALIDITY are committed. */
  @Column('bigint', { nullable: true })
  uidValidity: string | null;

  @Column('bigint', { default: 0 })
  lastUid: string;

  @Field(() => Date, { description: 'When the folder was last read successfully; null before the first poll.', nullable: true })
  @Column('timestamptz', { nullable: true })
  lastPolledAt: Date | null;

  @Field(() => String, { nullable: true, description: 'The last connection or login error, cleared by the next good poll.' })
  @Column('text', { nullable: true })
  lastError: string | null;

  @Field(() => String, { nullable: true, description: 'Why SMTP refused to log in on the last attempt (replies wait and retry), cleared by the next reply sent.' })
  @Column('text', { nullable: true })
  lastSendError: string | null;

  @Field(() => Int, { description: 'Messages turned into tickets or replies.' })
  @Column('integer', { default: 0 })
  ingestedCount: number;

  @Field(() => Int, { description: 'Auto-replies, bounces and bulk mail left alone.' })
  @Column('integer', { default: 0 })
  ignoredCount: number;

  @Field(() => Int, { description: 'Messages that failed to ingest on every try, kept whole in `emailIngestFailures`.' })
  @Column('integer', { default: 0 })
  failedCount: number;

  /** The UID that failed on the latest tries, and how many times in a row. */
  @Column('bigint', { nullable: true })
  failingUid: string | null;

  @Column('integer', { default: 0 })
  failingAttempts: number;

  @Field({ description: 'When it was connected (ISO 8601 with offset, UTC).' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
