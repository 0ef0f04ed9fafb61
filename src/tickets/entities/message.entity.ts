import { Node } from '../../common/graphql/node';
import { Field, ID, ObjectType } from '@nestjs/graphql';
import GraphQLJSON from 'graphql-type-json';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { JsonObject } from '../../common/request-context';
import '../graphql-enums';
import { AuthorType, Channel, DeliveryStatus } from '../ticket-enums';

@ObjectType({ implements: () => [Node], description: 'One message of a ticket: a customer message, a public reply or an internal note.' })
@Entity('messages')
@Index('messages_tenant_ticket_created_idx', ['tenantId', 'ticketId', 'createdAt'])
@Index('messages_tenant_messaging_channel_idx', ['tenantId', 'messagingChannelId', 'ticketId'], { where: 'messaging_channel_id IS NOT NULL' })
@Index('messages_tenant_channel_external_key', ['tenantId', 'channel', 'externalId'], { unique: true, where: 'external_id IS NOT NULL' })
@Check('messages_delivery_status_check', `delivery_status IN ('QUEUED','SENT','DELIVERED','READ','FAILED')`)
@Check('messages_author_type_check', `author_type IN ('CUSTOMER','AGENT','SYSTEM','BOT')`)
export class Message {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID, { description: 'Stable id (UUID).' })
  @PrimaryColumn('uuid')
  id: string;

  @Field(() => ID, { description: 'The ticket it belongs to.' })
  @Column('uuid')
  ticketId: string;

  @Field(() => AuthorType, { description: 'Who wrote it.' })
  @Column('text')
  authorType: AuthorType;

  @Field(() => String, { nullable: true, description: 'Customer or agent id, when known.' })
  @Column('uuid', { nullable: true })
  authorId: string | null;

  @Field(() => String, { description: 'Display name of the author as shown in the conversation.', nullable: true })
  @Column('text', { nullable: true })
  authorName: string | null;

  @Field({ description: 'Internal notes are never shown to customers.' })
  @Column('boolean', { default: false })
  internal: boolean;

  @Field({ description: 'The text (for email: the new part of the message, quoted history removed).' })
  @Column('text')
  body: string;

  @Field(() => Channel, { description: 'The channel it came in on or went out on.' })
  @Column('text')
  channel: Channel;

  @Field(() => String, { nullable: true, description: "The provider's message id (email Message-ID, WhatsApp wamid …); unique per channel." })
  @Column('text', { nullable: true })
  externalId: string | null;

  /** The mailbox an email came in on or went out from. */
  @Column('uuid', { nullable: true })
  mailboxId: string | null;

  /** The messaging channel (WhatsApp number, Instagram account …) it came in on or goes out through. */
  @Field(() => ID, { nullable: true, description: 'The messaging channel (WhatsApp number, Instagram account …) it came in on or went out through.' })
  @Column('uuid', { nullable: true })
  messagingChannelId: string | null;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'What the body cannot say: the message type and its parts (location, contacts, button reply, reaction, template, the comment it answers …).',
  })
  @Column('jsonb', { nullable: true })
  content: JsonObject | null;

  @Field(() => DeliveryStatus, { nullable: true, description: 'For replies sent through a channel (email, WhatsApp …): how far delivery got.' })
  @Column('text', { nullable: true })
  deliveryStatus: DeliveryStatus | null;

  @Field(() => String, { nullable: true, description: 'Why delivery failed, as the provider said it.' })
  @Column('text', { nullable: true })
  deliveryError: string | null;

  @Field(() => Date, { description: 'When the channel reported it delivered; null until then or for incoming messages.', nullable: true })
  @Column('timestamptz', { nullable: true })
  deliveredAt: Date | null;

  @Field({ description: 'When it was added (ISO 8601 with offset, UTC).' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
