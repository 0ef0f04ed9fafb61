import { Node } from '../../../common/graphql/node';
import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A message that failed to ingest on every try, kept whole so nothing is lost (see EmailIngestService). */
@ObjectType({ implements: () => [Node], description: 'An email that failed to become a ticket or reply on every try; kept whole for a retry.' })
@Entity('email_ingest_failures')
@Index('email_ingest_failures_mailbox_idx', ['tenantId', 'mailboxId', 'createdAt'])
export class EmailIngestFailure {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID, { description: 'Stable id (UUID).' })
  @PrimaryColumn('uuid')
  id: string;

  @Field(() => ID, { description: 'The mailbox it came to.' })
  @Column('uuid')
  mailboxId: string;

  @Column('bigint', { nullable: true })
  uidValidity: string | null;

  @Field(() => String, { description: 'The IMAP UID of the message in the mailbox folder.' })
  @Column('bigint')
  uid: string;

  @Field(() => String, { description: "The email's Message-ID header, when it could be read.", nullable: true })
  @Column('text', { nullable: true })
  messageId: string | null;

  @Field(() => String, { description: "The email's subject, when it could be read.", nullable: true })
  @Column('text', { nullable: true })
  subject: string | null;

  /** The raw RFC 5322 message, as the server gave it. */
  @Column('bytea')
  raw: Buffer;

  @Field({ description: 'Why it failed.' })
  @Column('text')
  error: string;

  @Field({ description: 'When it was given up on (ISO 8601 with offset, UTC).' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
