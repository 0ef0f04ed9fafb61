import { Field, InputType } from '@nestjs/graphql';
import { IsEmail, IsString, MaxLength } from 'class-validator';
import { IsNotBlank } from '../../tickets/dto/validators';

@InputType()
export class CreateAgentInput {
  @Field()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name: string;

  @Field()
  @IsEmail()
  @MaxLength(320)
  email: string;
}
