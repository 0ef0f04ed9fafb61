import { Field, InputType, Int, PartialType, OmitType } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsEnum, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import '../../common/graphql/shared-enums';
import { TicketCategory } from '../../common/ticket-category';
import { IsNotBlank } from '../../common/validators';
import { AgentRole, Availability } from '../entities/agent.entity';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../passwords';

@InputType({ description: 'A new agent of the store.' })
export class CreateAgentInput {
  @Field({ description: 'Display name shown to colleagues and customers.' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name: string;

  @Field({ description: 'The login name; stored lower-case, unique within the store (CONFLICT when taken).' })
  @IsEmail()
  @MaxLength(320)
  email: string;

  @Field(() => AgentRole, { description: 'AGENT unless given.', nullable: true, defaultValue: AgentRole.AGENT })
  @IsOptional()
  @IsEnum(AgentRole)
  role?: AgentRole;

  @Field(() => [String], { nullable: true, description: 'ISO 639-1 codes; default ["ar"].' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @Matches(/^[a-z]{2}$/, { each: true, message: 'each language must be a two-letter code such as ar or en' })
  languages?: string[];

  @Field(() => [TicketCategory], { description: 'Categories the agent handles, for skills-based assignment; none unless given.', nullable: true })
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

@InputType({ description: 'Changes to an agent; omitted fields stay as they are.' })
export class UpdateAgentInput extends PartialType(OmitType(CreateAgentInput, ['email', 'password'] as const)) {
  @Field(() => Availability, { description: "Set the agent's availability.", nullable: true })
  @IsOptional()
  @IsEnum(Availability)
  availability?: Availability;

  @Field({ nullable: true, description: 'False deactivates: no sign-in, sessions end, history stays.' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
