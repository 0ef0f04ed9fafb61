import { Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsBoolean, IsDate, IsEnum, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import '../graphql-enums';
import { Channel, SlaHealth, TicketCategory, TicketPriority, TicketStatus } from '../ticket-enums';

@InputType({ description: 'Which tickets to list; every field given must match, lists match any of their values.' })
export class TicketsFilterInput {
  @Field(() => [TicketStatus], { description: 'Only these statuses.', nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(TicketStatus, { each: true })
  status?: TicketStatus[];

  @Field(() => [TicketPriority], { description: 'Only these priorities.', nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(TicketPriority, { each: true })
  priority?: TicketPriority[];

  @Field(() => [TicketCategory], { description: 'Only these categories.', nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(TicketCategory, { each: true })
  category?: TicketCategory[];

  @Field(() => [Channel], { description: 'Only these channels.', nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(Channel, { each: true })
  channel?: Channel[];

  @Field(() => ID, { description: 'Only tickets assigned to this agent.', nullable: true })
  @IsOptional()
  @IsUUID()
  assigneeId?: string;

  @Field({ nullable: true, description: 'True: only unassigned tickets.' })
  @IsOptional()
  @IsBoolean()
  unassigned?: boolean;

  @Field(() => ID, { description: "Only this team's tickets.", nullable: true })
  @IsOptional()
  @IsUUID()
  teamId?: string;

  @Field(() => ID, { description: "Only this customer's tickets.", nullable: true })
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

registerEnumType(TicketSortField, {
  valuesMap: { CREATED_AT: { description: 'By creation time.' }, PRIORITY: { description: 'By priority, then newest first.' }, UPDATED_AT: { description: 'By last change.' } },
  name: 'TicketSortField',
  description: 'PRIORITY sorts by priority, then newest first.',
});
registerEnumType(SortDirection, {
  valuesMap: { ASC: { description: 'Smallest (oldest, lowest) first.' }, DESC: { description: 'Largest (newest, highest) first.' } },
  description: 'Sort order.',
  name: 'SortDirection',
});

@InputType({ description: 'How to order a ticket list.' })
export class TicketSortInput {
  @Field(() => TicketSortField, { description: 'CREATED_AT unless given.', defaultValue: TicketSortField.CREATED_AT })
  @IsOptional()
  @IsEnum(TicketSortField)
  field: TicketSortField;

  @Field(() => SortDirection, { description: 'DESC unless given.', defaultValue: SortDirection.DESC })
  @IsOptional()
  @IsEnum(SortDirection)
  direction: SortDirection;
}
