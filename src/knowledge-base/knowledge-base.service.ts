import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AllStores } from '../common/database/all-stores';
import { TenantTransactions } from '../common/database/tenant-transactions';
import { definedFields } from '../common/defined-fields';
import { badInput, conflict, notFound } from '../common/errors/domain-error';
import { RequestContext, systemContext } from '../common/request-context';
import { highlight, searchDocument, toTsQuery } from '../common/text/search-text';
import { TtlCache } from '../common/ttl-cache';
import { SettingsRegion, StoreSettingsCache } from '../common/cache/store-settings-cache';
import { ContentLocale } from '../tickets/canned-replies/canned-reply.entity';
import { Channel, TicketCategory } from '../tickets/ticket-enums';
import { normaliseTags } from '../tickets/ticket-tags';
import { articleTerms, lookupTerms, markdownToText, matchConfidence, questionTerms, slugify } from './article-match';
import { ArticleFilter, ArticleInput, KnowledgeBaseSettingsInput } from './dto/article.input';
import { ArticleMatch, KnowledgeBaseSettings } from './dto/article.types';
import { ArticleStatus, KbArticle } from './entities/kb-article.entity';
import { KnowledgeBaseSettingsRow } from './entities/kb-settings.entity';

export const AUTO_ANSWER_CHANNELS: readonly Channel[] = [Channel.CHAT, Channel.WHATSAPP];
const DEFAULT_SETTINGS: KnowledgeBaseSettings = { autoAnswerChannels: [], autoAnswerMinConfidence: 0.75, helpCentreUrl: null };
const MAX_LIST = 200;
/** Articles the database hands over for ranking in the application. */
const CANDIDATES = 100;
/** word_similarity at which a query word counts as a (misspelt) candidate match of an article's head. */
const FUZZY_CANDIDATE = 0.5;

/** What counts fully in search and matching: title, tags and summary. */
function articleHead(article: KbArticle): string {
  return `${article.title} ${article.tags.join(' ')} ${article.summary}`;
}

export interface ArticleQuery {
  status?: ArticleStatus;
  locale?: ContentLocale;
  category?: TicketCategory;
}

/**
 * The store's knowledge base: articles written and published by its staff, searched by agents
 * (and suggested for a ticket), read by customers in the public help centre, and used by the FAQ
 * auto-answer. Ranking is one pure function (article-match.ts) over candidates found by the
 * full-text index (any word, as a prefix) and the trigram index (typos).
 */
@Injectable()
export class KnowledgeBaseService {
  private readonly tenants = new TtlCache<string, { id: string; timezone: string; country: string }>(60_000);

  private readonly cachedSettings: SettingsRegion<KnowledgeBaseSettings>;

  constructor(
    private readonly db: TenantTransactions,
    private readonly allStores: AllStores,
    cache: StoreSettingsCache,
  ) {
    this.cachedSettings = cache.region('knowledge-base-settings');
  }

  // ── settings ──────────────────────────────────────────────────────────────────────────────

  async settings(ctx: RequestContext): Promise<KnowledgeBaseSettings> {
    return this.db.read(ctx, (m) => this.settingsIn(m, ctx.tenantId));
  }

  /** The store's settings, from this instance's cache (every auto-answer decision needs them). */
  settingsIn(m: EntityManager, tenantId: string): Promise<KnowledgeBaseSettings> {
    return this.cachedSettings.get(tenantId, () => this.storedSettings(m, tenantId));
  }

  private async storedSettings(m: EntityManager, tenantId: string): Promise<KnowledgeBaseSettings> {
    const row = await m.findOneBy(KnowledgeBaseSettingsRow, { tenantId });
    return row ? { autoAnswerChannels: row.autoAnswerChannels, autoAnswerMinConfidence: row.autoAnswerMinConfidence, helpCentreUrl: row.helpCentreUrl } : { ...DEFAULT_SETTINGS };
  }

  async updateSettings(ctx: RequestContext, input: KnowledgeBaseSettingsInput): Promise<KnowledgeBaseSettings> {
    const unsupported = (input.autoAnswerChannels ?? []).filter((c) => !AUTO_ANSWER_CHANNELS.includes(c));
    if (unsupported.length) {
      throw badInput(`The FAQ auto-answer works on ${AUTO_ANSWER_CHANNELS.join(' and ')}, not ${unsupported.join(', ')}`, {
        autoAnswerChannels: [`unsupported: ${unsupported.join(', ')}`],
      });
    }
    return this.db.run(ctx, async (m) => {
      const next = { ...(await this.storedSettings(m, ctx.tenantId)), ...definedFields(input) };
      next.autoAnswerChannels = [...new Set(next.autoAnswerChannels)];
      next.helpCentreUrl = next.helpCentreUrl?.replace(/\/+$/, '') || null;
      await m.upsert(KnowledgeBaseSettingsRow, { tenantId: ctx.tenantId, ...next }, ['tenantId']);
      await this.cachedSettings.changedIn(m, ctx.tenantId);
      return next;
    });
  }

  // ── articles ──────────────────────────────────────────────────────────────────────────────

  async list(ctx: RequestContext, filter: ArticleFilter = {}, first = 50): Promise<KbArticle[]> {
    return this.db.read(ctx, (m) => {
      const query = m
        .createQueryBuilder(KbArticle, 'a')
        .where('a.tenant_id = :tenantId', { tenantId: ctx.tenantId })
        .orderBy('a.updated_at', 'DESC')
        .addOrderBy('a.id', 'DESC')
        .take(Math.min(Math.max(first, 1), MAX_LIST));
      if (filter.status) query.andWhere('a.status = :status', { status: filter.status });
      if (filter.locale) query.andWhere('a.locale = :locale', { locale: filter.locale });
      if (filter.category) query.andWhere('a.category = :category', { category: filter.category });
      if (filter.tag) query.andWhere(':tag = ANY(a.tags)', { tag: normaliseTags([filter.tag])[0] ?? filter.tag });
      return query.getMany();
    });
  }

  async get(ctx: RequestContext, id: string): Promise<KbArticle> {
    const article = await this.db.read(ctx, (m) => m.findOneBy(KbArticle, { tenantId: ctx.tenantId, id }));
    if (!article) throw notFound('Article', id);
    return article;
  }

  async create(ctx: RequestContext, input: ArticleInput): Promise<KbArticle> {
    if (!input.title?.trim() || !input.body?.trim()) throw badInput('An article needs a title and a body', { article: ['title and body are required'] });
    return this.db.run(ctx, async (m) => {
      const slug = input.slug ?? (await this.freeSlug(m, ctx.tenantId, slugify(input.title!)));
      await this.checkSlugFree(m, ctx.tenantId, slug);
      const status = input.status ?? ArticleStatus.DRAFT;
      const article = m.create(KbArticle, {
        tenantId: ctx.tenantId,
        id: uuidv7(),
        slug,
        title: input.title!.trim(),
        summaryText: input.summary?.trim() || null,
        body: input.body!,
        locale: input.locale ?? ContentLocale.AR,
        category: input.category ?? null,
        tags: normaliseTags(input.tags ?? []),
        status,
        publishedAt: status === ArticleStatus.PUBLISHED ? new Date() : null,
      });
      await m.insert(KbArticle, article);
      return this.reindex(m, article);
    });
  }

  async update(ctx: RequestContext, id: string, input: ArticleInput): Promise<KbArticle> {
    return this.db.run(ctx, async (m) => {
      const article = await m.findOneBy(KbArticle, { tenantId: ctx.tenantId, id });
      if (!article) throw notFound('Article', id);
      if (input.slug && input.slug !== article.slug) await this.checkSlugFree(m, ctx.tenantId, input.slug);
      const { summary, tags, title, status, ...fields } = input;
      Object.assign(article, definedFields(fields));
      if (title !== undefined) article.title = title.trim();
      if (summary !== undefined) article.summaryText = summary?.trim() || null;
      if (tags !== undefined) article.tags = normaliseTags(tags);
      if (status && status !== article.status) {
        article.status = status;
        article.publishedAt = status === ArticleStatus.PUBLISHED ? new Date() : article.publishedAt;
      }
      await m.save(article);
      return this.reindex(m, article);
    });
  }

  async remove(ctx: RequestContext, id: string): Promise<boolean> {
    const result = await this.db.run(ctx, async (m) => {
      // The auto-answers given keep their record without the article (on Citus a foreign key
      // through tenant_id cannot clear it on delete, so the app does, first).
      await m.query(`UPDATE faq_answers SET article_id = NULL WHERE tenant_id = $1 AND article_id = $2`, [ctx.tenantId, id]);
      return m.delete(KbArticle, { tenantId: ctx.tenantId, id });
    });
    if (!result.affected) throw notFound('Article', id);
    return true;
  }

  /** Writes the normalised search columns; the head (title, tags, summary) weighs more than the body. */
  private async reindex(m: EntityManager, article: KbArticle): Promise<KbArticle> {
    await m.query(
      `UPDATE kb_articles SET search_text = $3, document = setweight(to_tsvector('simple', $3), 'A') || setweight(to_tsvector('simple', $4), 'B')
        WHERE tenant_id = $1 AND id = $2`,
      [article.tenantId, article.id, searchDocument(articleHead(article)), searchDocument(markdownToText(article.body))],
    );
    return m.findOneByOrFail(KbArticle, { tenantId: article.tenantId, id: article.id });
  }

  private async checkSlugFree(m: EntityManager, tenantId: string, slug: string) {
    if (await m.existsBy(KbArticle, { tenantId, slug })) throw conflict(`The slug ${slug} is taken by another article`);
  }

  private async freeSlug(m: EntityManager, tenantId: string, base: string): Promise<string> {
    const taken: Array<{ slug: string }> = await m.query(`SELECT slug FROM kb_articles WHERE tenant_id = $1 AND (slug = $2 OR slug LIKE $3)`, [tenantId, base, `${base.replace(/[\\%_]/g, '\\$&')}-%`]);
    const used = new Set(taken.map((t) => t.slug));
    if (!used.has(base)) return base;
    for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
  }

  // ── search ────────────────────────────────────────────────────────────────────────────────

  /** Articles for a question, best first; `first` at most 50. */
  search(tenantId: string, question: string, filter: ArticleQuery, first = 10): Promise<ArticleMatch[]> {
    return this.db.read(tenantId, (m) => this.searchIn(m, tenantId, question, filter, first));
  }

  async searchIn(m: EntityManager, tenantId: string, question: string, filter: ArticleQuery, first = 10): Promise<ArticleMatch[]> {
    const terms = questionTerms(question);
    const lookup = lookupTerms(terms);
    const tsQuery = toTsQuery(lookup, 'any');
    if (!tsQuery) return [];
    const candidates: Array<{ id: string; rank: number }> = await m.query(
      `SELECT a.id, ts_rank_cd(a.document, q) AS rank
         FROM kb_articles a, to_tsquery('simple', $5) q
        WHERE a.tenant_id = $1 AND ($2::text IS NULL OR a.status = $2) AND ($3::text IS NULL OR a.locale = $3) AND ($4::text IS NULL OR a.category = $4)
          AND (a.document @@ q OR EXISTS (SELECT 1 FROM unnest($6::text[]) t WHERE word_similarity(t, a.search_text) >= ${FUZZY_CANDIDATE}))
        ORDER BY rank DESC
        LIMIT ${CANDIDATES}`,
      [tenantId, filter.status ?? null, filter.locale ?? null, filter.category ?? null, tsQuery, lookup],
    );
    if (candidates.length === 0) return [];
    const rank = new Map(candidates.map((c) => [c.id, Number(c.rank)]));
    const articles = await m.findBy(KbArticle, { tenantId, id: In(candidates.map((c) => c.id)) });
    return articles
      .map((article) => {
        const bodyText = markdownToText(article.body);
        const confidence = matchConfidence(terms, { head: articleTerms(articleHead(article)), body: articleTerms(bodyText) });
        return { article, confidence, highlight: highlight(bodyText, lookup) ?? highlight(article.summary, lookup) };
      })
      .sort((a, b) => b.confidence - a.confidence || rank.get(b.article.id)! - rank.get(a.article.id)! || b.article.helpfulCount - a.article.helpfulCount)
      .slice(0, Math.min(Math.max(first, 1), 50));
  }

  /** The best articles for a ticket (its subject and latest customer message) or for a text. */
  async suggest(ctx: RequestContext, source: { text?: string; ticketId?: string }, first = 5): Promise<ArticleMatch[]> {
    if (!source.text === !source.ticketId) throw badInput('Give either text or ticketId', { text: ['give text or ticketId, not both'] });
    return this.db.read(ctx, async (m) => {
      let text = source.text ?? '';
      if (source.ticketId) {
        const [ticket]: Array<{ subject: string; body: string | null }> = await m.query(
          `SELECT t.subject,
                  (SELECT body FROM messages WHERE tenant_id = t.tenant_id AND ticket_id = t.id AND author_type = 'CUSTOMER' ORDER BY created_at DESC LIMIT 1) AS body
             FROM tickets t WHERE t.tenant_id = $1 AND t.id = $2`,
          [ctx.tenantId, source.ticketId],
        );
        if (!ticket) throw notFound('Ticket', source.ticketId);
        text = `${ticket.subject} ${ticket.body ?? ''}`;
      }
      return this.searchIn(m, ctx.tenantId, text, { status: ArticleStatus.PUBLISHED }, first);
    });
  }

  // ── the public help centre ────────────────────────────────────────────────────────────────

  /** The store behind a help-centre address; NOT_FOUND for an unknown slug. */
  async tenantBySlug(slug: string): Promise<{ id: string; timezone: string; country: string }> {
    const cached = this.tenants.get(slug);
    if (cached) return cached;
    // Across stores: a help centre's public address names its store by slug.
    const [row]: Array<{ id: string; timezone: string; country: string }> = await this.allStores.query(`SELECT id, timezone, default_country AS country FROM tenants WHERE slug = $1`, [slug]);
    if (!row) throw notFound('Help centre', slug);
    this.tenants.set(slug, row);
    return row;
  }

  async publishedArticles(tenantSlug: string, query: { q?: string; locale?: ContentLocale; category?: TicketCategory; first?: number }): Promise<Array<KbArticle | ArticleMatch>> {
    const tenant = await this.tenantBySlug(tenantSlug);
    const filter: ArticleQuery = { status: ArticleStatus.PUBLISHED, locale: query.locale, category: query.category };
    if (query.q?.trim()) return this.search(tenant.id, query.q, filter, query.first ?? 10);
    return this.db.read(tenant.id, (m) =>
      m.find(KbArticle, {
        where: { tenantId: tenant.id, ...definedFields(filter) },
        order: { viewCount: 'DESC', title: 'ASC' },
        take: Math.min(Math.max(query.first ?? 50, 1), MAX_LIST),
      }),
    );
  }

  async publishedArticle(tenantSlug: string, articleSlug: string): Promise<KbArticle> {
    const tenant = await this.tenantBySlug(tenantSlug);
    const article = await this.db.read(tenant.id, (m) => m.findOneBy(KbArticle, { tenantId: tenant.id, slug: articleSlug, status: ArticleStatus.PUBLISHED }));
    if (!article) throw notFound('Article', articleSlug);
    return article;
  }

  /** A read in the help centre. Leaves updated_at alone, so the article's ETag stays valid. */
  async countView(article: KbArticle): Promise<void> {
    await this.db.run(systemContext(article.tenantId), (m) => m.query(`UPDATE kb_articles SET view_count = view_count + 1 WHERE tenant_id = $1 AND id = $2`, [article.tenantId, article.id]));
  }

  async vote(tenantSlug: string, articleSlug: string, helpful: boolean): Promise<{ helpfulCount: number; notHelpfulCount: number }> {
    const article = await this.publishedArticle(tenantSlug, articleSlug);
    return this.db.run(systemContext(article.tenantId), (m) => this.countVote(m, article.tenantId, article.id, helpful));
  }

  async countVote(m: EntityManager, tenantId: string, articleId: string, helpful: boolean): Promise<{ helpfulCount: number; notHelpfulCount: number }> {
    const [[row]]: [Array<{ helpfulCount: number; notHelpfulCount: number }>, number] = await m.query(
      `UPDATE kb_articles SET ${helpful ? 'helpful_count = helpful_count + 1' : 'not_helpful_count = not_helpful_count + 1'}
        WHERE tenant_id = $1 AND id = $2 RETURNING helpful_count AS "helpfulCount", not_helpful_count AS "notHelpfulCount"`,
      [tenantId, articleId],
    );
    return row ?? { helpfulCount: 0, notHelpfulCount: 0 };
  }
}
