import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ticket search: one full-text document per ticket (number, subject, tags, order, customer
 * names and identities weighted above the conversation), normalised in the application by the
 * one Arabic normaliser and indexed with the tenant first (btree_gin). Existing tickets are
 * indexed by SearchByWeek1764049000000. pg_trgm serves fuzzy matching of knowledge-base titles.
 */
export class TicketSearch1764044000000 implements MigrationInterface {
  name = 'TicketSearch1764044000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE EXTENSION IF NOT EXISTS btree_gin`,
      `CREATE EXTENSION IF NOT EXISTS pg_trgm`,
      `CREATE TABLE "ticket_search" ("tenant_id" uuid NOT NULL, "ticket_id" uuid NOT NULL, "document" tsvector NOT NULL,
        CONSTRAINT "PK_ticket_search" PRIMARY KEY ("tenant_id", "ticket_id"))`,
      `ALTER TABLE "ticket_search" ADD CONSTRAINT "ticket_search_ticket_fkey" FOREIGN KEY ("tenant_id", "ticket_id") REFERENCES "tickets"("tenant_id", "id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED`,
      `CREATE INDEX "ticket_search_document_idx" ON "ticket_search" USING gin ("tenant_id", "document")`,
      `ALTER TABLE "ticket_search" ENABLE ROW LEVEL SECURITY`,
      `CREATE POLICY tenant_isolation ON "ticket_search" TO rida_app USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid)`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "ticket_search"`);
  }
}
