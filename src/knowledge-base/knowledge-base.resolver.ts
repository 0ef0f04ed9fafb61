import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { RequirePermission } from '../auth/auth.decorators';
import { Ctx, RequestContext } from '../common/request-context';
import { ArticleFilter, ArticleInput, FaqDeflectionFilter, KnowledgeBaseSettingsInput } from './dto/article.input';
import { ArticleMatch, FaqDeflection, KnowledgeBaseSettings } from './dto/article.types';
import { ArticleStatus, KbArticle } from './entities/kb-article.entity';
import { FaqAutoAnswerService } from './faq-auto-answer.service';
import { KnowledgeBaseService } from './knowledge-base.service';

@Resolver(() => KbArticle)
export class KnowledgeBaseResolver {
  constructor(
    private readonly kb: KnowledgeBaseService,
    private readonly faq: FaqAutoAnswerService,
  ) {}

  @Query(() => [KbArticle], {
    description:
      'Knowledge-base articles, drafts included, most recently changed first. Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN.',
  })
  @RequirePermission('tickets:read')
  articles(
    @Ctx() ctx: RequestContext,
    @Args('filter', { description: 'Only articles matching it; all when omitted.', nullable: true }) filter?: ArticleFilter,
    @Args('first', { type: () => Int, defaultValue: 50, description: 'At most 200.' }) first?: number,
  ) {
    return this.kb.list(ctx, filter, first);
  }

  @Query(() => KbArticle, {
    description: 'One knowledge-base article, draft or published. Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.',
  })
  @RequirePermission('tickets:read')
  article(@Ctx() ctx: RequestContext, @Args('id', { description: "The article's id.", type: () => ID }, ParseUUIDPipe) id: string) {
    return this.kb.get(ctx, id);
  }

  @Query(() => [ArticleMatch], {
    description:
      'Articles for a question, best first: Arabic-aware (diacritics, hamza forms, ta marbuta, attached article), tolerant of typos. Drafts too unless status is given. Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT.',
  })
  @RequirePermission('tickets:read')
  searchArticles(
    @Ctx() ctx: RequestContext,
    @Args('query', { description: 'The question, in Arabic or English, at most 200 characters.' }) query: string,
    @Args('filter', { description: 'Only articles matching it.', nullable: true }) filter?: ArticleFilter,
    @Args('first', { type: () => Int, defaultValue: 10, description: 'At most 50.' }) first?: number,
  ) {
    return this.kb.search(ctx.tenantId, query, { status: filter?.status, locale: filter?.locale, category: filter?.category }, first);
  }

  @Query(() => [ArticleMatch], {
    description:
      'Published articles that may answer a ticket (its subject and latest customer message) or a text: give one of the two. Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, NOT_FOUND.',
  })
  @RequirePermission('tickets:read')
  suggestArticles(
    @Ctx() ctx: RequestContext,
    @Args('text', { description: 'A question to answer, e.g. what the customer wrote in the chat.', nullable: true }) text?: string,
    @Args('ticketId', { description: 'A ticket whose subject and latest customer message are the question.', type: () => ID, nullable: true }, new ParseUUIDPipe({ optional: true })) ticketId?: string,
    @Args('first', { type: () => Int, defaultValue: 5, description: 'At most 50.' }) first?: number,
  ) {
    return this.kb.suggest(ctx, { text, ticketId }, first);
  }

  @Mutation(() => KbArticle, {
    description:
      'A new article, a DRAFT unless status says PUBLISHED; the slug is made from the title unless given. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, CONFLICT.',
  })
  @RequirePermission('admin')
  createArticle(@Ctx() ctx: RequestContext, @Args('input', { description: 'The article; title and body are required.' }) input: ArticleInput) {
    return this.kb.create(ctx, input);
  }

  @Mutation(() => KbArticle, {
    description:
      'Changes the fields given; status PUBLISHED publishes it, DRAFT takes it out of the help centre. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT, CONFLICT.',
  })
  @RequirePermission('admin')
  updateArticle(
    @Ctx() ctx: RequestContext,
    @Args('id', { description: 'The article.', type: () => ID }, ParseUUIDPipe) id: string,
    @Args('input', { description: 'The fields to change.' }) input: ArticleInput,
  ) {
    return this.kb.update(ctx, id, input);
  }

  @Mutation(() => KbArticle, {
    description: 'Publishes a draft article: it reaches the help centre and the FAQ auto-answer. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.',
  })
  @RequirePermission('admin')
  publishArticle(@Ctx() ctx: RequestContext, @Args('id', { description: 'The article.', type: () => ID }, ParseUUIDPipe) id: string) {
    return this.kb.update(ctx, id, { status: ArticleStatus.PUBLISHED });
  }

  @Mutation(() => Boolean, {
    description: 'Deletes an article; its help-centre address stops working. Returns true. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.',
  })
  @RequirePermission('admin')
  deleteArticle(@Ctx() ctx: RequestContext, @Args('id', { description: 'The article.', type: () => ID }, ParseUUIDPipe) id: string) {
    return this.kb.remove(ctx, id);
  }

  @Query(() => KnowledgeBaseSettings, {
    description:
      'FAQ auto-answer channels and confidence, and the help-centre address for article links. Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN.',
  })
  @RequirePermission('tickets:read')
  knowledgeBaseSettings(@Ctx() ctx: RequestContext) {
    return this.kb.settings(ctx);
  }

  @Mutation(() => KnowledgeBaseSettings, {
    description: 'Changes the FAQ auto-answer and help-centre settings. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT.',
  })
  @RequirePermission('admin')
  updateKnowledgeBaseSettings(@Ctx() ctx: RequestContext, @Args('input', { description: 'The fields to change.' }) input: KnowledgeBaseSettingsInput) {
    return this.kb.updateSettings(ctx, input);
  }

  @Query(() => FaqDeflection, {
    description:
      'What the FAQ auto-answer did in a period: answered, solved as self-served (deflection rate), handed to agents. Needs the `kpis:read` scope (roles: admin, supervisor, reporting). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT.',
  })
  @RequirePermission('kpis:read')
  faqDeflection(@Ctx() ctx: RequestContext, @Args('filter', { description: 'The period and channel of the answers counted.' }) filter: FaqDeflectionFilter) {
    return this.faq.deflection(ctx, filter);
  }
}
