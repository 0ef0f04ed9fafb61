import { Field, InputType, Int, ObjectType } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsNotBlank } from '../../common/validators';
import { ApiKey } from '../entities/api-key.entity';
import { KEY_ROLES, SCOPES } from '../permissions';

@InputType({ description: 'A new API key; its secret is returned once by createApiKey.' })
export class CreateApiKeyInput {
  @Field({ description: 'A label to tell keys apart, e.g. "Zid integration".' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name: string;

  @Field({ description: `One of ${KEY_ROLES.join(', ')}.` })
  @IsIn(KEY_ROLES)
  role: string;

  @Field(() => [String], { nullable: true, description: `Narrower than the role's grants; any of ${SCOPES.join(', ')}.` })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(SCOPES.length)
  @IsIn(SCOPES, { each: true })
  scopes?: string[];
}

@ObjectType({ description: 'A key just created, with its secret.' })
export class CreatedApiKey {
  @Field(() => ApiKey, { description: "The key's record (without the secret)." })
  apiKey: ApiKey;

  @Field({ description: 'The secret key. Shown once; only its hash is kept.' })
  key: string;
}

@ObjectType({ description: 'A token a portal or chat widget uses to act as one customer.' })
export class CustomerToken {
  @Field({ description: 'For the customer portal or chat widget: Authorization: Bearer <token>.' })
  token: string;

  @Field({ description: 'When the token stops working (ISO 8601 with offset, UTC).' })
  expiresAt: Date;
}

export const CUSTOMER_TOKEN_MAX_TTL = 7 * 86_400;

@InputType({ description: 'Options of a customer token.' })
export class CustomerTokenOptions {
  @Field(() => Int, { nullable: true, defaultValue: 3600, description: 'Lifetime in seconds (60 s – 7 days).' })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(CUSTOMER_TOKEN_MAX_TTL)
  ttlSeconds?: number;
}
