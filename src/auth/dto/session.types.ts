import { Field, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';
import { Agent } from '../entities/agent.entity';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../passwords';

@InputType({ description: "An agent's credentials and their store." })
export class LoginInput {
  @Field({ description: "The store's slug." })
  @IsString()
  @MaxLength(63)
  tenant: string;

  @Field({ description: "The agent's email (case-insensitive)." })
  @IsEmail()
  @MaxLength(320)
  email: string;

  @Field({ description: "The agent's password." })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}

@InputType({ description: "The signed-in agent's current password and the new one." })
export class ChangePasswordInput {
  @Field({ description: 'The password in use now; a wrong one is BAD_USER_INPUT.' })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  currentPassword: string;

  @Field({ description: `${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} characters.` })
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  newPassword: string;
}

@InputType({ description: 'A reset token and the new password.' })
export class ResetPasswordInput {
  @Field({ description: 'The token from createPasswordReset; single use, refused (BAD_USER_INPUT) once used or expired.' })
  @IsString()
  @MaxLength(200)
  token: string;

  @Field({ description: '10–200 characters.' })
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  newPassword: string;
}

@ObjectType({ description: 'The tokens of a signed-in agent: a short-lived access token and a single-use refresh token.' })
export class AuthPayload {
  @Field({ description: 'Send as Authorization: Bearer <accessToken>.' })
  accessToken: string;

  @Field(() => Int, { description: 'Seconds until the access token expires.' })
  expiresIn: number;

  @Field({ description: 'Single use: exchange it with refreshToken for a new pair.' })
  refreshToken: string;

  @Field(() => Agent, { description: 'The agent who signed in.' })
  agent: Agent;
}

@ObjectType({ description: 'A single-use password reset token for an agent, to hand over out of band.' })
export class PasswordResetPayload {
  @Field({ description: 'Give it to the agent out of band; it works once, until expiresAt.' })
  token: string;

  @Field({ description: 'When the token stops working (ISO 8601 with offset, UTC).' })
  expiresAt: Date;
}
