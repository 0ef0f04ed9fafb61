import { Field, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';
import { Agent } from '../entities/agent.entity';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../passwords';

@InputType()
export class LoginInput {
  @Field({ description: "The store's slug." })
  @IsString()
  @MaxLength(63)
  tenant: string;

  @Field()
  @IsEmail()
  @MaxLength(320)
  email: string;

  @Field()
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}

@InputType()
export class ChangePasswordInput {
  @Field()
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  currentPassword: string;

  @Field({ description: `${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} characters.` })
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  newPassword: string;
}

@InputType()
export class ResetPasswordInput {
  @Field()
  @IsString()
  @MaxLength(200)
  token: string;

  @Field()
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  newPassword: string;
}

@ObjectType()
export class AuthPayload {
  @Field({ description: 'Send as Authorization: Bearer <accessToken>.' })
  accessToken: string;

  @Field(() => Int, { description: 'Seconds until the access token expires.' })
  expiresIn: number;

  @Field({ description: 'Single use: exchange it with refreshToken for a new pair.' })
  refreshToken: string;

  @Field(() => Agent)
  agent: Agent;
}

@ObjectType()
export class PasswordResetPayload {
  @Field({ description: 'Give it to the agent out of band; it works once, until expiresAt.' })
  token: string;

  @Field()
  expiresAt: Date;
}
