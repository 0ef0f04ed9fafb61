import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators';
import { ApiErrors } from '../common/http/openapi';
import { ContentLocale } from '../tickets/canned-replies/canned-reply.entity';
import { TicketCategory } from '../tickets/ticket-enums';
import { ArticleMatch } from './dto/article.types';
import { KbArticle } from './entities/kb-article.entity';
import { KnowledgeBaseService } from './knowledge-base.service';

export class HelpCentreQuery {
  @ApiPropertyOptional({ description: 'A question or words; ranked by match confidence when given', example: 'وين طلبي' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  q?: string;

  @ApiPropertyOptional({ enum: ContentLocale })
  @IsOptional()
  @IsEnum(ContentLocale)
  locale?: ContentLocale;

  @ApiPropertyOptional({ enum: TicketCategory })
  @IsOptional()
  @IsEnum(TicketCategory)
  category?: TicketCategory;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  first?: number;
}

export class HelpfulVoteInput {
  @ApiProperty({ description: '"Was this helpful?" — yes or no' })
  @IsBoolean()
  helpful: boolean;
}

/** Lists change as articles are published; an article is cached longer and revalidated by its ETag. */
const LIST_CACHE = 'public, max-age=60';
const ARTICLE_CACHE = 'public, max-age=300, stale-while-revalidate=60';

function listItem(article: KbArticle) {
  return {
    slug: article.slug,
    title: article.title,
    summary: article.summary,
    locale: article.locale,
    category: article.category,
    tags: article.tags,
    updatedAt: article.updatedAt,
  };
}

/**
 * A store's public help centre: published articles only, by the store's slug, no login. Answers
 * carry cache headers so a CDN or the browser can serve repeated reads.
 */
@ApiTags('help centre')
@Controller('api/v1/help-centre/:tenantSlug')
export class HelpCentreController {
  constructor(private readonly kb: KnowledgeBaseService) {}

  @Get('articles')
  @Public()
  @ApiOperation({ summary: 'Published articles, most read first; with q, the best matches for a question' })
  @ApiParam({ name: 'tenantSlug', description: "The store's slug." })
  @ApiResponse({ status: 200, description: 'The articles (Cache-Control: public, max-age=60).' })
  @ApiErrors(400, 404)
  async list(@Param('tenantSlug') tenantSlug: string, @Query() query: HelpCentreQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    const found = await this.kb.publishedArticles(tenantSlug, query);
    reply.header('cache-control', LIST_CACHE);
    return {
      articles: found.map((item) => (item instanceof KbArticle ? listItem(item) : { ...listItem((item as ArticleMatch).article), confidence: item.confidence, highlight: item.highlight })),
    };
  }

  @Get('articles/:slug')
  @Public()
  @ApiOperation({ summary: 'One published article (Markdown body); counts a view' })
  @ApiParam({ name: 'tenantSlug', description: "The store's slug." })
  @ApiParam({ name: 'slug', description: "The article's slug, e.g. سياسة-الإرجاع (percent-encoded in the URL)." })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'The ETag of a copy you hold; 304 when it is still current.' })
  @ApiResponse({ status: 200, description: 'The article with its Markdown body; an ETag header for revalidation.' })
  @ApiResponse({ status: 304, description: 'Not modified since the ETag given in If-None-Match' })
  @ApiErrors(404)
  async read(@Param('tenantSlug') tenantSlug: string, @Param('slug') slug: string, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const article = await this.kb.publishedArticle(tenantSlug, slug);
    const etag = `W/"${article.id}-${article.updatedAt.getTime()}"`;
    reply.header('cache-control', ARTICLE_CACHE).header('etag', etag);
    if (ifNoneMatch?.split(',').some((tag) => tag.trim() === etag)) {
      reply.status(304);
      return undefined;
    }
    await this.kb.countView(article);
    return { ...listItem(article), body: article.body, publishedAt: article.publishedAt, helpfulCount: article.helpfulCount, notHelpfulCount: article.notHelpfulCount };
  }

  @Post('articles/:slug/votes')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: '"Was this helpful?" — counts a yes or a no' })
  @ApiParam({ name: 'tenantSlug', description: "The store's slug." })
  @ApiParam({ name: 'slug', description: "The article's slug." })
  @ApiResponse({ status: 200, description: "The article's counts after the vote." })
  @ApiErrors(400, 404)
  async vote(@Param('tenantSlug') tenantSlug: string, @Param('slug') slug: string, @Body() input: HelpfulVoteInput, @Res({ passthrough: true }) reply: FastifyReply) {
    reply.header('cache-control', 'no-store');
    return this.kb.vote(tenantSlug, slug, input.helpful);
  }
}
