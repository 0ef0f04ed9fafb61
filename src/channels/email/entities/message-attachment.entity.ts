import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A file that came with a message; content kept up to EMAIL_MAX_ATTACHMENT_BYTES (larger ones are listed with null content). */
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

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
