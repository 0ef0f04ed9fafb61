import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsNotBlank } from '../../../common/validators';
import { MessagingChannelKind } from '../entities/messaging-channel.entity';

const PLATFORM_ID = /^[0-9]{1,30}$/;

@InputType({ description: 'A WhatsApp Business phone number on the Cloud API (Meta for Developers → WhatsApp → API Setup).' })
export class ConnectWhatsAppInput {
  @Field({ description: 'The "Phone number ID" (not the number itself).' })
  @Matches(PLATFORM_ID, { message: 'phoneNumberId must be the numeric id Meta shows under API Setup' })
  phoneNumberId: string;

  @Field({ description: 'The number customers write to, e.g. "+966 11 234 5678".' })
  @IsString()
  @IsNotBlank()
  @MaxLength(40)
  displayPhoneNumber: string;

  @Field({ nullable: true, description: 'The WhatsApp Business Account id, to list approved message templates.' })
  @IsOptional()
  @Matches(PLATFORM_ID, { message: 'businessAccountId must be numeric' })
  businessAccountId?: string;

  @Field({ description: 'A permanent (system user) access token with whatsapp_business_messaging.' })
  @IsString()
  @MinLength(10)
  @MaxLength(1000)
  accessToken: string;

  @Field({ description: 'The Meta app secret: webhook signatures (X-Hub-Signature-256) are checked with it.' })
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  appSecret: string;

  @Field({ description: 'Any string you choose; paste the same in Meta\'s webhook "Verify token" field.' })
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  verifyToken: string;

  @Field({ nullable: true, description: 'Shown to agents; defaults to "WhatsApp <number>".' })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name?: string;
}

@InputType({ description: 'An Instagram professional account or a Facebook Page (Messenger, comments), through a Meta app.' })
export class ConnectMetaInput {
  @Field(() => MessagingChannelKind, { description: 'INSTAGRAM or MESSENGER.' })
  @IsEnum(MessagingChannelKind)
  kind: MessagingChannelKind;

  @Field({ description: 'The Instagram account id or the Facebook Page id.' })
  @Matches(PLATFORM_ID, { message: 'accountId must be the numeric Instagram account or Page id' })
  accountId: string;

  @Field({ nullable: true, description: 'The handle customers see, e.g. "@rose.store".' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  displayName?: string;

  @Field({ description: 'A Page access token with instagram_manage_messages / pages_messaging (and comment permissions).' })
  @IsString()
  @MinLength(10)
  @MaxLength(1000)
  accessToken: string;

  @Field({ description: 'The Meta app secret: webhook signatures (X-Hub-Signature-256) are checked with it. Stored encrypted, never returned.' })
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  appSecret: string;

  @Field({ description: 'Any string you choose; paste the same in the Meta app\'s webhook "Verify token" field.' })
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  verifyToken: string;

  @Field({ description: 'Shown to agents; defaults to the kind and display name.', nullable: true })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name?: string;
}

@InputType({ description: 'An X account through the Account Activity API (DMs and mentions).' })
export class ConnectXInput {
  @Field({ description: "The account's numeric user id." })
  @Matches(PLATFORM_ID, { message: 'userId must be the numeric X user id' })
  userId: string;

  @Field({ nullable: true, description: 'The handle customers see, e.g. "@rose.store".' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  screenName?: string;

  @Field({ description: 'An OAuth 2.0 user access token with dm.write, tweet.write.' })
  @IsString()
  @MinLength(10)
  @MaxLength(1000)
  accessToken: string;

  @Field({ description: "The app's consumer (API key) secret: the CRC challenge and webhook signatures use it." })
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  consumerSecret: string;

  @Field({ description: 'Shown to agents; defaults to "X <screen name>".', nullable: true })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name?: string;
}

@InputType({ description: 'A Twilio account whose Voice status callbacks log calls (Twilio Console → Account → API keys & tokens).' })
export class ConnectTwilioInput {
  @Field({ description: 'The Account SID, "AC" and 32 hexadecimal characters.' })
  @Matches(/^AC[0-9a-f]{32}$/, { message: 'accountSid is "AC" followed by 32 lowercase hexadecimal characters' })
  accountSid: string;

  @Field({ description: "The account's Auth Token: Twilio signs its webhooks (X-Twilio-Signature) with it." })
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  authToken: string;

  @Field({ nullable: true, description: 'The store number customers call, e.g. "+966 11 234 5678" (shown to agents).' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  phoneNumber?: string;

  @Field({ nullable: true, description: 'Shown to agents; defaults to "Twilio <number>".' })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name?: string;
}

@InputType({ description: 'Changes to a messaging channel; omitted fields stay as they are.' })
export class UpdateMessagingChannelInput {
  @Field({ description: 'Shown to agents.', nullable: true })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name?: string;

  @Field({ description: 'The number or handle customers see.', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  displayName?: string;

  @Field({ nullable: true, description: 'False: webhooks are refused and nothing is sent.' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @Field({ description: 'The WhatsApp Business Account id (WhatsApp only).', nullable: true })
  @IsOptional()
  @Matches(PLATFORM_ID, { message: 'businessAccountId must be numeric' })
  businessAccountId?: string;

  @Field({ nullable: true, description: 'A new token (e.g. after the old one expired).' })
  @IsOptional()
  @IsString()
  @MinLength(10)
  @MaxLength(1000)
  accessToken?: string;

  @Field({ nullable: true, description: 'Meta app secret, X consumer secret or Twilio Auth Token.' })
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  appSecret?: string;

  @Field({ description: 'The webhook verify token, as pasted at the platform.', nullable: true })
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  verifyToken?: string;
}

@ObjectType({ description: 'An approved (or pending) WhatsApp message template.' })
export class WhatsAppTemplate {
  @Field({ description: "The template's name as approved." })
  name: string;

  @Field({ description: 'The template language code, e.g. "ar" or "en_US".' })
  language: string;

  @Field({ description: 'APPROVED, PENDING, REJECTED …; only APPROVED ones can be sent.' })
  status: string;

  @Field({ description: "Meta's template category: MARKETING, UTILITY or AUTHENTICATION." })
  category: string;

  @Field(() => String, { nullable: true, description: 'The body text with {{1}}-style parameters.' })
  body: string | null;
}
