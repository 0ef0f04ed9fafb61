import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEnum, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import '../../tickets/graphql-enums';
import { Channel, CustomerTier, TicketCategory, TicketPriority, TicketStatus } from '../../tickets/ticket-enums';
import { IsNotBlank } from '../../common/validators';

export enum WeekdayEnum {
  SUN = 'SUN',
  MON = 'MON',
  TUE = 'TUE',
  WED = 'WED',
  THU = 'THU',
  FRI = 'FRI',
  SAT = 'SAT',
}
export enum SlaClockEnum {
  BUSINESS = 'BUSINESS',
  CALENDAR = 'CALENDAR',
}
registerEnumType(WeekdayEnum, { name: 'Weekday' });
registerEnumType(SlaClockEnum, { name: 'SlaClock', description: 'BUSINESS counts open hours of the store calendar; CALENDAR counts all time.' });

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

// ── calendar ──────────────────────────────────────────────────────────────────────────────

@ObjectType('TimeRange')
@InputType('TimeRangeInput')
export class TimeRangeType {
  @Field({ description: 'HH:MM local time.' })
  @Matches(HHMM, { message: 'start must be HH:MM' })
  start: string;

  @Field({ description: 'HH:MM or 24:00; not after start means the next day (a shift across midnight).' })
  @Matches(HHMM, { message: 'end must be HH:MM or 24:00' })
  end: string;
}

@ObjectType('WeekdayHours')
@InputType('WeekdayHoursInput')
export class WeekdayHoursType {
  @Field(() => WeekdayEnum)
  @IsEnum(WeekdayEnum)
  day: WeekdayEnum;

  @Field(() => [TimeRangeType], { description: 'Empty: closed all day.' })
  @IsArray()
  @ArrayMaxSize(6)
  @ValidateNested({ each: true })
  @Type(() => TimeRangeType)
  hours: TimeRangeType[];
}

@InputType()
export class HijriDateInput {
  @Field(() => Int)
  @IsInt()
  @Min(1300)
  @Max(1600)
  year: number;

  @Field(() => Int, { description: '1–12: 9 is Ramadan, 10 Shawwal, 12 Dhu al-Hijjah.' })
  @IsInt()
  @Min(1)
  @Max(12)
  month: number;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(30)
  day: number;
}

@ObjectType('DateRange')
export class DateRangeType {
  @Field({ description: 'First day (YYYY-MM-DD, store time zone).' })
  from: string;

  @Field(() => String, { nullable: true, description: 'Last day, inclusive.' })
  to?: string;

  @Field(() => String, { nullable: true })
  name?: string;
}

@InputType()
export class HolidayInput {
  @Field({ nullable: true, description: 'YYYY-MM-DD; or give hijriFrom.' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'from must be YYYY-MM-DD' })
  from?: string;

  @Field({ nullable: true })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'to must be YYYY-MM-DD' })
  to?: string;

  @Field(() => HijriDateInput, { nullable: true, description: 'The first day as a Hijri (Umm al-Qura) date.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => HijriDateInput)
  hijriFrom?: HijriDateInput;

  @Field(() => HijriDateInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => HijriDateInput)
  hijriTo?: HijriDateInput;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

@ObjectType('HoursOverride')
export class HoursOverrideType extends DateRangeType {
  @Field(() => [TimeRangeType])
  hours: TimeRangeType[];
}

@InputType()
export class HoursOverrideInput extends HolidayInput {
  @Field(() => [TimeRangeType], { description: 'The hours of every day in the range (Ramadan: 10:00–15:00 and 21:00–01:00).' })
  @IsArray()
  @ArrayMaxSize(6)
  @ValidateNested({ each: true })
  @Type(() => TimeRangeType)
  hours: TimeRangeType[];
}

@ObjectType('BusinessCalendar')
export class BusinessCalendarType {
  @Field()
  timeZone: string;

  @Field(() => [WeekdayHoursType])
  weekly: WeekdayHoursType[];

  @Field(() => [DateRangeType])
  holidays: DateRangeType[];

  @Field(() => [HoursOverrideType])
  overrides: HoursOverrideType[];

  @Field()
  updatedAt: Date;
}

@InputType()
export class UpdateBusinessCalendarInput {
  @Field({ nullable: true, description: 'IANA time zone, e.g. Asia/Riyadh.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timeZone?: string;

  @Field(() => [WeekdayHoursType], { nullable: true, description: 'Replaces the week; days not listed are closed.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(7)
  @ValidateNested({ each: true })
  @Type(() => WeekdayHoursType)
  weekly?: WeekdayHoursType[];

  @Field(() => [HolidayInput], { nullable: true, description: 'Replaces all holidays.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => HolidayInput)
  holidays?: HolidayInput[];

  @Field(() => [HoursOverrideInput], { nullable: true, description: 'Replaces all overrides.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => HoursOverrideInput)
  overrides?: HoursOverrideInput[];
}

// ── policies ──────────────────────────────────────────────────────────────────────────────

@ObjectType('SlaTargetSpec')
@InputType('SlaTargetSpecInput')
export class SlaTargetSpecType {
  @Field(() => Int, { description: 'Seconds of business or calendar time.' })
  @IsInt()
  @Min(60)
  @Max(365 * 86_400)
  seconds: number;

  @Field(() => SlaClockEnum)
  @IsEnum(SlaClockEnum)
  clock: SlaClockEnum;
}

@ObjectType('SlaConditions')
@InputType('SlaConditionsInput')
export class SlaConditionsType {
  @Field(() => [Channel], { nullable: true })
  @IsOptional()
  @IsEnum(Channel, { each: true })
  channels?: Channel[];

  @Field(() => [TicketCategory], { nullable: true })
  @IsOptional()
  @IsEnum(TicketCategory, { each: true })
  categories?: TicketCategory[];

  @Field(() => [TicketPriority], { nullable: true })
  @IsOptional()
  @IsEnum(TicketPriority, { each: true })
  priorities?: TicketPriority[];

  @Field(() => [CustomerTier], { nullable: true })
  @IsOptional()
  @IsEnum(CustomerTier, { each: true })
  tiers?: CustomerTier[];

  @Field(() => [String], { nullable: true, description: 'Matches tickets with any of these tags.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  tags?: string[];
}

@ObjectType('SlaEscalation')
@InputType('SlaEscalationInput')
export class SlaEscalationType {
  @Field({ description: 'On breach, raise the priority one step.' })
  @IsBoolean()
  raisePriority: boolean;

  @Field({ description: "On breach, assign the ticket to its team's lead." })
  @IsBoolean()
  reassignToLead: boolean;

  @Field(() => String, { nullable: true, description: 'On breach, add this tag.' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  addTag: string | null;
}

@ObjectType('SlaPolicy')
export class SlaPolicyType {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field(() => Int, { description: 'Lower first; the first active policy whose conditions hold applies.' })
  position: number;

  @Field(() => SlaConditionsType)
  conditions: SlaConditionsType;

  @Field(() => SlaTargetSpecType, { nullable: true })
  firstResponse: SlaTargetSpecType | null;

  @Field(() => SlaTargetSpecType, { nullable: true, description: 'After each customer message.' })
  nextResponse: SlaTargetSpecType | null;

  @Field(() => SlaTargetSpecType, { nullable: true })
  resolution: SlaTargetSpecType | null;

  @Field(() => Int)
  warnAtPercent: number;

  @Field(() => [TicketStatus], { description: 'Statuses that stop the clocks.' })
  pauseWhile: TicketStatus[];

  @Field(() => SlaEscalationType)
  escalation: SlaEscalationType;

  @Field()
  active: boolean;
}

@InputType()
export class SlaPolicyInput {
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  position?: number;

  @Field(() => SlaConditionsType, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => SlaConditionsType)
  conditions?: SlaConditionsType;

  @Field(() => SlaTargetSpecType, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => SlaTargetSpecType)
  firstResponse?: SlaTargetSpecType | null;

  @Field(() => SlaTargetSpecType, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => SlaTargetSpecType)
  nextResponse?: SlaTargetSpecType | null;

  @Field(() => SlaTargetSpecType, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => SlaTargetSpecType)
  resolution?: SlaTargetSpecType | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(99)
  warnAtPercent?: number;

  @Field(() => [TicketStatus], { nullable: true })
  @IsOptional()
  @IsEnum(TicketStatus, { each: true })
  pauseWhile?: TicketStatus[];

  @Field(() => SlaEscalationType, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => SlaEscalationType)
  escalation?: SlaEscalationType;

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
