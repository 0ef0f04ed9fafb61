import { Node } from '../../../common/graphql/node';
import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export enum StorePlatform {
  SALLA = 'SALLA',
  ZID = 'ZID',
  SHOPIFY = 'SHOPIFY',
}
registerEnumType(StorePlatform, {
  name: 'StorePlatform',
  description: 'An e-commerce platform whose signed webhooks Rida takes directly.',
  valuesMap: {
    SALLA: { description: 'Salla (salla.sa): webhooks signed with the signature strategy (X-Salla-Signature).' },
    ZID: { description: 'Zid (zid.sa): webhooks registered through its API with HTTP Basic credentials that Rida generates.' },
    SHOPIFY: { description: "Shopify: webhooks signed with the app's client secret (X-Shopify-Hmac-Sha256)." },
  },
});

/**
 * A store's account on Salla, Zid or Shopify whose webhooks come straight in. Its secrets (the
 * webhook secret, Zid's Basic credentials, the API token for backfills) are sealed in one blob
 * under SECRETS_KEY and never leave the server.
 */
@ObjectType({ implements: () => [Node], description: "A store's Salla, Zid or Shopify account sending its order and customer webhooks to Rida. Secrets are never returned." })
@Entity('store_platform_connections')
@Check('store_platform_connections_platform_check', `platform IN ('SALLA','ZID','SHOPIFY')`)
export class StorePlatformConnection {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID, { description: 'The connection id; it is also the last part of the webhook URL.' })
  @PrimaryColumn('uuid')
  id: string;

  @Field(() => StorePlatform, { description: 'Which platform sends to this connection.' })
  @Column('text')
  platform: StorePlatform;

  @Field({ description: 'Shown to admins, e.g. "متجر الورد على سلة".' })
  @Column('text')
  name: string;

  @Field(() => String, {
    nullable: true,
    description: "The platform's id of the store: Salla merchant id, Zid store id, or the Shopify shop domain (e.g. rose-store.myshopify.com). Webhooks naming another store are refused.",
  })
  @Column('text', { nullable: true })
  accountId: string | null;

  /** AES-256-GCM under SECRETS_KEY: JSON of the webhook secret, Zid's Basic credentials and the API token. */
  @Column('bytea')
  secrets: Buffer;

  @Field({ description: 'True when an API token was given: `syncStorePlatform` and `store:sync` can then pull past orders.' })
  @Column('boolean', { default: false })
  hasApiToken: boolean;

  @Field({ description: 'An inactive connection refuses webhooks with 403 FORBIDDEN.' })
  @Column('boolean', { default: true })
  active: boolean;

  @Field(() => Date, { nullable: true, description: 'When the last verified webhook arrived (ISO-8601).' })
  @Column('timestamptz', { nullable: true })
  lastEventAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the last backfill of past orders finished (ISO-8601).' })
  @Column('timestamptz', { nullable: true })
  lastSyncAt: Date | null;

  @Field(() => String, { nullable: true, description: 'The last error of a backfill (e.g. the platform refused the API token); cleared by the next success.' })
  @Column('text', { nullable: true })
  lastError: string | null;

  @Field({ description: 'When the store connected the platform (ISO-8601).' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field({ description: 'When the connection last changed (ISO-8601).' })
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
