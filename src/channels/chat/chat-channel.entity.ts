import { Node } from '../../common/graphql/node';
import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A store's public chat channel: what the storefront's one `<script>` line names in
 * `data-channel`. Its id is public by design; what it lets a stranger do is bounded by the allowed
 * origins, the per-address limit on new visitor sessions and the customer token each visitor gets
 * (that visitor's own conversation only).
 */
@ObjectType({ implements: () => [Node], description: "A storefront's chat widget: its public id, the sites allowed to embed it, and what visitors are asked." })
@Entity('chat_channels')
export class ChatChannel {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID, { description: 'The public channel id, written in the storefront as `data-channel`.' })
  @PrimaryColumn('uuid')
  id: string;

  @Field({ description: 'Shown at the top of the chat panel, e.g. "متجر الورد".' })
  @Column('text')
  name: string;

  @Field(() => [String], { description: 'The sites (scheme, host and port, e.g. "https://rose.example.sa") whose pages may open visitor sessions.' })
  @Column('text', { array: true })
  allowedOrigins: string[];

  /** HMAC-SHA256 key for signed customer identities, sealed under SECRETS_KEY; null when identities are not accepted. */
  @Column('bytea', { nullable: true })
  identitySecret: Buffer | null;

  @Field({ description: 'Whether signed customer identities (data-customer-id and data-signature) are accepted: the channel has an identity secret.' })
  get identityVerification(): boolean {
    return this.identitySecret !== null;
  }

  @Field({ description: "Whether the widget asks an anonymous visitor's name (always optional for the visitor)." })
  @Column('boolean', { default: true })
  askName: boolean;

  @Field({ description: 'Whether the widget asks an anonymous visitor for an email address, to continue by email later (optional for the visitor).' })
  @Column('boolean', { default: true })
  askEmail: boolean;

  @Field({ description: 'Whether the widget asks an anonymous visitor for a phone or WhatsApp number (optional for the visitor).' })
  @Column('boolean', { default: false })
  askPhone: boolean;

  @Field({ description: 'An inactive channel opens no new visitor sessions; its widget stays hidden.' })
  @Column('boolean', { default: true })
  active: boolean;

  @Field({ description: 'When the channel was created.' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field({ description: 'When the channel was last changed.' })
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
