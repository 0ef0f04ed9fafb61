import { Field, ID, InputType } from '@nestjs/graphql';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsEnum, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import '../graphql-enums';
import { CustomerTier } from '../ticket-enums';
import { LIMITS } from '../../common/validators';

@InputType({ description: 'Who the ticket is from: an existing customer id, or identities that find or create one.' })
export class CustomerRefInput {
  @Field(() => ID, { description: "An existing customer's id (NOT_FOUND when not in the store); other identities given are attached to it.", nullable: true })
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  id?: string;

  @Field({ description: 'An email address (matched case-insensitively).', nullable: true })
  @ApiPropertyOptional({ example: 'sara@example.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  @Field({ nullable: true, description: 'Any common format; national numbers use the store country.' })
  @ApiPropertyOptional({ example: '0501234567' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  phone?: string;

  @Field({ nullable: true, description: 'A WhatsApp number; the same customer as the phone number.' })
  @ApiPropertyOptional({ example: '966501234567' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  whatsapp?: string;

  @Field({ description: "The customer's Instagram handle or user id.", nullable: true })
  @ApiPropertyOptional({ example: '@sara.shop' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  instagram?: string;

  @Field({ description: "The customer's X handle or user id.", nullable: true })
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  x?: string;

  @Field({ description: "The customer's Facebook (Messenger) user id.", nullable: true })
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  facebook?: string;

  @Field({ nullable: true, description: "The store platform's customer id." })
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.ref)
  externalId?: string;

  @Field({ nullable: true, description: 'Used when the customer is created.' })
  @ApiPropertyOptional({ example: 'سارة العتيبي' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.name)
  name?: string;

  @Field(() => CustomerTier, { description: "Set the customer's tier (MANUAL tier source); omitted: the store's tier rules decide.", nullable: true })
  @ApiPropertyOptional({ enum: CustomerTier })
  @IsOptional()
  @IsEnum(CustomerTier)
  tier?: CustomerTier;
}
