import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A file that came with a message; content kept up to EMAIL_MAX_ATTACHMENT_BYTES (larger ones are listed with null content); platform media is fetched by a job. */
@ObjectType()
@Entity('message_attachments')
@Index('message_attachments_message_idx', ['tenantId', 'messageId'])
export class MessageAttachment {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID)
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  messageId: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  filename: string | null;

  @Field()
  @Column('text')
  contentType: string;

  @Field(() => Int)
  @Column('integer')
  sizeBytes: number;

  @Column('text', { nullable: true })
  contentId: string | null;

  @Column('bytea', { nullable: true, select: false })
  content: Buffer | null;

  /** A platform's media id (WhatsApp): the content is fetched by a job. */
  @Column('text', { nullable: true })
  providerMediaId: string | null;

  /** Where the platform serves the file (Instagram/Messenger CDN links expire). */
  @Column('text', { nullable: true })
  sourceUrl: string | null;

  @Field(() => String, { nullable: true, description: 'Why the file could not be fetched from the platform.' })
  @Column('text', { nullable: true })
  fetchError: string | null;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
