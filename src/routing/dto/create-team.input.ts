import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsBoolean, IsEnum, IsOptional, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { AssignmentStrategyEnum } from '../entities/team.entity';
import '../../tickets/graphql-enums';
import { TicketCategory } from '../../tickets/ticket-enums';
import { IsNotBlank } from '../../common/validators';

/** How a team hands out tickets; shared by create and update. */
@InputType({ isAbstract: true })
abstract class TeamAssignmentInput {
  @Field(() => AssignmentStrategyEnum, { nullable: true, description: 'Default MANUAL.' })
  @IsOptional()
  @IsEnum(AssignmentStrategyEnum)
  assignmentStrategy?: AssignmentStrategyEnum;

  @Field({ description: 'VIP tickets only to supervisors and admins; false unless given when creating.', nullable: true })
  @IsOptional()
  @IsBoolean()
  vipToSeniors?: boolean;

  @Field({ description: "Hand an agent's NEW and OPEN tickets back to the team when they go OFFLINE; false unless given when creating.", nullable: true })
  @IsOptional()
  @IsBoolean()
  reassignOnOffline?: boolean;
}

@InputType({ description: 'A new team.' })
export class CreateTeamInput extends TeamAssignmentInput {
  @Field({ description: 'Unique within the store (CONFLICT when taken).' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name: string;

  @Field(() => [TicketCategory], { nullable: true, description: 'Categories this team owns.' })
  @IsOptional()
  @IsArray()
  @IsEnum(TicketCategory, { each: true })
  categories?: TicketCategory[];

  @Field(() => ID, { description: 'The team lead, notified of escalations; added as a member.', nullable: true })
  @IsOptional()
  @IsUUID()
  leadId?: string;

  @Field(() => [ID], { description: 'Agents in the team.', nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  memberIds?: string[];
}

@InputType({ description: 'Changes to a team; omitted fields stay as they are.' })
export class UpdateTeamInput extends TeamAssignmentInput {
  @Field({ description: 'Unique within the store (CONFLICT when taken).', nullable: true })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name?: string;

  @Field(() => [TicketCategory], { description: 'Replaces the categories the team owns.', nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(TicketCategory, { each: true })
  categories?: TicketCategory[];

  @Field(() => ID, { nullable: true, description: 'Null removes the lead.' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsUUID()
  leadId?: string | null;
}
