import { Field, InputType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsDefined, IsEnum, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import GraphQLJSON from 'graphql-type-json';
import '../graphql-enums';
import { Channel, TicketCategory, TicketPriority } from '../ticket-enums';
import { CustomerRefInput } from './customer-ref.input';
import { IsJsonObject, IsNotBlank, LIMITS } from '../../common/validators';

@InputType({ description: "A new ticket with the customer's first message." })
export class CreateTicketInput {
  @Field({ description: 'A one-line summary, up to 500 characters.' })
  @ApiProperty({ example: 'تأخر توصيل الطلب' })
  @IsString()
  @IsNotBlank()
  @MaxLength(LIMITS.subject)
  subject: string;

  @Field({ description: "The customer's first message." })
  @ApiProperty({ example: 'السلام عليكم، طلبي رقم 4521 تأخر أسبوع عن موعد التوصيل' })
  @IsString()
  @IsNotBlank()
  @MaxLength(LIMITS.body)
  body: string;

  @Field(() => CustomerRefInput, { description: 'The customer, found by any identity given or created.' })
  @ApiProperty({ type: () => CustomerRefInput })
  @IsDefined()
  @ValidateNested()
  @Type(() => CustomerRefInput)
  customer: CustomerRefInput;

  @Field(() => Channel, { description: 'Where the conversation happens; replies go out there. API unless given.', nullable: true, defaultValue: Channel.API })
  @ApiPropertyOptional({ enum: Channel, default: Channel.API })
  @IsOptional()
  @IsEnum(Channel)
  channel?: Channel;

  @Field(() => TicketCategory, { nullable: true, description: 'Omitted: the routing rules decide (GENERAL when none matches).' })
  @ApiPropertyOptional({ enum: TicketCategory, description: 'Omitted: the routing rules decide.' })
  @IsOptional()
  @IsEnum(TicketCategory)
  category?: TicketCategory;

  @Field(() => TicketPriority, { nullable: true, description: 'Omitted: computed from category, customer tier and urgent wording.' })
  @ApiPropertyOptional({ enum: TicketPriority, description: 'Omitted: computed by routing.' })
  @IsOptional()
  @IsEnum(TicketPriority)
  priority?: TicketPriority;

  @Field(() => [String], { description: 'Free tags, e.g. ["شحن"].', nullable: true })
  @ApiPropertyOptional({ type: [String], example: ['شحن', 'vip'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.tags)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(LIMITS.tag, { each: true })
  tags?: string[];

  @Field(() => GraphQLJSON, { description: 'The store\'s own fields as a JSON object, e.g. {"city": "الرياض"}.', nullable: true })
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { city: 'الرياض' } })
  @IsOptional()
  @IsJsonObject(LIMITS.customFieldsBytes)
  customFields?: Record<string, unknown>;

  @Field({ description: 'The store\'s order number the ticket is about, e.g. "4521".', nullable: true })
  @ApiPropertyOptional({ example: '4521' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.ref)
  orderRef?: string;

  @Field({ description: "The store's product id or SKU the ticket is about.", nullable: true })
  @ApiPropertyOptional({ example: 'SKU-OUD-100' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.ref)
  productRef?: string;

  @Field({ nullable: true, description: 'Repeating a create with the same key returns the same ticket.' })
  @ApiPropertyOptional({ description: 'Prefer the Idempotency-Key header.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.idempotencyKey)
  idempotencyKey?: string;

  @Field({
    nullable: true,
    defaultValue: false,
    description: "Omnichannel continuity, for messages arriving on a channel: join the customer's open ticket of the same category (within the store's window) instead of opening a new one.",
  })
  @ApiPropertyOptional({ default: false, description: "Join the customer's open ticket of the same category instead of opening a new one." })
  @IsOptional()
  @IsBoolean()
  joinOpenTicket?: boolean;

  @Field({ nullable: true, description: "The provider's id of the first message, for de-duplication." })
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(LIMITS.ref)
  externalMessageId?: string;
}
