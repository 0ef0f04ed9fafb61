import { MigrationInterface, QueryRunner } from 'typeorm';
import { writeTicketDocuments } from '../src/tickets/ticket-search-document';

const BATCH = 500;

/**
 * Ticket search by week. Each row gets its ticket's created_at, and the GIN index is not on the
 * document itself but on its lexemes tagged with the store and the week the ticket was created in
 * (search_keys(): "<store><week>|lexeme"),
 * so the index holds one short posting list per store, week and word instead of one per word for
 * every store and all time. A search asks for the newest weeks first and stops when it has
 * enough: a word in a quarter of a million tickets costs a week of its matches, a rare word a
 * few hundred index lookups, and another store's tickets cost nothing. A prefix (the word being
 * typed) expands within those weeks only.
 *
 * The document itself stays untagged (ranking reads its weights and positions); the tagged form
 * exists only in the index (an expression index), and a query of `&`, `|` and prefixes needs no
 * recheck, so search_keys() runs when a document is written, not when it is searched.
 *
 * Matches are read through ticket_search_matches(): under row-level security PostgreSQL may not
 * use an index for the `@@` operator (it is not leakproof), so as rida_app every search walked the
 * store's documents one by one. The function runs as the table owner, reads only the store named
 * by the transaction's app.tenant_id (no parameter can name another) and tags the query for it.
 * Tickets without a document yet are indexed here.
 */
export class SearchByWeek1764049000000 implements MigrationInterface {
  name = 'SearchByWeek1764049000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE "ticket_search" ADD "created_at" timestamptz`,
      `UPDATE "ticket_search" s SET "created_at" = t.created_at FROM "tickets" t WHERE t.tenant_id = s.tenant_id AND t.id = s.ticket_id`,
      `ALTER TABLE "ticket_search" ALTER COLUMN "created_at" SET NOT NULL`,
      `DROP INDEX "ticket_search_document_idx"`,
      // Weeks of UTC days from Monday 2000-01-03.
      `CREATE FUNCTION search_week(at timestamptz) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT floor(((at AT TIME ZONE 'UTC')::date - date '2000-01-03') / 7.0)::integer $$`,
      `CREATE FUNCTION search_tag(tenant uuid, week integer) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT left(md5(tenant::text), 6) || week || '|' $$`,
      // Schema-qualified: index maintenance runs it with a search_path of pg_catalog only.
      `CREATE FUNCTION search_keys(tenant uuid, created_at timestamptz, document tsvector) RETURNS tsvector LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
        DECLARE
          tag text := public.search_tag(tenant, public.search_week(created_at));
        BEGIN
          RETURN array_to_tsvector(ARRAY(SELECT tag || u.lexeme FROM unnest(document) AS u));
        END $$`,
      // No pending list: a search reads the index once per week of history, and would scan the whole
      // pending list each time (a rare word was 30 ms slower after an import); writes cost about 10% more.
      `CREATE INDEX "ticket_search_keys_idx" ON "ticket_search" USING gin (search_keys("tenant_id", "created_at", "document")) WITH (fastupdate = off)`,
      // The newest `max` matches (all when null) older than (before, before_id), newest first: week by
      // week from the store's newest ticket back, each week its own indexed query with the store's tag
      // on every quoted lexeme of the query. EXECUTE: planned with that week's query each time (a
      // cached generic plan does not know it is selective).
      `CREATE FUNCTION ticket_search_matches(query tsquery, before timestamptz, before_id uuid, max integer)
        RETURNS TABLE (ticket_id uuid, created_at timestamptz)
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
        DECLARE
          tenant uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
          lexeme CONSTANT text := '''((?:[^'']|'''')*)''';
          first_week integer;
          week integer;
          remaining integer := max;
          found integer;
        BEGIN
          IF tenant IS NULL THEN RETURN; END IF;
          SELECT search_week(min(t.created_at)), search_week(max(t.created_at)) INTO first_week, week FROM tickets t WHERE t.tenant_id = tenant;
          IF before IS NOT NULL THEN week := least(week, search_week(before)); END IF;
          WHILE week >= first_week AND (remaining IS NULL OR remaining > 0) LOOP
            RETURN QUERY EXECUTE 'SELECT s.ticket_id, s.created_at FROM ticket_search s WHERE s.tenant_id = $1 AND search_keys(s.tenant_id, s.created_at, s.document) @@ $2'
              || CASE WHEN before IS NULL THEN '' ELSE ' AND (s.created_at, s.ticket_id) < ($3, $4)' END
              || ' ORDER BY s.created_at DESC, s.ticket_id DESC LIMIT $5'
              USING tenant, regexp_replace(query::text, lexeme, '''' || search_tag(tenant, week) || '\\1''', 'g')::tsquery, before, before_id, remaining;
            GET DIAGNOSTICS found = ROW_COUNT;
            remaining := remaining - found;
            week := week - 1;
          END LOOP;
        END $$`,
      `REVOKE ALL ON FUNCTION ticket_search_matches(tsquery, timestamptz, uuid, integer) FROM PUBLIC`,
      `GRANT EXECUTE ON FUNCTION ticket_search_matches(tsquery, timestamptz, uuid, integer) TO rida_app`,
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
    await queryRunner.query(`DROP FUNCTION ticket_search_matches(tsquery, timestamptz, uuid, integer)`);
    await queryRunner.query(`DROP INDEX "ticket_search_keys_idx"`);
    await queryRunner.query(`DROP FUNCTION search_keys(uuid, timestamptz, tsvector)`);
    await queryRunner.query(`DROP FUNCTION search_tag(uuid, integer)`);
    await queryRunner.query(`DROP FUNCTION search_week(timestamptz)`);
    await queryRunner.query(`CREATE INDEX "ticket_search_document_idx" ON "ticket_search" USING gin ("tenant_id", "document")`);
    await queryRunner.query(`ALTER TABLE "ticket_search" DROP COLUMN "created_at"`);
  }
}
