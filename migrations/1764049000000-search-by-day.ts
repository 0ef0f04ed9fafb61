import { MigrationInterface, QueryRunner } from 'typeorm';
import { writeTicketDocuments } from '../src/tickets/ticket-search-document';

const BATCH = 500;

/**
 * Ticket search by day: each document carries its ticket's creation day (UTC) and the GIN index
 * is on (day, document), so a search reads the matches of the newest days first and stops when it
 * has enough — a word in a quarter of a million tickets costs a few days of matches, not all.
 *
 * Matches are read through ticket_search_matches(): under row-level security PostgreSQL may not
 * use an index for the `@@` operator (it is not leakproof), so as rida_app every search walked the
 * store's documents one by one. The function runs as the table owner, reads only the store named
 * by the transaction's app.tenant_id (no parameter can name another), and plans each call with its
 * own values (EXECUTE), so the day range reaches the index.
 *
 * The tenant is not a column of the index: a btree_gin tenant key is one posting list as long as
 * the store, read whole by every search. Tickets without a document yet are indexed here.
 */
export class SearchByDay1764049000000 implements MigrationInterface {
  name = 'SearchByDay1764049000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE "ticket_search" ADD "created_on" date`,
      `UPDATE "ticket_search" s SET "created_on" = (t.created_at AT TIME ZONE 'UTC')::date FROM "tickets" t WHERE t.tenant_id = s.tenant_id AND t.id = s.ticket_id`,
      `ALTER TABLE "ticket_search" ALTER COLUMN "created_on" SET NOT NULL`,
      `DROP INDEX "ticket_search_document_idx"`,
      `CREATE INDEX "ticket_search_day_document_idx" ON "ticket_search" USING gin ("created_on", "document")`,
      `CREATE FUNCTION ticket_search_matches(query tsquery, since date, before date, max integer) RETURNS TABLE (ticket_id uuid)
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
        DECLARE
          tenant uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
        BEGIN
          IF tenant IS NULL THEN RETURN; END IF;
          RETURN QUERY EXECUTE 'SELECT s.ticket_id FROM ticket_search s WHERE s.tenant_id = $1 AND s.document @@ $2'
            || CASE WHEN since IS NULL THEN '' ELSE ' AND s.created_on >= $3' END
            || CASE WHEN before IS NULL THEN '' ELSE ' AND s.created_on < $4' END
            || CASE WHEN max IS NULL THEN '' ELSE ' LIMIT $5' END
            USING tenant, query, since, before, max;
        END $$`,
      `REVOKE ALL ON FUNCTION ticket_search_matches(tsquery, date, date, integer) FROM PUBLIC`,
      `GRANT EXECUTE ON FUNCTION ticket_search_matches(tsquery, date, date, integer) TO rida_app`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
    await this.indexTicketsWithoutDocument(queryRunner);
  }

  private async indexTicketsWithoutDocument(queryRunner: QueryRunner) {
    const query = (sql: string, parameters: unknown[]) => queryRunner.query(sql, parameters);
    let after: [string, string] = ['00000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-000000000000'];
    for (;;) {
      const rows: Array<{ tenant_id: string; id: string }> = await queryRunner.query(
        `SELECT t.tenant_id, t.id FROM tickets t WHERE (t.tenant_id, t.id) > ($1, $2)
            AND NOT EXISTS (SELECT 1 FROM ticket_search s WHERE s.tenant_id = t.tenant_id AND s.ticket_id = t.id)
          ORDER BY t.tenant_id, t.id LIMIT ${BATCH}`,
        after,
      );
      if (rows.length === 0) return;
      const byTenant = new Map<string, string[]>();
      for (const row of rows) byTenant.set(row.tenant_id, [...(byTenant.get(row.tenant_id) ?? []), row.id]);
      for (const [tenantId, ids] of byTenant) await writeTicketDocuments(query, tenantId, ids);
      const last = rows[rows.length - 1];
      after = [last.tenant_id, last.id];
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION ticket_search_matches(tsquery, date, date, integer)`);
    await queryRunner.query(`DROP INDEX "ticket_search_day_document_idx"`);
    await queryRunner.query(`CREATE INDEX "ticket_search_document_idx" ON "ticket_search" USING gin ("tenant_id", "document")`);
    await queryRunner.query(`ALTER TABLE "ticket_search" DROP COLUMN "created_on"`);
  }
}
