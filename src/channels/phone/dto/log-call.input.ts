import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsEnum, IsInt, IsOptional, IsString, IsUrl, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Ticket } from '../../../tickets/entities/ticket.entity';
import { IsNotBlank, LIMITS } from '../../../common/validators';
import { Call, CallDirection, CallOutcome } from '../entities/call.entity';

@InputType({ description: 'A call as the phone system reports it when it ends.' })
export class LogCallInput {
  @Field(() => CallDirection, { description: 'Who called whom.' })
  @ApiProperty({ enum: CallDirection })
  @IsEnum(CallDirection)
  direction: CallDirection;

  @Field(() => CallOutcome, { description: 'How the call went; MISSED and VOICEMAIL ask for a call back.' })
  @ApiProperty({ enum: CallOutcome })
  @IsEnum(CallOutcome)
  outcome: CallOutcome;

  @Field({ description: 'Any common format; national numbers use the store country.' })
  @ApiProperty({ example: '0501234567' })
  @IsString()
  @IsNotBlank()
  @MaxLength(40)
  from: string;

  @Field({ description: 'The number called; any common format.' })
  @ApiProperty({ example: '+966112345678' })
  @IsString()
  @IsNotBlank()
  @MaxLength(40)
  to: string;

  @Field({ description: 'When the call started (ISO 8601 with offset).' })
  @ApiProperty({ example: '2026-11-25T09:15:00+03:00' })
  @Type(() => Date)
  @IsDate()
  startedAt: Date;

  @Field({ description: 'When the call ended; at most 24 hours after startedAt.', nullable: true })
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  endedAt?: Date;

  @Field(() => Int, { nullable: true, description: 'Talk time; computed from startedAt/endedAt when omitted.' })
  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(86_400)
  durationSeconds?: number;

  @Field({ description: 'Link to the recording at the phone system (http or https).', nullable: true })
  @ApiPropertyOptional()
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  @MaxLength(2000)
  recordingUrl?: string;

  @Field(() => ID, { description: 'The agent who took or made the call; must be an agent of the store (NOT_FOUND otherwise).', nullable: true })
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  agentId?: string;

  @Field({ nullable: true, description: 'The phone system (e.g. "twilio", "unifonic"); "api" by default.' })
  @ApiPropertyOptional({ example: 'unifonic' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  provider?: string;

  @Field({ nullable: true, description: "The phone system's call id: a repeat of the same call is recorded once." })
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.ref)
  providerCallId?: string;

  @Field({ nullable: true, description: "The agent's notes about the call." })
  @ApiPropertyOptional({ example: 'العميل يسأل عن موعد التوصيل، وعدته بالاتصال بعد التأكد من شركة الشحن' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.body)
  note?: string;
}

@ObjectType({ description: 'The logged call and the ticket it is on (found or opened for the customer).' })
export class LogCallPayload {
  @Field(() => Call, { description: 'The call as stored.' })
  call: Call;

  @Field(() => Ticket, { description: "The customer's open ticket the call was added to, or the one opened for it." })
  ticket: Ticket;

  @Field({ description: 'False when the call was already recorded (same provider call id).' })
  created: boolean;
}
