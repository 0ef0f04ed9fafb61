import { Field, ID, InputType } from '@nestjs/graphql';
import { IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { IsNotBlank, LIMITS } from '../../common/validators';

@InputType({ description: 'Where to hand a ticket over, with a note for the next person.' })
export class TransferTicketInput {
  @Field(() => ID, { nullable: true, description: 'The new team.' })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsUUID()
  teamId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The new agent; null leaves it to the team.' })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsUUID()
  assigneeId?: string | null;

  @Field({ description: 'Why, for the colleague who takes over (an internal note).' })
  @IsString()
  @IsNotBlank()
  @MaxLength(LIMITS.body)
  note: string;
}
