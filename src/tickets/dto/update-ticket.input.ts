import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsEnum, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateIf } from 'class-validator';
import '../graphql-enums';
import { Channel, TicketCategory, TicketPriority, TicketStatus } from '../ticket-enums';
import { IsNotBlank, LIMITS } from '../../common/validators';

/** Only the fields given change; `assigneeId: null` / `teamId: null` clear them. */
@InputType({ description: 'Changes to a ticket; omitted fields stay as they are. Every change is in the audit timeline.' })
export class UpdateTicketInput {
  @Field(() => TicketStatus, { description: 'The new status; only lifecycle moves are allowed (BAD_USER_INPUT otherwise, e.g. from CLOSED).', nullable: true })
  @IsOptional()
  @IsEnum(TicketStatus)
  status?: TicketStatus;

  @Field(() => TicketPriority, { description: 'The new priority.', nullable: true })
  @IsOptional()
  @IsEnum(TicketPriority)
  priority?: TicketPriority;

  @Field(() => TicketCategory, { description: 'The new category.', nullable: true })
  @IsOptional()
  @IsEnum(TicketCategory)
  category?: TicketCategory;

  @Field(() => Channel, { nullable: true, description: 'Where the conversation continues (e.g. a chat left as a message); SLA targets follow.' })
  @IsOptional()
  @IsEnum(Channel)
  channel?: Channel;

  @Field({ description: 'The new subject, up to 500 characters.', nullable: true })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(LIMITS.subject)
  subject?: string;

  @Field(() => [String], { nullable: true, description: 'Replaces all tags.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.tags)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(LIMITS.tag, { each: true })
  tags?: string[];

  @Field(() => ID, { description: 'Assign to this agent (an agent of the store); null unassigns.', nullable: true })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsUUID()
  assigneeId?: string | null;

  @Field(() => ID, { description: 'Move to this team; null removes the team.', nullable: true })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsUUID()
  teamId?: string | null;
}
