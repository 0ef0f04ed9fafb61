import { Node } from '../../common/graphql/node';
import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import '../../tickets/graphql-enums';
import { ContentLocale } from '../../tickets/canned-replies/canned-reply.entity';
import { TicketCategory } from '../../tickets/ticket-enums';
import { summaryOf } from '../article-match';

export enum ArticleStatus {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
}
registerEnumType(ArticleStatus, {
  valuesMap: { DRAFT: { description: 'Being written; visible to staff only.' }, PUBLISHED: { description: 'Live in the help centre and used by the FAQ auto-answer.' } },
  name: 'ArticleStatus',
  description: 'Only published articles reach the help centre and the FAQ auto-answer.',
});

@ObjectType({ implements: () => [Node], description: 'A knowledge-base (FAQ) article: Markdown, in Arabic or English, searchable and shown in the help centre once published.' })
@Entity('kb_articles')
@Index('kb_articles_tenant_slug_key', ['tenantId', 'slug'], { unique: true })
@Index('kb_articles_tenant_status_idx', ['tenantId', 'status', 'updatedAt'])
@Index('kb_articles_document_idx', { synchronize: false }) // GIN (tenant_id, document), in the migration
@Index('kb_articles_search_text_trgm_idx', { synchronize: false }) // GIN (tenant_id, search_text gin_trgm_ops), in the migration
@Check('kb_articles_locale_check', `locale IN ('ar','en')`)
@Check('kb_articles_status_check', `status IN ('DRAFT','PUBLISHED')`)
export class KbArticle {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID, { description: 'Stable id (UUID).' })
  @PrimaryColumn('uuid')
  id: string;

  @Field({ description: 'Unique in the store; the help-centre address of the article, e.g. سياسة-الإرجاع.' })
  @Column('text')
  slug: string;

  @Field({ description: "The article's title." })
  @Column('text')
  title: string;

  @Field({ description: 'Shown in lists and sent by the FAQ auto-answer: as written, else the first paragraph of the body.' })
  get summary(): string {
    return this.summaryText ?? summaryOf(this.body);
  }

  /** The summary as the author wrote it; null when it is taken from the body. */
  @Column('text', { name: 'summary', nullable: true })
  summaryText: string | null;

  @Field({ description: 'Markdown.' })
  @Column('text')
  body: string;

  @Field(() => ContentLocale, { description: 'The language it is written in.' })
  @Column('text')
  locale: ContentLocale;

  @Field(() => TicketCategory, { description: 'The ticket category it answers; null for any.', nullable: true })
  @Column('text', { nullable: true })
  category: TicketCategory | null;

  @Field(() => [String], { description: 'Also the words customers use for the matter ("ارجع", "فلوسي"): they count as much as the title in search and auto-answers.' })
  @Column('text', { array: true, default: () => "'{}'" })
  tags: string[];

  @Field(() => ArticleStatus, { description: 'DRAFT or PUBLISHED; only published articles are public.' })
  @Column('text')
  status: ArticleStatus;

  @Field(() => Date, { description: 'When it was first published; null for drafts never published.', nullable: true })
  @Column('timestamptz', { nullable: true })
  publishedAt: Date | null;

  @Field(() => Int, { description: 'Reads in the help centre.' })
  @Column('integer', { default: 0 })
  viewCount: number;

  @Field(() => Int, { description: '"Was this helpful?" yes votes, in the help centre and from auto-answers.' })
  @Column('integer', { default: 0 })
  helpfulCount: number;

  @Field(() => Int, { description: '"Was this helpful?" no votes, in the help centre and from auto-answers.' })
  @Column('integer', { default: 0 })
  notHelpfulCount: number;

  /** Normalised title, tags and summary, for trigram (typo-tolerant) matching; written by the service. */
  @Column({ type: 'text', nullable: true, select: false, insert: false, update: false })
  searchText: string | null;

  /** Full-text document (head weight A, body B), normalised; written by the service. */
  @Column({ type: 'tsvector', nullable: true, select: false, insert: false, update: false })
  document: string | null;

  @Field({ description: 'When it was created (ISO 8601 with offset, UTC).' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field({ description: 'When it last changed (ISO 8601 with offset, UTC).' })
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
