import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Field, Float, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDate, IsEnum, IsInt, IsOptional, IsString, Matches, MaxLength, Min, ValidateNested } from 'class-validator';
import { CustomerRefInput } from '../../../tickets/dto/customer-ref.input';
import { IsMoneyAmount, IsNotBlank } from '../../../common/validators';

/** Below numeric(14,2)'s ceiling, with room for a customer's lifetime sum. */
const MAX_ORDER_AMOUNT = 1_000_000_000;
import { Customer } from '../../../tickets/entities/customer.entity';
import { Order } from '../entities/order.entity';
import { ScheduledAutomation } from '../entities/scheduled-automation.entity';
import { StoreEvent, StoreEventType } from '../entities/store-event.entity';

@InputType({ description: 'One line of an order.' })
export class OrderItemInput {
  @Field({ description: "The store's product id or SKU; tickets name it in productRef." })
  @ApiProperty({ example: 'SKU-ABAYA-01' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  productId: string;

  @Field({ description: "The product's name as shown to the customer." })
  @ApiProperty({ example: 'عباية سوداء مطرزة' })
  @IsString()
  @IsNotBlank()
  @MaxLength(500)
  name: string;

  @Field(() => Int, { description: 'How many, 1 or more.', defaultValue: 1 })
  @ApiPropertyOptional({ example: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  quantity: number = 1;

  @Field(() => Float, { description: "Unit price in the order's currency, 0 or more, in hundredths at most.", nullable: true })
  @ApiPropertyOptional({ example: 349 })
  @IsOptional()
  @IsMoneyAmount(MAX_ORDER_AMOUNT)
  price?: number;
}

@InputType({ description: 'Something that happened to an order in the store (Salla, Zid, Shopify …).' })
export class StoreEventInput {
  @Field(() => StoreEventType, { description: 'What happened.' })
  @ApiProperty({ enum: StoreEventType, example: StoreEventType.ORDER_DELIVERED })
  @IsEnum(StoreEventType)
  type: StoreEventType;

  @Field({ nullable: true, description: 'Your event id: the same id twice is recorded once. Default: order id + type + time.' })
  @ApiPropertyOptional({ example: 'evt_9f1c2' })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  eventId?: string;

  @Field({ description: "The store's order id." })
  @ApiProperty({ example: '4512' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  orderId: string;

  @Field({ nullable: true, description: 'When it happened; default now.' })
  @ApiPropertyOptional({ example: '2026-11-20T14:00:00+03:00' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  occurredAt?: Date;

  @Field(() => CustomerRefInput, { description: 'The customer, found by any identity given or created.' })
  @ApiProperty({ type: () => CustomerRefInput })
  @ValidateNested()
  @Type(() => CustomerRefInput)
  customer: CustomerRefInput;

  @Field(() => Float, { description: 'Order total in currency, 0 or more, in hundredths at most.', nullable: true })
  @ApiPropertyOptional({ example: 698 })
  @IsOptional()
  @IsMoneyAmount(MAX_ORDER_AMOUNT)
  totalAmount?: number;

  @Field({ nullable: true, description: 'ISO 4217; default SAR.' })
  @ApiPropertyOptional({ example: 'SAR' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as SAR' })
  currency?: string;

  @Field(() => [OrderItemInput], { description: "The order's lines; replaces the stored items when given.", nullable: true })
  @ApiPropertyOptional({ type: () => [OrderItemInput] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => OrderItemInput)
  items?: OrderItemInput[];

  @Field({ nullable: true, description: 'For ORDER_DELAYED: the new expected delivery date.' })
  @ApiPropertyOptional({ example: '2026-11-28T18:00:00+03:00' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  expectedDeliveryAt?: Date;
}

@ObjectType({ description: 'The recorded store event and the order as it now is.' })
export class StoreEventResult {
  @Field(() => StoreEvent, { description: 'The event as stored (the first one for a repeated eventId).' })
  event: StoreEvent;

  @Field(() => Order, { description: 'The order after the event.' })
  order: Order;

  @Field(() => Customer, { description: 'With its lifetime value, order count and tier after this event.' })
  customer: Customer;

  @Field({ description: 'True: this event id was recorded before; nothing changed.' })
  duplicate: boolean;

  @Field(() => [ScheduledAutomation], { description: "The order's automations after this event." })
  automations: ScheduledAutomation[];
}
