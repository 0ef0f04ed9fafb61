import { Field, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsEnum, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsNotBlank } from '../../../common/validators';
import { ConnectionType } from '../../../common/graphql/connection';
import { StorePlatform, StorePlatformConnection } from '../entities/store-platform-connection.entity';
import { StorePlatformDelivery } from '../entities/store-platform-delivery.entity';

@InputType({ description: "What Rida needs to verify a store platform's webhooks and, with an API token, to pull past orders. Admins only; secrets are sealed and never returned." })
export class ConnectStorePlatformInput {
  @Field(() => StorePlatform, { description: 'SALLA, ZID or SHOPIFY.' })
  @IsEnum(StorePlatform)
  platform: StorePlatform;

  @Field({ nullable: true, description: 'Shown to admins; default "<platform> <account id>".' })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name?: string;

  @Field({
    nullable: true,
    description:
      'SALLA: the merchant id (optional; webhooks of another merchant are refused). ZID: the store id (optional, the same). SHOPIFY: the shop domain, e.g. rose-store.myshopify.com (required: X-Shopify-Shop-Domain must match).',
  })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(255)
  accountId?: string;

  @Field({
    nullable: true,
    description:
      "SALLA: the app's webhook secret (Salla Partners → your app → Webhooks, with the signature strategy). SHOPIFY: the app's client secret (API secret key), which signs its webhooks. Required for both; ZID signs nothing (leave it out: Rida generates Basic credentials). At least 8 characters.",
  })
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(500)
  webhookSecret?: string;

  @Field({
    nullable: true,
    description:
      'An API access token for pulling past orders (`syncStorePlatform`, `store:sync`): a Salla OAuth access token, a Zid manager token (X-Manager-Token), or a Shopify Admin API access token. Optional.',
  })
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(4000)
  apiToken?: string;

  @Field({ nullable: true, description: "ZID only: the partner Authorization token sent with the manager token on Zid's API calls (backfill). Optional." })
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(4000)
  apiAuthorization?: string;
}

@ObjectType({ description: 'A new store platform connection, with what to give the platform. The Zid credentials are shown this once.' })
export class ConnectStorePlatformPayload {
  @Field(() => StorePlatformConnection, { description: 'The connection as stored (without its secrets).' })
  connection: StorePlatformConnection;

  @Field({ description: 'The URL to give the platform: PUBLIC_URL + /webhooks/stores/<connection id>. See the README for where each platform takes it.' })
  webhookUrl: string;

  @Field(() => String, { nullable: true, description: "ZID only: the username of the HTTP Basic credentials to register with the webhook (Zid's `username`). Shown once." })
  basicAuthUsername: string | null;

  @Field(() => String, { nullable: true, description: "ZID only: the password of those credentials (Zid's `password`). Shown once; Rida refuses any Zid call without it." })
  basicAuthPassword: string | null;
}

@ObjectType({ description: 'How many deliveries a connection has recorded, ignored and seen again.' })
export class StorePlatformDeliveryCounts {
  @Field(() => Int, { description: 'Deliveries mapped to store events or customers.' })
  recorded: number;

  @Field(() => Int, { description: 'Valid deliveries of events Rida does not map (answered 200).' })
  ignored: number;

  @Field(() => Int, { description: 'Redeliveries of deliveries already received (answered 200, nothing changed).' })
  redeliveries: number;
}

@ObjectType({ description: 'A page of deliveries of a store platform connection, newest first.' })
export class StorePlatformDeliveryConnection extends ConnectionType(StorePlatformDelivery) {}

@ObjectType({ description: 'What a backfill of past orders did.' })
export class StorePlatformSyncResult {
  @Field(() => Int, { description: 'Orders read from the platform.' })
  orders: number;

  @Field(() => Int, { description: 'Store events newly recorded from them (orders already known record nothing again).' })
  recorded: number;

  @Field(() => Int, { description: 'Pages read from the platform API.' })
  pages: number;
}

@InputType({ description: 'Which past orders to pull.' })
export class SyncStorePlatformInput {
  @Field(() => Int, { defaultValue: 30, description: 'Orders created in the last this many days (1–365). Default 30.' })
  @IsInt()
  @Min(1)
  @Max(365)
  days: number = 30;
}
