import { Node } from '../../../common/graphql/node';
import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export enum MessagingChannelKind {
  WHATSAPP = 'WHATSAPP',
  INSTAGRAM = 'INSTAGRAM',
  MESSENGER = 'MESSENGER',
  X = 'X',
  /** A Twilio account whose Voice status callbacks log calls (no messages go through it). */
  TWILIO = 'TWILIO',
}
registerEnumType(MessagingChannelKind, {
  valuesMap: {
    INSTAGRAM: { description: 'Instagram direct messages and comments (Meta app).' },
    MESSENGER: { description: 'Facebook Messenger and Page comments (Meta app).' },
    TWILIO: { description: 'Twilio Voice: calls are logged from its status callbacks.' },
    WHATSAPP: { description: 'WhatsApp Business Cloud API.' },
    X: { description: 'X direct messages and mentions (Account Activity API).' },
  },
  description: 'The platform of a messaging channel.',
  name: 'MessagingChannelKind',
});

/**
 * A store's account on a messaging platform: a WhatsApp Business phone number, an Instagram
 * professional account, a Facebook Page (Messenger and comments), an X account, or a Twilio account
 * reporting phone calls. Its tokens and secrets are sealed in one blob and never leave the server.
 */
@ObjectType({
  implements: () => [Node],
  description: 'A connected messaging account (WhatsApp number, Instagram account, Facebook Page, X account or Twilio phone account). Secrets are never returned.',
})
@Entity('messaging_channels')
@Index('messaging_channels_tenant_account_key', ['tenantId', 'kind', 'accountId'], { unique: true })
@Check('messaging_channels_kind_check', `kind IN ('WHATSAPP','INSTAGRAM','MESSENGER','X','TWILIO')`)
export class MessagingChannel {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID, { description: 'Stable id (UUID).' })
  @PrimaryColumn('uuid')
  id: string;

  @Field(() => MessagingChannelKind, { description: 'Which platform.' })
  @Column('text')
  kind: MessagingChannelKind;

  @Field({ description: 'Shown to agents, e.g. "واتساب المتجر".' })
  @Column('text')
  name: string;

  @Field({ description: "The platform's id of the account: WhatsApp phone number id, Instagram account id, Page id, X user id or Twilio Account SID." })
  @Column('text')
  accountId: string;

  @Field(() => String, { nullable: true, description: 'The number or handle customers see, e.g. "+966 11 234 5678" or "@rose.store".' })
  @Column('text', { nullable: true })
  displayName: string | null;

  @Field(() => String, { nullable: true, description: 'WhatsApp Business Account id (WABA), needed to list message templates.' })
  @Column('text', { nullable: true })
  businessAccountId: string | null;

  /** AES-256-GCM under SECRETS_KEY: JSON of the access token, app secret and verify token. */
  @Column('bytea')
  secrets: Buffer;

  @Field({ description: 'An inactive channel refuses webhooks (403) and sends nothing.' })
  @Column('boolean', { default: true })
  active: boolean;

  @Field(() => String, { nullable: true, description: 'The last error the platform returned (e.g. an expired token), cleared by the next success.' })
  @Column('text', { nullable: true })
  lastError: string | null;

  @Field(() => Date, { description: 'When the platform last called our webhook for it; null before the first call.', nullable: true })
  @Column('timestamptz', { nullable: true })
  lastEventAt: Date | null;

  @Field(() => Int, { description: 'Customer messages received.' })
  @Column('integer', { default: 0 })
  receivedCount: number;

  @Field(() => Int, { description: 'Replies accepted by the platform.' })
  @Column('integer', { default: 0 })
  sentCount: number;

  @Field({ description: 'When it was connected (ISO 8601 with offset, UTC).' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field({ description: 'When it last changed (ISO 8601 with offset, UTC).' })
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
