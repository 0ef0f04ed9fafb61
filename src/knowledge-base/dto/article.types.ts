import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import '../../tickets/graphql-enums';
import { Channel } from '../../tickets/ticket-enums';
import { KbArticle } from '../entities/kb-article.entity';

@ObjectType({ description: 'An article found for a question, with how sure the match is.' })
export class ArticleMatch {
  @Field(() => KbArticle)
  article: KbArticle;

  @Field(() => Float, { description: '0–1: how well the article covers the words of the question (title, tags and summary count more than the body; typos and suffixes count partly).' })
  confidence: number;

  @Field(() => String, { nullable: true, description: 'A snippet of the article with the matched words in <mark>, HTML-escaped.' })
  highlight: string | null;
}

@ObjectType()
export class KnowledgeBaseSettings {
  @Field(() => [Channel])
  autoAnswerChannels: Channel[];

  @Field(() => Float)
  autoAnswerMinConfidence: number;

  @Field(() => String, { nullable: true })
  helpCentreUrl: string | null;
}

@ObjectType({ description: 'What the FAQ auto-answer did in a period (by when the answer was sent).' })
export class FaqDeflection {
  @Field(() => Int, { description: 'Tickets that got an automatic answer.' })
  answered: number;

  @Field(() => Int, { description: 'Solved as self-served: the customer said the answer helped.' })
  helped: number;

  @Field(() => Int, { description: 'The customer said it did not help.' })
  notHelped: number;

  @Field(() => Int, { description: 'The customer wrote something else, or an agent answered first.' })
  handedOver: number;

  @Field(() => Int, { description: 'Still waiting for the customer.' })
  pending: number;

  @Field(() => Float, { nullable: true, description: 'helped / answered; null when nothing was answered.' })
  deflectionRate: number | null;
}
