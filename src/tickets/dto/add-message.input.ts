import { Field, ID, InputType } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import '../graphql-enums';
import { AuthorType, Channel } from '../ticket-enums';
import { IsNotBlank, LIMITS } from '../../common/validators';

@InputType()
export class AddMessageInput {
  @Field(() => ID)
  @IsUUID()
  ticketId: string;

  @Field()
  @IsString()
  @IsNotBlank()
  @MaxLength(LIMITS.body)
  body: string;

  @Field(() => AuthorType, { defaultValue: AuthorType.AGENT })
  @IsEnum(AuthorType)
  authorType: AuthorType;

  @Field(() => ID, { nullable: true, description: "The agent writing (AGENT messages); customer messages are by the ticket's customer." })
  @IsOptional()
  @IsUUID()
  authorId?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.name)
  authorName?: string;

  @Field({ defaultValue: false, description: 'An internal note, never shown to the customer.' })
  @IsBoolean()
  internal: boolean;

  @Field(() => Channel, { nullable: true, description: "Defaults to the ticket's channel." })
  @IsOptional()
  @IsEnum(Channel)
  channel?: Channel;

  @Field({ nullable: true, description: "The provider's message id; a repeat returns the stored message." })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.ref)
  externalId?: string;
}
