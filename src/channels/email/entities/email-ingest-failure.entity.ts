import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A message that failed to ingest on every try, kept whole so nothing is lost (see EmailIngestService). */
@ObjectType()
@Entity('email_ingest_failures')
@Index('email_ingest_failures_mailbox_idx', ['tenantId', 'mailboxId', 'createdAt'])
export class EmailIngestFailure {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID)
  @PrimaryColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  mailboxId: string;

  @Column('bigint', { nullable: true })
  uidValidity: string | null;

  @Field(() => String, { description: 'The IMAP UID of the message in the mailbox folder.' })
  @Column('bigint')
  uid: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  messageId: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  subject: string | null;

  /** The raw RFC 5322 message, as the server gave it. */
  @Column('bytea')
  raw: Buffer;

  @Field()
  @Column('text')
  error: string;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
