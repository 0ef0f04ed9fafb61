import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import '../../tickets/graphql-enums';
import { Channel } from '../../tickets/ticket-enums';
import { KbArticle } from '../entities/kb-article.entity';

@ObjectType({ description: 'An article found for a question, with how sure the match is.' })
export class ArticleMatch {
  @Field(() => KbArticle, { description: 'The matching article.' })
  article: KbArticle;

  @Field(() => Float, { description: '0–1: how well the article covers the words of the question (title, tags and summary count more than the body; typos and suffixes count partly).' })
  confidence: number;

  @Field(() => String, { nullable: true, description: 'A snippet of the article with the matched words in <mark>, HTML-escaped.' })
  highlight: string | null;
}

@ObjectType({ description: "The store's help centre and FAQ auto-answer settings." })
export class KnowledgeBaseSettings {
  @Field(() => [Channel], { description: 'Channels where a new question gets an automatic answer from a published article; empty: off.' })
  autoAnswerChannels: Channel[];

  @Field(() => Float, { description: 'How sure the match must be (0.3–1) before the customer gets an automatic answer.' })
  autoAnswerMinConfidence: number;

  @Field(() => String, { description: 'The help centre\'s address; an article\'s link is this + "/" + its slug. Null: answers carry no link.', nullable: true })
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

  @Field(() => Float, { nullable: true, description: 'Helped over answered, in [0, 1]; null when nothing was answered.' })
  deflectionRate: number | null;
}
