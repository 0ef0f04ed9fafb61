import { MigrationInterface, QueryRunner } from 'typeorm';

const RLS = (table: string) => [
  `ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`,
  `CREATE POLICY tenant_isolation ON "${table}" TO rida_app USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid)`,
];

/**
 * Knowledge base: articles with a full-text document and a trigram-indexed head (title, tags,
 * summary), both normalised in the application by the one Arabic normaliser; the store's
 * help-centre and FAQ auto-answer settings; and one record per auto-answered ticket (outcome
 * for the deflection rate).
 */
export class KnowledgeBase1764047000000 implements MigrationInterface {
  name = 'KnowledgeBase1764047000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE "kb_articles" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "slug" text NOT NULL, "title" text NOT NULL, "summary" text,
        "body" text NOT NULL, "locale" text NOT NULL, "category" text, "tags" text array NOT NULL DEFAULT '{}', "status" text NOT NULL,
        "published_at" TIMESTAMP WITH TIME ZONE, "view_count" integer NOT NULL DEFAULT 0, "helpful_count" integer NOT NULL DEFAULT 0,
        "not_helpful_count" integer NOT NULL DEFAULT 0, "search_text" text, "document" tsvector,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "kb_articles_locale_check" CHECK (locale IN ('ar','en')),
        CONSTRAINT "kb_articles_status_check" CHECK (status IN ('DRAFT','PUBLISHED')),
        CONSTRAINT "PK_kb_articles" PRIMARY KEY ("tenant_id", "id"))`,
      `CREATE UNIQUE INDEX "kb_articles_tenant_slug_key" ON "kb_articles" ("tenant_id", "slug")`,
      `CREATE INDEX "kb_articles_tenant_status_idx" ON "kb_articles" ("tenant_id", "status", "updated_at")`,
      `CREATE INDEX "kb_articles_document_idx" ON "kb_articles" USING gin ("tenant_id", "document")`,
      `CREATE INDEX "kb_articles_search_text_trgm_idx" ON "kb_articles" USING gin ("tenant_id", "search_text" gin_trgm_ops)`,
      `ALTER TABLE "kb_articles" ADD CONSTRAINT "kb_articles_tenant_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE`,

      `CREATE TABLE "kb_settings" ("tenant_id" uuid NOT NULL, "auto_answer_channels" text array NOT NULL DEFAULT '{}',
        "auto_answer_min_confidence" numeric(3,2) NOT NULL DEFAULT 0.75, "help_centre_url" text,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_kb_settings" PRIMARY KEY ("tenant_id"))`,
      `ALTER TABLE "kb_settings" ADD CONSTRAINT "kb_settings_tenant_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE`,

      `CREATE TABLE "faq_answers" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "ticket_id" uuid NOT NULL, "article_id" uuid,
        "channel" text NOT NULL, "confidence" numeric(4,3) NOT NULL, "message_id" uuid NOT NULL, "outcome" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "answered_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "faq_answers_outcome_check" CHECK (outcome IN ('PENDING','HELPED','NOT_HELPED','HANDED_OVER')),
        CONSTRAINT "PK_faq_answers" PRIMARY KEY ("tenant_id", "id"))`,
      `CREATE UNIQUE INDEX "faq_answers_tenant_ticket_key" ON "faq_answers" ("tenant_id", "ticket_id")`,
      `CREATE INDEX "faq_answers_tenant_created_idx" ON "faq_answers" ("tenant_id", "created_at")`,
      `ALTER TABLE "faq_answers" ADD CONSTRAINT "faq_answers_ticket_fkey" FOREIGN KEY ("tenant_id", "ticket_id") REFERENCES "tickets"("tenant_id", "id") ON DELETE CASCADE`,
      // Deleting an article keeps the record of its answers (the deflection rate stays true).
      `ALTER TABLE "faq_answers" ADD CONSTRAINT "faq_answers_article_fkey" FOREIGN KEY ("tenant_id", "article_id") REFERENCES "kb_articles"("tenant_id", "id") ON DELETE SET NULL ("article_id")`,
      ...['kb_articles', 'kb_settings', 'faq_answers'].flatMap(RLS),
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "faq_answers"`);
    await queryRunner.query(`DROP TABLE "kb_settings"`);
    await queryRunner.query(`DROP TABLE "kb_articles"`);
  }
}
