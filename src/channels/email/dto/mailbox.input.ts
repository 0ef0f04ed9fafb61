import { Field, InputType, Int, PartialType } from '@nestjs/graphql';
import { IsBoolean, IsEmail, IsEnum, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsNotBlank } from '../../../common/validators';
import { AutoAcknowledge, ConnectionSecurity } from '../entities/mailbox.entity';

/** Defaults (ports, security, folder, acknowledgement) apply on create only, so an update changes only what it names. */
@InputType({ description: 'An email address whose IMAP inbox becomes tickets and whose SMTP server sends the replies.' })
export class CreateMailboxInput {
  @Field({ description: 'The sender name on replies, e.g. "دعم متجر الورد".' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name: string;

  @Field({ description: 'The support address customers write to, e.g. support@rose.sa.' })
  @IsEmail()
  @MaxLength(320)
  address: string;

  @Field({ description: 'IMAP server host name, e.g. imap.gmail.com.' })
  @IsString()
  @IsNotBlank()
  @MaxLength(255)
  imapHost: string;

  @Field(() => Int, { nullable: true, description: 'Default 993.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  imapPort?: number;

  @Field(() => ConnectionSecurity, { nullable: true, description: 'Default TLS.' })
  @IsOptional()
  @IsEnum(ConnectionSecurity)
  imapSecurity?: ConnectionSecurity;

  @Field({ description: 'IMAP login name, usually the address.' })
  @IsString()
  @IsNotBlank()
  @MaxLength(320)
  imapUser: string;

  @Field({ nullable: true, description: 'Stored encrypted; never returned. Give this or imapAccessToken.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  imapPassword?: string;

  @Field({ nullable: true, description: 'An OAuth2 access token for IMAP (XOAUTH2/OAUTHBEARER) instead of a password; stored encrypted, never returned. Not refreshed: update it before it expires.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  imapAccessToken?: string;

  @Field({ nullable: true, description: 'Default INBOX.' })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  folder?: string;

  @Field({ description: 'SMTP server host name, e.g. smtp.gmail.com.' })
  @IsString()
  @IsNotBlank()
  @MaxLength(255)
  smtpHost: string;

  @Field(() => Int, { nullable: true, description: 'Default 587.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  smtpPort?: number;

  @Field(() => ConnectionSecurity, { nullable: true, description: 'Default STARTTLS.' })
  @IsOptional()
  @IsEnum(ConnectionSecurity)
  smtpSecurity?: ConnectionSecurity;

  @Field({ nullable: true, description: 'Omit for a relay that needs no login.' })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  smtpUser?: string;

  @Field({ nullable: true, description: 'Stored encrypted; never returned.' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  smtpPassword?: string;

  @Field({ nullable: true, description: 'An OAuth2 access token for SMTP (XOAUTH2) instead of smtpPassword, with smtpUser; stored encrypted, never returned.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  smtpAccessToken?: string;

  @Field({ description: 'Plain text added under every reply sent from this mailbox.', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  signature?: string;

  @Field(() => AutoAcknowledge, { nullable: true, description: 'Default OUT_OF_HOURS.' })
  @IsOptional()
  @IsEnum(AutoAcknowledge)
  autoAcknowledge?: AutoAcknowledge;
}

@InputType({ description: 'Changes to a mailbox; omitted fields stay as they are.' })
export class UpdateMailboxInput extends PartialType(CreateMailboxInput) {
  @Field({ nullable: true, description: 'False stops polling and sending.' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
