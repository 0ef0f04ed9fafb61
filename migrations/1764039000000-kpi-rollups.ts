import { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_POLICY = `USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid)`;

/** Columns of a ticket's KPI contribution, in the order kpi_facts returns them and kpi_deltas stores them. */
const FACT_COLUMNS = `
  day date, solved_day date, channel text, category text, priority smallint, team_id uuid, assignee_id uuid,
  tags text[], product_ref text, keywords text[],
  solved integer, reopened integer, fcr integer, frs_met integer, frs_breached integer, sla_breached integer, messages integer,
  csat_sent integer, csat_responses integer, csat_satisfied integer, with_order integer, opens_order integer,
  frt double precision, frt_business double precision, resolution double precision`;

const COUNTERS = `created bigint NOT NULL DEFAULT 0, solved_on bigint NOT NULL DEFAULT 0, solved bigint NOT NULL DEFAULT 0,
  reopened bigint NOT NULL DEFAULT 0, fcr bigint NOT NULL DEFAULT 0, frs_met bigint NOT NULL DEFAULT 0, frs_breached bigint NOT NULL DEFAULT 0,
  sla_breached bigint NOT NULL DEFAULT 0, messages bigint NOT NULL DEFAULT 0, csat_sent bigint NOT NULL DEFAULT 0,
  csat_responses bigint NOT NULL DEFAULT 0, csat_satisfied bigint NOT NULL DEFAULT 0, with_order bigint NOT NULL DEFAULT 0,
  opens_order bigint NOT NULL DEFAULT 0, frt_count bigint NOT NULL DEFAULT 0, frt_sum double precision NOT NULL DEFAULT 0,
  frt_business_count bigint NOT NULL DEFAULT 0, frt_business_sum double precision NOT NULL DEFAULT 0,
  resolution_count bigint NOT NULL DEFAULT 0, resolution_sum double precision NOT NULL DEFAULT 0`;

/**
 * Incremental KPI rollups. Every change to a ticket's KPI facts appends its old contribution
 * (sign -1) and its new one (+1) to kpi_deltas from a trigger — append-only, so busy stores never
 * wait on a shared counter row. A background fold moves deltas into per-day rollups by dimension
 * (kpi_daily) and log-bucket histograms for percentiles (kpi_daily_histograms); readers add the
 * few unfolded deltas, so answers are current. The SQL functions below are the one definition of
 * a ticket's contribution, used by the trigger, the fold, the readers and the rebuild.
 */
export class KpiRollups1764039000000 implements MigrationInterface {
  name = 'KpiRollups1764039000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "tickets" ADD "first_response_business_seconds" integer, ADD "csat_sent" boolean NOT NULL DEFAULT false,
        ADD "csat_rating" smallint, ADD "opens_order" boolean NOT NULL DEFAULT false, ADD "keywords" text array NOT NULL DEFAULT '{}'`,
    );
    await queryRunner.query(`CREATE INDEX "tickets_tenant_order_idx" ON "tickets" ("tenant_id", "order_ref", "created_at") WHERE order_ref IS NOT NULL`);
    // Facts from before this migration: CSAT from each ticket's latest survey, the first ticket of each order.
    await queryRunner.query(
      `UPDATE tickets t SET csat_sent = true, csat_rating = s.rating
         FROM (SELECT DISTINCT ON (tenant_id, ticket_id) tenant_id, ticket_id, rating FROM csat_surveys ORDER BY tenant_id, ticket_id, created_at DESC) s
        WHERE t.tenant_id = s.tenant_id AND t.id = s.ticket_id`,
    );
    await queryRunner.query(
      `UPDATE tickets t SET opens_order = true WHERE order_ref IS NOT NULL AND NOT EXISTS
         (SELECT 1 FROM tickets o WHERE o.tenant_id = t.tenant_id AND o.order_ref = t.order_ref AND (o.created_at, o.id) < (t.created_at, t.id))`,
    );
    // Whether a ticket is the first about its order ("tickets per order"), kept on every insert and order change.
    await queryRunner.query(`
      CREATE FUNCTION tickets_opens_order() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- "o.order_ref IS NOT NULL" lets the cached generic plan use the partial index.
        NEW.opens_order := NEW.order_ref IS NOT NULL AND NOT EXISTS (
          SELECT 1 FROM tickets o WHERE o.tenant_id = NEW.tenant_id AND o.order_ref IS NOT NULL AND o.order_ref = NEW.order_ref AND o.id <> NEW.id
             AND (o.created_at, o.id) < (NEW.created_at, NEW.id));
        RETURN NEW;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER tickets_opens_order BEFORE INSERT OR UPDATE OF order_ref ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_opens_order()`);

    await queryRunner.query(`
      CREATE FUNCTION kpi_facts(t tickets, tz text) RETURNS TABLE (${FACT_COLUMNS}) LANGUAGE sql STABLE AS $$
        SELECT (t.created_at AT TIME ZONE tz)::date, (t.solved_at AT TIME ZONE tz)::date, t.channel, t.category, t.priority, t.team_id, t.assignee_id,
          t.tags, t.product_ref, t.keywords,
          (t.solved_at IS NOT NULL)::int, (t.reopen_count > 0)::int,
          (t.solved_at IS NOT NULL AND t.public_agent_reply_count = 1 AND t.reopen_count = 0)::int,
          coalesce(t.sla -> 'targets' -> 'FIRST_RESPONSE' ->> 'status' = 'MET', false)::int,
          coalesce(t.sla -> 'targets' -> 'FIRST_RESPONSE' ->> 'status' = 'BREACHED', false)::int,
          coalesce(jsonb_path_exists(t.sla, '$.targets.*.status ? (@ == "BREACHED")'), false)::int,
          t.message_count, t.csat_sent::int, (t.csat_rating IS NOT NULL)::int, coalesce(t.csat_rating >= 4, false)::int,
          (t.order_ref IS NOT NULL)::int, t.opens_order::int,
          extract(epoch FROM t.first_response_at - t.created_at)::double precision, t.first_response_business_seconds::double precision,
          extract(epoch FROM t.solved_at - t.created_at)::double precision
      $$`);
    await queryRunner.query(
      `CREATE TABLE "kpi_deltas" ("tenant_id" uuid NOT NULL, "id" bigint GENERATED ALWAYS AS IDENTITY, "sign" smallint NOT NULL, ${FACT_COLUMNS},
        CONSTRAINT "PK_kpi_deltas" PRIMARY KEY ("tenant_id", "id"))`,
    );
    await queryRunner.query(`CREATE INDEX "kpi_deltas_id_idx" ON "kpi_deltas" ("id")`);
    // One contribution spread over the dimensions it is counted in (or only the one \`wanted\`);
    // single-valued dimensions always give a value ('' for none), tags and keywords one row each.
    await queryRunner.query(`
      CREATE FUNCTION kpi_dims(channel text, category text, priority smallint, team_id uuid, assignee_id uuid, tags text[], product_ref text, keywords text[], wanted text)
      RETURNS TABLE (dim text, value text) LANGUAGE sql IMMUTABLE AS $$
        SELECT 'ALL', '' WHERE wanted IS NULL OR wanted = 'ALL'
        UNION ALL SELECT 'CHANNEL', channel WHERE wanted IS NULL OR wanted = 'CHANNEL'
        UNION ALL SELECT 'CATEGORY', category WHERE wanted IS NULL OR wanted = 'CATEGORY'
        UNION ALL SELECT 'PRIORITY', priority::text WHERE wanted IS NULL OR wanted = 'PRIORITY'
        UNION ALL SELECT 'TEAM', coalesce(team_id::text, '') WHERE wanted IS NULL OR wanted = 'TEAM'
        UNION ALL SELECT 'AGENT', coalesce(assignee_id::text, '') WHERE wanted IS NULL OR wanted = 'AGENT'
        UNION ALL SELECT 'PRODUCT', coalesce(product_ref, '') WHERE wanted IS NULL OR wanted = 'PRODUCT'
        UNION ALL SELECT 'TAG', tag FROM unnest(tags) tag WHERE wanted IS NULL OR wanted = 'TAG'
        UNION ALL SELECT 'KEYWORD', k FROM unnest(keywords) k WHERE wanted IS NULL OR wanted = 'KEYWORD'
      $$`);
    // Rows by dimension: the contribution on its creation day, and a "solved on" row on its solving
    // day (backlog at the end of a day = created minus solved up to that day).
    await queryRunner.query(`
      CREATE FUNCTION kpi_expand(d kpi_deltas, wanted text DEFAULT NULL) RETURNS TABLE (day date, dim text, value text, ${COUNTERS.replace(/ NOT NULL DEFAULT 0/g, '')}) LANGUAGE sql IMMUTABLE AS $$
        SELECT d.day, x.dim, x.value, d.sign::bigint, 0::bigint, d.sign * d.solved, d.sign * d.reopened, d.sign * d.fcr, d.sign * d.frs_met,
          d.sign * d.frs_breached, d.sign * d.sla_breached, d.sign * d.messages, d.sign * d.csat_sent, d.sign * d.csat_responses,
          d.sign * d.csat_satisfied, d.sign * d.with_order, d.sign * d.opens_order,
          CASE WHEN d.frt IS NULL THEN 0 ELSE d.sign END, coalesce(d.sign * d.frt, 0),
          CASE WHEN d.frt_business IS NULL THEN 0 ELSE d.sign END, coalesce(d.sign * d.frt_business, 0),
          CASE WHEN d.resolution IS NULL THEN 0 ELSE d.sign END, coalesce(d.sign * d.resolution, 0)
          FROM kpi_dims(d.channel, d.category, d.priority, d.team_id, d.assignee_id, d.tags, d.product_ref, d.keywords, wanted) x
        UNION ALL
        SELECT d.solved_day, x.dim, x.value, 0, d.sign, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
          FROM kpi_dims(d.channel, d.category, d.priority, d.team_id, d.assignee_id, d.tags, d.product_ref, d.keywords, wanted) x
         WHERE d.solved_day IS NOT NULL
      $$`);
    // Log buckets with 1% relative accuracy (gamma = 1.01/0.99), as in DDSketch: bucket i holds
    // (gamma^(i-1), gamma^i] seconds; everything up to one second is bucket 0.
    await queryRunner.query(`
      CREATE FUNCTION kpi_bucket(seconds double precision) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN seconds IS NULL THEN NULL WHEN seconds <= 1 THEN 0 ELSE ceil(ln(seconds) / ln(101.0 / 99.0))::int END
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION kpi_histogram_rows(d kpi_deltas, wanted text DEFAULT NULL) RETURNS TABLE (day date, dim text, value text, metric smallint, bucket integer, count integer)
      LANGUAGE sql IMMUTABLE AS $$
        SELECT d.day, x.dim, x.value, 0::smallint, kpi_bucket(d.frt), d.sign::int
          FROM kpi_dims(d.channel, d.category, d.priority, d.team_id, d.assignee_id, d.tags, d.product_ref, '{}', wanted) x WHERE d.frt IS NOT NULL
        UNION ALL
        SELECT d.day, x.dim, x.value, 1::smallint, kpi_bucket(d.frt_business), d.sign::int
          FROM kpi_dims(d.channel, d.category, d.priority, d.team_id, d.assignee_id, d.tags, d.product_ref, '{}', wanted) x WHERE d.frt_business IS NOT NULL
        UNION ALL
        SELECT d.day, x.dim, x.value, 2::smallint, kpi_bucket(d.resolution), d.sign::int
          FROM kpi_dims(d.channel, d.category, d.priority, d.team_id, d.assignee_id, d.tags, d.product_ref, '{}', wanted) x WHERE d.resolution IS NOT NULL
      $$`);
    await queryRunner.query(
      `CREATE TABLE "kpi_daily" ("tenant_id" uuid NOT NULL, "dim" text NOT NULL, "day" date NOT NULL, "value" text NOT NULL, ${COUNTERS},
        CONSTRAINT "PK_kpi_daily" PRIMARY KEY ("tenant_id", "dim", "day", "value"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "kpi_daily_histograms" ("tenant_id" uuid NOT NULL, "dim" text NOT NULL, "day" date NOT NULL, "value" text NOT NULL,
        "metric" smallint NOT NULL, "bucket" integer NOT NULL, "count" bigint NOT NULL,
        CONSTRAINT "PK_kpi_daily_histograms" PRIMARY KEY ("tenant_id", "dim", "day", "value", "metric", "bucket") INCLUDE ("count"))`,
    );
    // Readers scan the key only (index-only scans): keep the visibility map fresh as days settle.
    await queryRunner.query(`ALTER TABLE "kpi_daily_histograms" SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.05)`);
    for (const table of ['kpi_deltas', 'kpi_daily', 'kpi_daily_histograms']) {
      await queryRunner.query(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`CREATE POLICY tenant_isolation ON "${table}" TO rida_app ${TENANT_POLICY}`);
    }

    // Capture: skipped when rida.kpi_capture is 'off' (bulk loads, which rebuild afterwards).
    await queryRunner.query(`
      CREATE FUNCTION tickets_kpi_capture() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        tz text;
        old_facts record;
        new_facts record;
      BEGIN
        IF current_setting('rida.kpi_capture', true) = 'off' THEN RETURN NULL; END IF;
        SELECT timezone INTO tz FROM tenants WHERE id = coalesce(NEW.tenant_id, OLD.tenant_id);
        IF tz IS NULL THEN RETURN NULL; END IF; -- the store itself is being deleted
        IF TG_OP <> 'INSERT' THEN SELECT * INTO old_facts FROM kpi_facts(OLD, tz); END IF;
        IF TG_OP <> 'DELETE' THEN SELECT * INTO new_facts FROM kpi_facts(NEW, tz); END IF;
        IF TG_OP = 'UPDATE' AND OLD.tenant_id = NEW.tenant_id AND old_facts IS NOT DISTINCT FROM new_facts THEN RETURN NULL; END IF;
        IF TG_OP <> 'INSERT' THEN
          INSERT INTO kpi_deltas (tenant_id, sign, day, solved_day, channel, category, priority, team_id, assignee_id, tags, product_ref, keywords,
              solved, reopened, fcr, frs_met, frs_breached, sla_breached, messages, csat_sent, csat_responses, csat_satisfied, with_order, opens_order,
              frt, frt_business, resolution)
            SELECT OLD.tenant_id, -1, f.* FROM kpi_facts(OLD, tz) f;
        END IF;
        IF TG_OP <> 'DELETE' THEN
          INSERT INTO kpi_deltas (tenant_id, sign, day, solved_day, channel, category, priority, team_id, assignee_id, tags, product_ref, keywords,
              solved, reopened, fcr, frs_met, frs_breached, sla_breached, messages, csat_sent, csat_responses, csat_satisfied, with_order, opens_order,
              frt, frt_business, resolution)
            SELECT NEW.tenant_id, 1, f.* FROM kpi_facts(NEW, tz) f;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER tickets_kpi_capture_insert_delete AFTER INSERT OR DELETE ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_kpi_capture()`);
    await queryRunner.query(
      `CREATE TRIGGER tickets_kpi_capture_update AFTER UPDATE OF tenant_id, created_at, solved_at, channel, category, priority, team_id, assignee_id,
        tags, product_ref, keywords, reopen_count, public_agent_reply_count, sla, message_count, csat_sent, csat_rating, order_ref, opens_order,
        first_response_at, first_response_business_seconds ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_kpi_capture()`,
    );
    // Tickets from before this migration, as one delta each: the first fold rolls them up.
    await queryRunner.query(
      `INSERT INTO kpi_deltas (tenant_id, sign, day, solved_day, channel, category, priority, team_id, assignee_id, tags, product_ref, keywords,
          solved, reopened, fcr, frs_met, frs_breached, sla_breached, messages, csat_sent, csat_responses, csat_satisfied, with_order, opens_order,
          frt, frt_business, resolution)
        SELECT t.tenant_id, 1, f.* FROM tickets t JOIN tenants n ON n.id = t.tenant_id, kpi_facts(t, n.timezone) f`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER tickets_kpi_capture_update ON tickets`);
    await queryRunner.query(`DROP TRIGGER tickets_kpi_capture_insert_delete ON tickets`);
    await queryRunner.query(`DROP FUNCTION tickets_kpi_capture()`);
    await queryRunner.query(`DROP TABLE "kpi_daily_histograms"`);
    await queryRunner.query(`DROP TABLE "kpi_daily"`);
    await queryRunner.query(`DROP FUNCTION kpi_histogram_rows(kpi_deltas, text)`);
    await queryRunner.query(`DROP FUNCTION kpi_bucket(double precision)`);
    await queryRunner.query(`DROP FUNCTION kpi_expand(kpi_deltas, text)`);
    await queryRunner.query(`DROP FUNCTION kpi_dims(text, text, smallint, uuid, uuid, text[], text, text[], text)`);
    await queryRunner.query(`DROP TABLE "kpi_deltas"`);
    await queryRunner.query(`DROP FUNCTION kpi_facts(tickets, text)`);
    await queryRunner.query(`DROP TRIGGER tickets_opens_order ON tickets`);
    await queryRunner.query(`DROP FUNCTION tickets_opens_order()`);
    await queryRunner.query(`DROP INDEX "tickets_tenant_order_idx"`);
    await queryRunner.query(
      `ALTER TABLE "tickets" DROP COLUMN "keywords", DROP COLUMN "opens_order", DROP COLUMN "csat_rating", DROP COLUMN "csat_sent", DROP COLUMN "first_response_business_seconds"`,
    );
  }
}
