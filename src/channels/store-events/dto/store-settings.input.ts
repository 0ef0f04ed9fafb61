import { Field, Float, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEnum, IsInt, IsNumber, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { IsNotBlank } from '../../../common/validators';
import { CustomerTier } from '../../../tickets/ticket-enums';
import { AutomationKind } from '../entities/scheduled-automation.entity';

/** Declared here rather than on the StoreSettings entity: test set-up loads entities outside jest's module registry. */
@ObjectType({ description: 'A tier earned by lifetime value or by number of orders (either is enough).' })
export class TierRuleView {
  @Field(() => CustomerTier, { description: 'The tier.' })
  tier: CustomerTier;

  @Field(() => Float, { description: 'Lifetime value needed, in the store currency; null: no threshold.', nullable: true })
  minLifetimeValue: number | null;

  @Field(() => Int, { description: 'Paid orders needed; null: no threshold.', nullable: true })
  minOrders: number | null;
}

@ObjectType({ description: 'The approved WhatsApp template an automation sends on WhatsApp instead of its message.' })
export class AutomationTemplateView {
  @Field(() => AutomationKind, { description: 'The automation this template is for.' })
  kind: AutomationKind;

  @Field({ description: "The template's name as approved in WhatsApp Manager." })
  name: string;

  @Field({ description: 'The template language code, e.g. ar or en_US.' })
  language: string;

  @Field(() => [String], { description: "Placeholder names of the automation's message, one per {{n}} of the template, in order." })
  parameters: string[];
}

@InputType({ description: "The approved WhatsApp template an automation of one kind sends on WhatsApp (free-form messages are refused outside 24 hours of the customer's last message)." })
export class AutomationTemplateInput {
  @Field(() => AutomationKind, { description: 'The automation this template is for.' })
  @IsEnum(AutomationKind)
  kind: AutomationKind;

  @Field({ description: 'As approved in WhatsApp Manager, e.g. order_followup.' })
  @IsString()
  @MaxLength(512)
  name: string;

  @Field({ description: 'The template language code, e.g. ar or en_US.' })
  @IsString()
  @MaxLength(10)
  language: string;

  @Field(() => [String], { description: 'Placeholder names filling the template\'s {{1}}, {{2}} … in order, e.g. ["customer.name", "order.number"].', defaultValue: [] })
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  parameters: string[] = [];
}

@InputType({ description: 'A customer tier and what it takes to reach it; a customer gets the highest tier whose thresholds they meet.' })
export class TierRuleInput {
  @Field(() => CustomerTier, { description: 'The tier.' })
  @IsEnum(CustomerTier)
  tier: CustomerTier;

  @Field(() => Float, { nullable: true, description: 'Lifetime value (paid orders not returned or cancelled) that earns the tier.' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  minLifetimeValue?: number | null;

  @Field(() => Int, { nullable: true, description: 'Number of such orders that earns the tier (either threshold is enough).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  minOrders?: number | null;
}

/** Only the fields given change; null switches an automation off (the delays), and is refused for the other fields. */
@InputType({ description: 'Changes to the store settings; omitted fields stay as they are.' })
export class UpdateStoreSettingsInput {
  @Field(() => Int, { nullable: true, description: 'Hours after delivery for the follow-up message (1–720); null: off.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(720)
  followUpAfterDeliveryHours?: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'Days from the order (Salla, Zid) within which the store promises delivery; an order still undelivered then gets the proactive delay notice. Those platforms send no expected date. 1–90; null: off.',
  })
  @ValidateIf((o: UpdateStoreSettingsInput) => o.promisedDeliveryDays !== null && o.promisedDeliveryDays !== undefined)
  @IsInt()
  @Min(1)
  @Max(90)
  promisedDeliveryDays?: number | null;

  @Field({ description: 'Mustache template of the delivery follow-up; placeholders {{customer.name}}, {{order.id}}.', nullable: true })
  @ValidateIf((o: UpdateStoreSettingsInput) => o.followUpMessage !== undefined)
  @IsString()
  @IsNotBlank()
  @MaxLength(2000)
  followUpMessage?: string;

  @Field(() => Int, { nullable: true, description: 'Days after delivery for the CSAT survey (1–60); null: off.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  csatAfterDeliveryDays?: number | null;

  @Field({ description: 'Mustache template of the survey message; placeholders {{customer.name}}, {{order.id}}, {{survey.link}}.', nullable: true })
  @ValidateIf((o: UpdateStoreSettingsInput) => o.csatMessage !== undefined)
  @IsString()
  @IsNotBlank()
  @MaxLength(2000)
  csatMessage?: string;

  @Field({ description: 'Whether ORDER_DELAYED events open a proactive ticket.', nullable: true })
  @ValidateIf((o: UpdateStoreSettingsInput) => o.delayNotices !== undefined)
  @IsBoolean()
  delayNotices?: boolean;

  @Field({ description: 'Mustache template of the delay notice; placeholders {{customer.name}}, {{order.id}}, {{order.expectedDeliveryAt}}.', nullable: true })
  @ValidateIf((o: UpdateStoreSettingsInput) => o.delayMessage !== undefined)
  @IsString()
  @IsNotBlank()
  @MaxLength(2000)
  delayMessage?: string;

  @Field(() => Int, { nullable: true, description: 'Minutes after a ticket is solved for the survey message (0–10080; 0: at once); null: off.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_080)
  csatAfterSolveMinutes?: number | null;

  @Field({ nullable: true, description: 'The survey message after a solve, in Arabic; must contain {{survey.link}}.' })
  @ValidateIf((o: UpdateStoreSettingsInput) => o.csatAfterSolveMessage !== undefined)
  @IsString()
  @IsNotBlank()
  @MaxLength(2000)
  csatAfterSolveMessage?: string;

  @Field({ nullable: true, description: 'The survey message after a solve for English conversations; must contain {{survey.link}}.' })
  @ValidateIf((o: UpdateStoreSettingsInput) => o.csatAfterSolveMessageEn !== undefined)
  @IsString()
  @IsNotBlank()
  @MaxLength(2000)
  csatAfterSolveMessageEn?: string;

  @Field(() => String, { nullable: true, description: 'The logo on the survey page: an https URL (at most 2000 characters); null removes it.' })
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true, require_tld: true }, { message: 'surveyLogoUrl must be an https URL' })
  @MaxLength(2000)
  surveyLogoUrl?: string | null;

  @Field(() => String, { nullable: true, description: 'The accent colour of the survey page, #rrggbb (e.g. #7c3aed); null: the default.' })
  @IsOptional()
  @Matches(/^#[0-9a-fA-F]{6}$/, { message: 'surveyAccentColor must be a hex colour such as #7c3aed' })
  surveyAccentColor?: string | null;

  @Field({ nullable: true, description: 'ISO 4217, e.g. SAR; lifetime values are recounted in it at once.' })
  @ValidateIf((o: UpdateStoreSettingsInput) => o.currency !== undefined)
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as SAR' })
  currency?: string;

  @Field(() => [TierRuleInput], { nullable: true, description: 'Replaces the tier rules; customers whose tier the rules decide are re-tiered at once.' })
  @ValidateIf((o: UpdateStoreSettingsInput) => o.tierRules !== undefined)
  @IsArray()
  @ArrayMaxSize(4)
  @ValidateNested({ each: true })
  @Type(() => TierRuleInput)
  tierRules?: TierRuleInput[];

  @Field(() => [AutomationTemplateInput], {
    nullable: true,
    description: 'Replaces the WhatsApp templates: an automation with one sends it on WhatsApp, where the 24-hour window is usually closed days after a delivery.',
  })
  @ValidateIf((o: UpdateStoreSettingsInput) => o.whatsappTemplates !== undefined)
  @IsArray()
  @ArrayMaxSize(4)
  @ValidateNested({ each: true })
  @Type(() => AutomationTemplateInput)
  whatsappTemplates?: AutomationTemplateInput[];
}
