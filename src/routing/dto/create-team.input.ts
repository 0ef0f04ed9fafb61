import { Field, InputType } from '@nestjs/graphql';
import { IsString, MaxLength } from 'class-validator';
import { IsNotBlank } from '../../tickets/dto/validators';

@InputType()
export class CreateTeamInput {
  @Field()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name: string;
}
