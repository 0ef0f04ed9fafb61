import { Node } from '../../common/graphql/node';
import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

@ObjectType({ implements: () => [Node], description: "The satisfaction survey of a ticket and, once answered, the customer's answer." })
export class CsatSurveyInfo {
  @Field(() => ID, { description: 'Stable id of the survey (UUID).' })
  id: string;

  @Field({ description: 'Put it in the link you send the customer; it answers this survey once.' })
  answerToken: string;

  @Field({ description: 'After this the answer token is refused (ISO 8601 with offset, UTC).' })
  expiresAt: Date;

  @Field(() => Date, { description: 'When the customer answered; null while unanswered (ISO 8601 with offset, UTC).', nullable: true })
  answeredAt: Date | null;

  @Field(() => Int, { description: '1–5; null while unanswered.', nullable: true })
  rating: number | null;

  @Field(() => String, { description: "The customer's comment, if any.", nullable: true })
  comment: string | null;

  @Field(() => Int, { description: '0–10 answer to "how likely are you to recommend us?"; null when not asked or not answered.', nullable: true })
  nps: number | null;
}

@InputType({ description: "A customer's answer to a satisfaction survey." })
export class CsatAnswerInput {
  @Field(() => Int, { description: '1 (very unhappy) to 5 (very happy).' })
  @ApiProperty({ minimum: 1, maximum: 5, example: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  rating: number;

  @Field(() => Int, { nullable: true, description: 'Optional: how likely, 0–10, the customer is to recommend the store (for NPS).' })
  @ApiPropertyOptional({ minimum: 0, maximum: 10, example: 9 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  nps?: number;

  @Field({ description: 'Free text from the customer, up to 2 000 characters.', nullable: true })
  @ApiPropertyOptional({ example: 'خدمة ممتازة وسرعة في الرد' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}
