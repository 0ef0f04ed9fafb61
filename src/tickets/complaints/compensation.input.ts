import { Field, Float, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { IsDate, IsEnum, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsMoneyAmount } from '../../common/validators';
import { CompensationKind } from './compensation.entity';

@InputType()
export class RecordCompensationInput {
  @Field(() => ID)
  @IsUUID()
  ticketId: string;

  @Field(() => CompensationKind)
  @IsEnum(CompensationKind)
  kind: CompensationKind;

  @Field(() => Float, { nullable: true, description: 'Value given, e.g. the coupon value or refunded amount.' })
  @IsOptional()
  @IsMoneyAmount(10_000_000)
  amount?: number;

  @Field({ nullable: true, description: 'ISO 4217 code; default SAR.' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as SAR' })
  currency?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;

  @Field(() => Int, { nullable: true, description: 'Check back this many days after the ticket is solved: the ticket reopens with a note to confirm the customer is satisfied.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(90)
  followUpDays?: number;
}

export enum CompensationGroupBy {
  CATEGORY = 'CATEGORY',
  KIND = 'KIND',
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}
registerEnumType(CompensationGroupBy, { name: 'CompensationGroupBy', description: "Time buckets are in the store's time zone; weeks start on Sunday." });

@InputType()
export class CompensationTotalsFilter {
  @Field({ description: 'Recorded at or after.' })
  @IsDate()
  from: Date;

  @Field({ description: 'Recorded before.' })
  @IsDate()
  to: Date;
}
