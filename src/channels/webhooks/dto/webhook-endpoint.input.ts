import { Field, InputType, ObjectType, PartialType } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsBoolean, IsEnum, IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';
import '../../../tickets/graphql-enums';
import { TicketEventType } from '../../../tickets/ticket-enums';
import { ConnectionType } from '../../../common/graphql/connection';
import { WebhookDelivery } from '../entities/webhook-delivery.entity';
import { WebhookEndpoint } from '../entities/webhook-endpoint.entity';

@InputType({ description: 'An address that receives signed POSTs of ticket events.' })
export class CreateWebhookEndpointInput {
  @Field({ description: 'Where events are POSTed, e.g. https://erp.example.sa/hooks/rida.' })
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  @MaxLength(2000)
  url: string;

  @Field(() => [TicketEventType], { nullable: true, description: 'The events to send; none or empty: all of them.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsEnum(TicketEventType, { each: true })
  events?: TicketEventType[];

  @Field({ description: 'A note for people, e.g. "ERP ticket sync".', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

@InputType({ description: 'Changes to a webhook endpoint; omitted fields stay as they are.' })
export class UpdateWebhookEndpointInput extends PartialType(CreateWebhookEndpointInput) {
  @Field({ nullable: true, description: 'False pauses deliveries (they wait); true resumes them, in order.' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

@ObjectType({ description: 'An endpoint with its signing secret: shown only here, once.' })
export class WebhookEndpointWithSecret {
  @Field(() => WebhookEndpoint, { description: 'The endpoint.' })
  endpoint: WebhookEndpoint;

  @Field({ description: 'Verify `Rida-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">` with it.' })
  secret: string;
}

@ObjectType({ description: "A page of an endpoint's deliveries, newest first (Relay cursor connection): ask for `first` (1–100) and pass `pageInfo.endCursor` as `after` for the next page." })
export class WebhookDeliveryConnection extends ConnectionType(WebhookDelivery) {}
