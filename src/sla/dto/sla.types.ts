import { Node } from '../../common/graphql/node';
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
registerEnumType(WeekdayEnum, {
  valuesMap: {
    FRI: { description: 'Friday (weekend in Saudi Arabia).' },
    MON: { description: 'Monday.' },
    SAT: { description: 'Saturday (weekend in Saudi Arabia).' },
    SUN: { description: 'Sunday (first working day in Saudi Arabia).' },
    THU: { description: 'Thursday.' },
    TUE: { description: 'Tuesday.' },
    WED: { description: 'Wednesday.' },
  },
  description: 'A day of the week.',
  name: 'Weekday',
});
registerEnumType(SlaClockEnum, {
  valuesMap: {
    BUSINESS: { description: "The target counts only the store's business hours (calendar, holidays, overrides)." },
    CALENDAR: { description: 'The target counts every second, day and night.' },
  },
  name: 'SlaClock',
  description: 'BUSINESS counts open hours of the store calendar; CALENDAR counts all time.',
});

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

// ── calendar ──────────────────────────────────────────────────────────────────────────────

@ObjectType('TimeRange', { description: "Opening hours within one day, in the calendar's time zone." })
@InputType('TimeRangeInput', { description: "Opening hours within one day, HH:MM, in the calendar's time zone." })
export class TimeRangeType {
  @Field({ description: 'HH:MM local time.' })
  @Matches(HHMM, { message: 'start must be HH:MM' })
  start: string;

  @Field({ description: 'HH:MM or 24:00; not after start means the next day (a shift across midnight).' })
  @Matches(HHMM, { message: 'end must be HH:MM or 24:00' })
  end: string;
}

@ObjectType('WeekdayHours', { description: 'The opening hours of one weekday.' })
@InputType('WeekdayHoursInput', { description: 'The opening hours of one weekday.' })
export class WeekdayHoursType {
  @Field(() => WeekdayEnum, { description: 'The weekday.' })
  @IsEnum(WeekdayEnum)
  day: WeekdayEnum;

  @Field(() => [TimeRangeType], { description: 'Empty: closed all day.' })
  @IsArray()
  @ArrayMaxSize(6)
  @ValidateNested({ each: true })
  @Type(() => TimeRangeType)
  hours: TimeRangeType[];
}

@InputType({ description: "A date of the Hijri (Umm al-Qura) calendar, converted to the Gregorian day in the store's time zone." })
export class HijriDateInput {
  @Field(() => Int, { description: 'Hijri year, e.g. 1448.' })
  @IsInt()
  @Min(1300)
  @Max(1600)
  year: number;

  @Field(() => Int, { description: '1–12: 9 is Ramadan, 10 Shawwal, 12 Dhu al-Hijjah.' })
  @IsInt()
  @Min(1)
  @Max(12)
  month: number;

  @Field(() => Int, { description: 'Day of the month, 1–30.' })
  @IsInt()
  @Min(1)
  @Max(30)
  day: number;
}

@ObjectType('DateRange', { description: "A range of whole days in the calendar's time zone, e.g. a holiday." })
export class DateRangeType {
  @Field({ description: 'First day (YYYY-MM-DD, store time zone).' })
  from: string;

  @Field(() => String, { nullable: true, description: 'Last day, inclusive.' })
  to?: string;

  @Field(() => String, { description: 'What the days are, e.g. "عيد الفطر".', nullable: true })
  name?: string;
}

@InputType({ description: 'Whole days off; give from (Gregorian) or hijriFrom.' })
export class HolidayInput {
  @Field({ nullable: true, description: 'YYYY-MM-DD; or give hijriFrom.' })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'from must be YYYY-MM-DD' })
  from?: string;

  @Field({ description: 'Last day, inclusive (YYYY-MM-DD); the first day only when omitted.', nullable: true })
  @IsOptional()
  @Matches(ISO_DATE, { message: 'to must be YYYY-MM-DD' })
  to?: string;

  @Field(() => HijriDateInput, { nullable: true, description: 'The first day as a Hijri (Umm al-Qura) date.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => HijriDateInput)
  hijriFrom?: HijriDateInput;

  @Field(() => HijriDateInput, { description: 'The last day as a Hijri (Umm al-Qura) date; the first day only when omitted.', nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => HijriDateInput)
  hijriTo?: HijriDateInput;

  @Field({ description: 'What the days are, e.g. "عيد الأضحى".', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

@ObjectType('HoursOverride', { description: 'Other opening hours for a range of days, such as Ramadan.' })
export class HoursOverrideType extends DateRangeType {
  @Field(() => [TimeRangeType], { description: "The hours of every day in the range, in the calendar's time zone; empty means closed." })
  hours: TimeRangeType[];
}

@InputType({ description: 'Other opening hours for a range of days; give from (Gregorian) or hijriFrom.' })
export class HoursOverrideInput extends HolidayInput {
  @Field(() => [TimeRangeType], { description: 'The hours of every day in the range (Ramadan: 10:00–15:00 and 21:00–01:00).' })
  @IsArray()
  @ArrayMaxSize(6)
  @ValidateNested({ each: true })
  @Type(() => TimeRangeType)
  hours: TimeRangeType[];
}

@ObjectType('BusinessCalendar', { description: "The store's working time, used for SLA deadlines on business-hours clocks and out-of-hours answers." })
export class BusinessCalendarType {
  @Field({ description: 'IANA time zone of the hours, e.g. Asia/Riyadh.' })
  timeZone: string;

  @Field(() => [WeekdayHoursType], { description: 'Opening hours of each weekday; a weekday not listed is closed.' })
  weekly: WeekdayHoursType[];

  @Field(() => [DateRangeType], { description: "Whole days off (e.g. Eid al-Fitr, Saudi National Day), in the calendar's time zone." })
  holidays: DateRangeType[];

  @Field(() => [HoursOverrideType], { description: "Date ranges with other hours, such as Ramadan's shorter days." })
  overrides: HoursOverrideType[];

  @Field({ description: 'When the calendar last changed (ISO 8601 with offset, UTC).' })
  updatedAt: Date;
}

@InputType({ description: "The store's new working time; lists given replace the stored ones." })
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

@ObjectType('SlaTargetSpec', { description: 'A target duration and the clock it is counted on.' })
@InputType('SlaTargetSpecInput', { description: 'A target duration and the clock it is counted on.' })
export class SlaTargetSpecType {
  @Field(() => Int, { description: 'Seconds of business or calendar time.' })
  @IsInt()
  @Min(60)
  @Max(365 * 86_400)
  seconds: number;

  @Field(() => SlaClockEnum, { description: 'Calendar time or business hours.' })
  @IsEnum(SlaClockEnum)
  clock: SlaClockEnum;
}

@ObjectType('SlaConditions', { description: 'Which tickets an SLA policy applies to; every list given must match, empty lists match all.' })
@InputType('SlaConditionsInput', { description: 'Which tickets an SLA policy applies to; every list given must match, empty or omitted lists match all.' })
export class SlaConditionsType {
  @Field(() => [Channel], { description: 'Channels.', nullable: true })
  @IsOptional()
  @IsEnum(Channel, { each: true })
  channels?: Channel[];

  @Field(() => [TicketCategory], { description: 'Ticket categories.', nullable: true })
  @IsOptional()
  @IsEnum(TicketCategory, { each: true })
  categories?: TicketCategory[];

  @Field(() => [TicketPriority], { description: 'Priorities.', nullable: true })
  @IsOptional()
  @IsEnum(TicketPriority, { each: true })
  priorities?: TicketPriority[];

  @Field(() => [CustomerTier], { description: 'Customer tiers.', nullable: true })
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

@ObjectType('SlaEscalation', { description: 'What happens once when a ticket breaches a target (the team lead is notified in any case).' })
@InputType('SlaEscalationInput', { description: 'What happens once when a ticket breaches a target (the team lead is notified in any case).' })
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

@ObjectType('SlaPolicy', { implements: () => [Node], description: 'Reply and resolution targets for the tickets that match its conditions; the first active policy by position applies.' })
export class SlaPolicyType {
  @Field(() => ID, { description: 'Stable id (UUID).' })
  id: string;

  @Field({ description: 'A name for lists, e.g. "WhatsApp".' })
  name: string;

  @Field(() => Int, { description: 'Lower first; the first active policy whose conditions hold applies.' })
  position: number;

  @Field(() => SlaConditionsType, { description: 'Which tickets it applies to.' })
  conditions: SlaConditionsType;

  @Field(() => SlaTargetSpecType, { description: 'Creation to first public agent reply; null: no target.', nullable: true })
  firstResponse: SlaTargetSpecType | null;

  @Field(() => SlaTargetSpecType, { nullable: true, description: 'After each customer message.' })
  nextResponse: SlaTargetSpecType | null;

  @Field(() => SlaTargetSpecType, { description: 'Creation to solved; null: no target.', nullable: true })
  resolution: SlaTargetSpecType | null;

  @Field(() => Int, { description: 'Warn when this percentage of a target has passed (default 80).' })
  warnAtPercent: number;

  @Field(() => [TicketStatus], { description: 'Statuses that stop the clocks.' })
  pauseWhile: TicketStatus[];

  @Field(() => SlaEscalationType, { description: 'What a breach does.' })
  escalation: SlaEscalationType;

  @Field({ description: 'Inactive policies are kept but not applied.' })
  active: boolean;
}

@InputType({ description: 'An SLA policy to create (name required) or the fields to change.' })
export class SlaPolicyInput {
  @Field({ description: 'A name for lists.', nullable: true })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  name?: string;

  @Field(() => Int, { description: 'Policies are tried in ascending position; the first active match applies.', nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  position?: number;

  @Field(() => SlaConditionsType, { description: 'Which tickets it applies to; all when omitted.', nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => SlaConditionsType)
  conditions?: SlaConditionsType;

  @Field(() => SlaTargetSpecType, { description: 'Creation to first public agent reply.', nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => SlaTargetSpecType)
  firstResponse?: SlaTargetSpecType | null;

  @Field(() => SlaTargetSpecType, { description: 'Each customer message after an answer to the next public agent reply.', nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => SlaTargetSpecType)
  nextResponse?: SlaTargetSpecType | null;

  @Field(() => SlaTargetSpecType, { description: 'Creation to solved.', nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => SlaTargetSpecType)
  resolution?: SlaTargetSpecType | null;

  @Field(() => Int, { description: 'Warn when this percentage of a target has passed, 1–99.', nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(99)
  warnAtPercent?: number;

  @Field(() => [TicketStatus], { description: 'Statuses that stop the clock (default PENDING and ON_HOLD).', nullable: true })
  @IsOptional()
  @IsEnum(TicketStatus, { each: true })
  pauseWhile?: TicketStatus[];

  @Field(() => SlaEscalationType, { description: 'What a breach does.', nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => SlaEscalationType)
  escalation?: SlaEscalationType;

  @Field({ description: 'False turns it off without deleting it.', nullable: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
