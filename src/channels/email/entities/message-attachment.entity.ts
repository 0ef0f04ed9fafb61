import { Node } from '../../../common/graphql/node';
import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A file that came with a message; content kept up to EMAIL_MAX_ATTACHMENT_BYTES (larger ones are listed with null content); platform media is fetched by a job. */
@ObjectType({ implements: () => [Node], description: 'A file that came with a message.' })
@Entity('message_attachments')
@Index('message_attachments_message_idx', ['tenantId', 'messageId'])
export class MessageAttachment {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID, { description: 'Stable id (UUID).' })
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  messageId: string;

  @Field(() => String, { description: 'The file name as sent; null when the sender gave none.', nullable: true })
  @Column('text', { nullable: true })
  filename: string | null;

  @Field({ description: 'MIME type, e.g. image/jpeg.' })
  @Column('text')
  contentType: string;

  @Field(() => Int, { description: 'Size in bytes.' })
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

  @Field({ description: 'When it was stored (ISO 8601 with offset, UTC).' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
