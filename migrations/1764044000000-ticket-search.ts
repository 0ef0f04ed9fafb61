import { MigrationInterface, QueryRunner } from 'typeorm';
import { searchDocument } from '../src/common/text/search-text';
import { TICKET_DOCUMENT_SQL, ticketSearchHead } from '../src/tickets/ticket-search-document';

const BATCH = 500;

/**
 * Ticket search: one full-text document per ticket (number, subject, tags, order, customer
 * names and identities weighted above the conversation), normalised in the application by the
 * one Arabic normaliser and indexed with the tenant first (btree_gin). Existing tickets are
 * indexed here. pg_trgm serves fuzzy matching of knowledge-base titles.
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
    await this.indexExistingTickets(queryRunner);
  }

  private async indexExistingTickets(queryRunner: QueryRunner) {
    let after: [string, string] = ['00000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-000000000000'];
    for (;;) {
      const rows: Array<{ tenant_id: string; id: string; number: number; subject: string; tags: string[]; order_ref: string | null; product_ref: string | null; name: string | null; identities: string[]; bodies: string[] }> =
        await queryRunner.query(
          `SELECT t.tenant_id, t.id, t.number, t.subject, t.tags, t.order_ref, t.product_ref, c.name,
                  (SELECT coalesce(array_agg(i.value), '{}') FROM customer_identities i WHERE i.tenant_id = t.tenant_id AND i.customer_id = t.customer_id) AS identities,
                  (SELECT coalesce(array_agg(m.body ORDER BY m.created_at), '{}') FROM messages m WHERE m.tenant_id = t.tenant_id AND m.ticket_id = t.id) AS bodies
             FROM tickets t JOIN customers c ON c.tenant_id = t.tenant_id AND c.id = t.customer_id
            WHERE (t.tenant_id, t.id) > ($1, $2) ORDER BY t.tenant_id, t.id LIMIT ${BATCH}`,
          after,
        );
      if (rows.length === 0) return;
      const docs = rows.map((r) => ({
        tenant_id: r.tenant_id,
        ticket_id: r.id,
        head: ticketSearchHead({ number: r.number, subject: r.subject, tags: r.tags, orderRef: r.order_ref, productRef: r.product_ref, customerName: r.name, identities: r.identities }),
        body: searchDocument(r.bodies.join('\n')),
      }));
      await queryRunner.query(
        `INSERT INTO ticket_search (tenant_id, ticket_id, document)
         SELECT d.tenant_id, d.ticket_id, ${TICKET_DOCUMENT_SQL('d.head', 'd.body')} FROM json_to_recordset($1) AS d(tenant_id uuid, ticket_id uuid, head text, body text)`,
        [JSON.stringify(docs)],
      );
      const last = rows[rows.length - 1];
      after = [last.tenant_id, last.id];
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "ticket_search"`);
  }
}
