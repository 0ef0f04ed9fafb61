import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

@ObjectType()
export class CsatSurveyInfo {
  @Field(() => ID)
  id: string;

  @Field({ description: 'Put it in the link you send the customer; it answers this survey once.' })
  answerToken: string;

  @Field()
  expiresAt: Date;

  @Field(() => Date, { nullable: true })
  answeredAt: Date | null;

  @Field(() => Int, { nullable: true })
  rating: number | null;

  @Field(() => String, { nullable: true })
  comment: string | null;

  @Field(() => Int, { nullable: true })
  nps: number | null;
}

@InputType()
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

  @Field({ nullable: true })
  @ApiPropertyOptional({ example: 'خدمة ممتازة وسرعة في الرد' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}
