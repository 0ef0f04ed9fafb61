import { Field, InputType, Int, PartialType, OmitType } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsEnum, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import '../../common/graphql/shared-enums';
import { TicketCategory } from '../../common/ticket-category';
import { IsNotBlank } from '../../common/validators';
import { AgentRole, Availability } from '../entities/agent.entity';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../passwords';

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

  @Field(() => AgentRole, { nullable: true, defaultValue: AgentRole.AGENT })
  @IsOptional()
  @IsEnum(AgentRole)
  role?: AgentRole;

  @Field(() => [String], { nullable: true, description: 'ISO 639-1 codes; default ["ar"].' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @Matches(/^[a-z]{2}$/, { each: true, message: 'each language must be a two-letter code such as ar or en' })
  languages?: string[];

  @Field(() => [TicketCategory], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(TicketCategory, { each: true })
  skills?: TicketCategory[];

  @Field(() => Int, { nullable: true, description: 'Most open tickets at once; default 10.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  capacity?: number;

  @Field({ nullable: true, description: `Initial password (${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} characters); without one the agent needs a reset token.` })
  @IsOptional()
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)
  password?: string;
}

@InputType()
export class UpdateAgentInput extends PartialType(OmitType(CreateAgentInput, ['email', 'password'] as const)) {
  @Field(() => Availability, { nullable: true })
  @IsOptional()
  @IsEnum(Availability)
  availability?: Availability;

  @Field({ nullable: true, description: 'false deactivates: no sign-in, sessions end, history stays.' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
