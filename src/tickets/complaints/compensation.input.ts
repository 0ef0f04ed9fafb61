import { Field, Float, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { IsDate, IsEnum, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsMoneyAmount } from '../../common/validators';
import { CompensationKind } from './compensation.entity';

@InputType({ description: 'What the store gave an unhappy customer, recorded on the complaint ticket.' })
export class RecordCompensationInput {
  @Field(() => ID, { description: 'The complaint ticket (NOT_FOUND when not in the store).' })
  @IsUUID()
  ticketId: string;

  @Field(() => CompensationKind, { description: 'What was given.' })
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

  @Field({ description: 'Free text for colleagues, e.g. the coupon code.', nullable: true })
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
registerEnumType(CompensationGroupBy, {
  valuesMap: {
    CATEGORY: { description: 'One row per ticket category.' },
    DAY: { description: 'One row per day (store time zone).' },
    KIND: { description: 'One row per compensation kind.' },
    MONTH: { description: 'One row per calendar month (store time zone).' },
    WEEK: { description: 'One row per week starting Sunday (store time zone).' },
  },
  name: 'CompensationGroupBy',
  description: "Time buckets are in the store's time zone; weeks start on Sunday.",
});

@InputType({ description: "The period of compensation totals (instants; buckets use the store's time zone)." })
export class CompensationTotalsFilter {
  @Field({ description: 'Recorded at or after.' })
  @IsDate()
  from: Date;

  @Field({ description: 'Recorded before.' })
  @IsDate()
  to: Date;
}
