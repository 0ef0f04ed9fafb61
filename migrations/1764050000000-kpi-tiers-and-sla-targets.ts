import { MigrationInterface, QueryRunner } from 'typeorm';

/** kpi_facts' columns as the KpiRollups migration left them; this migration appends to them. */
const OLD_FACTS = `day date, solved_day date, channel text, category text, priority smallint, team_id uuid, assignee_id uuid,
  tags text[], product_ref text, keywords text[],
  solved integer, reopened integer, fcr integer, frs_met integer, frs_breached integer, sla_breached integer, messages integer,
  csat_sent integer, csat_responses integer, csat_satisfied integer, with_order integer, opens_order integer,
  frt double precision, frt_business double precision, resolution double precision`;
const NEW_FACTS =
  'customer_tier text, next_met integer, next_breached integer, resolution_met integer, resolution_breached integer, nps_responses integer, nps_promoters integer, nps_detractors integer';
const FACTS = `${OLD_FACTS}, ${NEW_FACTS}`;
const FACT_NAMES = FACTS.split(',')
  .map((c) => c.trim().split(' ')[0])
  .join(', ');

const OLD_COUNTERS = `created bigint, solved_on bigint, solved bigint, reopened bigint, fcr bigint, frs_met bigint, frs_breached bigint,
  sla_breached bigint, messages bigint, csat_sent bigint, csat_responses bigint, csat_satisfied bigint, with_order bigint,
  opens_order bigint, frt_count bigint, frt_sum double precision, frt_business_count bigint, frt_business_sum double precision,
  resolution_count bigint, resolution_sum double precision`;
const NEW_COUNTERS = ['next_met', 'next_breached', 'resolution_met', 'resolution_breached', 'nps_responses', 'nps_promoters', 'nps_detractors'];
const COUNTERS = `${OLD_COUNTERS}, ${NEW_COUNTERS.map((c) => `${c} bigint`).join(', ')}`;
const COUNTER_NAMES = COUNTERS.split(',').map((c) => c.trim().split(' ')[0]);

const target = (kind: string, status: string) => `coalesce(t.sla -> 'targets' -> '${kind}' ->> 'status' = '${status}', false)::int`;
/** Next reply runs in rounds: the running one plus the earlier ones the ticket's SLA state counted. */
const rounds = (status: 'MET' | 'BREACHED') =>
  `(${target('NEXT_RESPONSE', status)} + coalesce((t.sla -> 'targets' -> 'NEXT_RESPONSE' ->> '${status === 'MET' ? 'earlierMet' : 'earlierBreached'}')::int, 0))`;
const DIMS = 'd.channel, d.category, d.priority, d.team_id, d.assignee_id, d.tags, d.product_ref';

/**
 * KPIs by customer tier, per SLA target, and NPS. Tickets keep the tier their customer had when the
 * ticket was created (the service they were owed), set by a trigger on every insert path
 * (API, channels, import, seeding). Rollups gain a TIER dimension and met/breached counts for the
 * next-reply rounds and the resolution target; surveys may carry a 0–10 "would you recommend us"
 * answer, kept on the ticket (its latest survey's) for NPS. A ticket leaves the backlog when solved or, if it never was
 * (merged into another), when closed. The rollups are rebuilt from the tickets.
 */
export class KpiTiersAndSlaTargets1764050000000 implements MigrationInterface {
  name = 'KpiTiersAndSlaTargets1764050000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`DROP TRIGGER tickets_kpi_capture_update ON tickets`);
    await q(`DROP TRIGGER tickets_kpi_capture_insert_delete ON tickets`);
    await q(`DROP FUNCTION tickets_kpi_capture()`);
    await q(`DROP FUNCTION kpi_histogram_rows(kpi_deltas, text)`);
    await q(`DROP FUNCTION kpi_expand(kpi_deltas, text)`);
    await q(`DROP FUNCTION kpi_dims(text, text, smallint, uuid, uuid, text[], text, text[], text)`);
    await q(`DROP FUNCTION kpi_facts(tickets, text)`);

    await q(`ALTER TABLE "tickets" ADD "customer_tier" text NOT NULL DEFAULT 'STANDARD', ADD "nps_score" smallint`);
    await q(`ALTER TABLE "csat_surveys" ADD "nps" smallint, ADD CONSTRAINT "csat_surveys_nps_check" CHECK (nps BETWEEN 0 AND 10)`);
    await q(`UPDATE tickets t SET customer_tier = c.tier FROM customers c WHERE c.tenant_id = t.tenant_id AND c.id = t.customer_id AND c.tier <> 'STANDARD'`);
    await q(`
      CREATE FUNCTION tickets_customer_tier() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT c.tier INTO NEW.customer_tier FROM customers c WHERE c.tenant_id = NEW.tenant_id AND c.id = NEW.customer_id;
        NEW.customer_tier := coalesce(NEW.customer_tier, 'STANDARD');
        RETURN NEW;
      END $$`);
    await q(`CREATE TRIGGER tickets_customer_tier BEFORE INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_customer_tier()`);

    await q(
      `ALTER TABLE "kpi_deltas" ${NEW_FACTS.split(', ')
        .map((c) => `ADD ${c}`)
        .join(', ')}`,
    );
    await q(`ALTER TABLE "kpi_daily" ${NEW_COUNTERS.map((c) => `ADD "${c}" bigint NOT NULL DEFAULT 0`).join(', ')}`);

    await q(`
      CREATE FUNCTION kpi_facts(t tickets, tz text) RETURNS TABLE (${FACTS}) LANGUAGE sql STABLE AS $$
        SELECT (t.created_at AT TIME ZONE tz)::date, (coalesce(t.solved_at, t.closed_at) AT TIME ZONE tz)::date,
          t.channel, t.category, t.priority, t.team_id, t.assignee_id, t.tags, t.product_ref, t.keywords,
          (t.solved_at IS NOT NULL)::int, (t.reopen_count > 0)::int,
          (t.solved_at IS NOT NULL AND t.public_agent_reply_count = 1 AND t.reopen_count = 0)::int,
          ${target('FIRST_RESPONSE', 'MET')}, ${target('FIRST_RESPONSE', 'BREACHED')},
          coalesce(jsonb_path_exists(t.sla, '$.targets.*.status ? (@ == "BREACHED")'), false)::int,
          t.message_count, t.csat_sent::int, (t.csat_rating IS NOT NULL)::int, coalesce(t.csat_rating >= 4, false)::int,
          (t.order_ref IS NOT NULL)::int, t.opens_order::int,
          extract(epoch FROM t.first_response_at - t.created_at)::double precision, t.first_response_business_seconds::double precision,
          extract(epoch FROM t.solved_at - t.created_at)::double precision,
          t.customer_tier, ${rounds('MET')}, ${rounds('BREACHED')},
          ${target('RESOLUTION', 'MET')}, ${target('RESOLUTION', 'BREACHED')},
          (t.nps_score IS NOT NULL)::int, coalesce(t.nps_score >= 9, false)::int, coalesce(t.nps_score <= 6, false)::int
      $$`);
    await q(`
      CREATE FUNCTION kpi_dims(channel text, category text, priority smallint, team_id uuid, assignee_id uuid, tags text[], product_ref text, keywords text[],
        customer_tier text, wanted text)
      RETURNS TABLE (dim text, value text) LANGUAGE sql IMMUTABLE AS $$
        SELECT 'ALL', '' WHERE wanted IS NULL OR wanted = 'ALL'
        UNION ALL SELECT 'CHANNEL', channel WHERE wanted IS NULL OR wanted = 'CHANNEL'
        UNION ALL SELECT 'CATEGORY', category WHERE wanted IS NULL OR wanted = 'CATEGORY'
        UNION ALL SELECT 'PRIORITY', priority::text WHERE wanted IS NULL OR wanted = 'PRIORITY'
        UNION ALL SELECT 'TEAM', coalesce(team_id::text, '') WHERE wanted IS NULL OR wanted = 'TEAM'
        UNION ALL SELECT 'AGENT', coalesce(assignee_id::text, '') WHERE wanted IS NULL OR wanted = 'AGENT'
        UNION ALL SELECT 'PRODUCT', coalesce(product_ref, '') WHERE wanted IS NULL OR wanted = 'PRODUCT'
        UNION ALL SELECT 'TIER', coalesce(customer_tier, 'STANDARD') WHERE wanted IS NULL OR wanted = 'TIER'
        UNION ALL SELECT 'TAG', tag FROM unnest(tags) tag WHERE wanted IS NULL OR wanted = 'TAG'
        UNION ALL SELECT 'KEYWORD', k FROM unnest(keywords) k WHERE wanted IS NULL OR wanted = 'KEYWORD'
      $$`);
    const signed = (c: string) => `d.sign * d.${c}`;
    await q(`
      CREATE FUNCTION kpi_expand(d kpi_deltas, wanted text DEFAULT NULL) RETURNS TABLE (day date, dim text, value text, ${COUNTERS}) LANGUAGE sql IMMUTABLE AS $$
        SELECT d.day, x.dim, x.value, d.sign::bigint, 0::bigint, ${['solved', 'reopened', 'fcr', 'frs_met', 'frs_breached', 'sla_breached', 'messages', 'csat_sent', 'csat_responses', 'csat_satisfied', 'with_order', 'opens_order'].map(signed).join(', ')},
          CASE WHEN d.frt IS NULL THEN 0 ELSE d.sign END, coalesce(d.sign * d.frt, 0),
          CASE WHEN d.frt_business IS NULL THEN 0 ELSE d.sign END, coalesce(d.sign * d.frt_business, 0),
          CASE WHEN d.resolution IS NULL THEN 0 ELSE d.sign END, coalesce(d.sign * d.resolution, 0),
          ${NEW_COUNTERS.map(signed).join(', ')}
          FROM kpi_dims(${DIMS}, d.keywords, d.customer_tier, wanted) x
        UNION ALL
        SELECT d.solved_day, x.dim, x.value, 0, d.sign, ${COUNTER_NAMES.slice(2)
          .map(() => '0')
          .join(', ')}
          FROM kpi_dims(${DIMS}, d.keywords, d.customer_tier, wanted) x
         WHERE d.solved_day IS NOT NULL
      $$`);
    const histogram = (metric: number, column: string) =>
      `SELECT d.day, x.dim, x.value, ${metric}::smallint, kpi_bucket(d.${column}), d.sign::int
         FROM kpi_dims(${DIMS}, '{}', d.customer_tier, wanted) x WHERE d.${column} IS NOT NULL`;
    await q(`
      CREATE FUNCTION kpi_histogram_rows(d kpi_deltas, wanted text DEFAULT NULL) RETURNS TABLE (day date, dim text, value text, metric smallint, bucket integer, count integer)
      LANGUAGE sql IMMUTABLE AS $$
        ${histogram(0, 'frt')} UNION ALL ${histogram(1, 'frt_business')} UNION ALL ${histogram(2, 'resolution')}
      $$`);

    await q(`
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
          INSERT INTO kpi_deltas (tenant_id, sign, ${FACT_NAMES}) SELECT OLD.tenant_id, -1, f.* FROM kpi_facts(OLD, tz) f;
        END IF;
        IF TG_OP <> 'DELETE' THEN
          INSERT INTO kpi_deltas (tenant_id, sign, ${FACT_NAMES}) SELECT NEW.tenant_id, 1, f.* FROM kpi_facts(NEW, tz) f;
        END IF;
        RETURN NULL;
      END $$`);
    await q(`CREATE TRIGGER tickets_kpi_capture_insert_delete AFTER INSERT OR DELETE ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_kpi_capture()`);
    await q(
      `CREATE TRIGGER tickets_kpi_capture_update AFTER UPDATE OF tenant_id, created_at, solved_at, closed_at, channel, category, priority, team_id, assignee_id,
        tags, product_ref, keywords, reopen_count, public_agent_reply_count, sla, message_count, csat_sent, csat_rating, order_ref, opens_order,
        first_response_at, first_response_business_seconds, customer_tier, nps_score ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_kpi_capture()`,
    );

    // Every store's rollups again, with the new dimension and counters.
    await q(`TRUNCATE kpi_deltas, kpi_daily, kpi_daily_histograms`);
    const facts = `SELECT t.tenant_id, ROW(t.tenant_id, 0::bigint, 1::smallint, f.*)::kpi_deltas AS d
                     FROM tenants n JOIN tickets t ON t.tenant_id = n.id, kpi_facts(t, n.timezone) f OFFSET 0`;
    await q(
      `INSERT INTO kpi_daily (tenant_id, dim, day, value, ${COUNTER_NAMES.join(', ')})
       SELECT s.tenant_id, e.dim, e.day, e.value, ${COUNTER_NAMES.map((c) => `sum(e.${c})`).join(', ')}
         FROM (${facts}) s, kpi_expand(s.d) e GROUP BY 1, 2, 3, 4`,
    );
    await q(
      `INSERT INTO kpi_daily_histograms (tenant_id, dim, day, value, metric, bucket, count)
       SELECT s.tenant_id, h.dim, h.day, h.value, h.metric, h.bucket, sum(h.count) FROM (${facts}) s, kpi_histogram_rows(s.d) h GROUP BY 1, 2, 3, 4, 5, 6`,
    );
  }

  public async down(): Promise<void> {
    throw new Error('KpiTiersAndSlaTargets1764050000000 cannot be reverted: restore from a backup taken before it.');
  }
}
