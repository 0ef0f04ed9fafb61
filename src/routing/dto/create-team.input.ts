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

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  vipToSeniors?: boolean;

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  reassignOnOffline?: boolean;
}

@InputType()
export class CreateTeamInput extends TeamAssignmentInput {
  @Field()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name: string;

  @Field(() => [TicketCategory], { nullable: true, description: 'Categories this team owns.' })
  @IsOptional()
  @IsArray()
  @IsEnum(TicketCategory, { each: true })
  categories?: TicketCategory[];

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  leadId?: string;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  memberIds?: string[];
}

@InputType()
export class UpdateTeamInput extends TeamAssignmentInput {
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name?: string;

  @Field(() => [TicketCategory], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(TicketCategory, { each: true })
  categories?: TicketCategory[];

  @Field(() => ID, { nullable: true, description: 'null removes the lead.' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsUUID()
  leadId?: string | null;
}
