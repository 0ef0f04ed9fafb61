import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsNotBlank, LIMITS } from '../../common/validators';
import { ChatChannel } from './chat-channel.entity';

@InputType({ description: "A storefront's chat widget to create." })
export class CreateChatChannelInput {
  @Field({ description: 'Shown at the top of the chat panel, e.g. "متجر الورد".' })
  @IsString()
  @IsNotBlank()
  @MaxLength(LIMITS.name)
  name: string;

  @Field(() => [String], { description: 'Sites whose pages may open visitor sessions, as origins: "https://rose.example.sa" (scheme, host, port; no path). At least one.' })
  @IsString({ each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @MaxLength(200, { each: true })
  allowedOrigins: string[];

  @Field({ defaultValue: false, description: "Accept signed customer identities (identity verification): a secret is made and shown once, for the store's server to sign customer ids with." })
  @IsOptional()
  @IsBoolean()
  identityVerification?: boolean;

  @Field({ defaultValue: true, description: "Ask an anonymous visitor's name (optional for the visitor)." })
  @IsOptional()
  @IsBoolean()
  askName?: boolean;

  @Field({ defaultValue: true, description: 'Ask an anonymous visitor for an email address (optional for the visitor).' })
  @IsOptional()
  @IsBoolean()
  askEmail?: boolean;

  @Field({ defaultValue: false, description: 'Ask an anonymous visitor for a phone or WhatsApp number (optional for the visitor).' })
  @IsOptional()
  @IsBoolean()
  askPhone?: boolean;
}

@InputType({ description: 'Changes to a chat widget; omitted fields stay as they are.' })
export class UpdateChatChannelInput {
  @Field({ nullable: true, description: 'Shown at the top of the chat panel.' })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(LIMITS.name)
  name?: string;

  @Field(() => [String], { nullable: true, description: 'Replaces the allowed origins (at least one).' })
  @IsOptional()
  @IsString({ each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @MaxLength(200, { each: true })
  allowedOrigins?: string[];

  @Field({ nullable: true, description: "Ask an anonymous visitor's name." })
  @IsOptional()
  @IsBoolean()
  askName?: boolean;

  @Field({ nullable: true, description: 'Ask an anonymous visitor for an email address.' })
  @IsOptional()
  @IsBoolean()
  askEmail?: boolean;

  @Field({ nullable: true, description: 'Ask an anonymous visitor for a phone or WhatsApp number.' })
  @IsOptional()
  @IsBoolean()
  askPhone?: boolean;

  @Field({ nullable: true, description: 'false: no new visitor sessions, the widget stays hidden.' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

@ObjectType({ description: 'A chat widget just created, or its identity secret just replaced.' })
export class CreatedChatChannel {
  @Field(() => ChatChannel, { description: 'The channel; its id goes in the storefront as data-channel.' })
  channel: ChatChannel;

  @Field(() => String, {
    nullable: true,
    description: "The identity secret, shown this once (null without identity verification). Keep it on the store's server: it signs customer ids (hex HMAC-SHA256).",
  })
  identitySecret: string | null;
}
