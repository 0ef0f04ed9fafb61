import { Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsBoolean, IsDate, IsEnum, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import '../graphql-enums';
import { Channel, SlaHealth, TicketCategory, TicketPriority, TicketStatus } from '../ticket-enums';

@InputType()
export class TicketsFilterInput {
  @Field(() => [TicketStatus], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(TicketStatus, { each: true })
  status?: TicketStatus[];

  @Field(() => [TicketPriority], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(TicketPriority, { each: true })
  priority?: TicketPriority[];

  @Field(() => [TicketCategory], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(TicketCategory, { each: true })
  category?: TicketCategory[];

  @Field(() => [Channel], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(Channel, { each: true })
  channel?: Channel[];

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  assigneeId?: string;

  @Field({ nullable: true, description: 'true: only unassigned tickets.' })
  @IsOptional()
  @IsBoolean()
  unassigned?: boolean;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  teamId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  customerId?: string;

  @Field(() => [String], { nullable: true, description: 'Tickets having all of these tags.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  tags?: string[];

  @Field(() => [SlaHealth], { nullable: true, description: 'The queue to rescue: [AT_RISK, BREACHED].' })
  @IsOptional()
  @IsArray()
  @IsEnum(SlaHealth, { each: true })
  slaStatus?: SlaHealth[];

  @Field({ nullable: true, description: 'Created at or after (inclusive).' })
  @IsOptional()
  @IsDate()
  createdFrom?: Date;

  @Field({ nullable: true, description: 'Created before (exclusive).' })
  @IsOptional()
  @IsDate()
  createdTo?: Date;
}

export enum TicketSortField {
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
  PRIORITY = 'PRIORITY',
}

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

registerEnumType(TicketSortField, { name: 'TicketSortField', description: 'PRIORITY sorts by priority, then newest first.' });
registerEnumType(SortDirection, { name: 'SortDirection' });

@InputType()
export class TicketSortInput {
  @Field(() => TicketSortField, { defaultValue: TicketSortField.CREATED_AT })
  @IsOptional()
  @IsEnum(TicketSortField)
  field: TicketSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.DESC })
  @IsOptional()
  @IsEnum(SortDirection)
  direction: SortDirection;
}
