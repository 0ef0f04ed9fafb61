import { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_POLICY = `USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid)`;

/** kpi_facts' columns (and kpi_deltas' after its sign), as the KpiTiersAndSlaTargets migration left them. */
const FACTS = `day date, solved_day date, channel text, category text, priority smallint, team_id uuid, assignee_id uuid,
  tags text[], product_ref text, keywords text[],
  solved integer, reopened integer, fcr integer, frs_met integer, frs_breached integer, sla_breached integer, messages integer,
  csat_sent integer, csat_responses integer, csat_satisfied integer, with_order integer, opens_order integer,
  frt double precision, frt_business double precision, resolution double precision,
  customer_tier text, next_met integer, next_breached integer, resolution_met integer, resolution_breached integer, nps_responses integer, nps_promoters integer, nps_detractors integer`;
const FACT_LIST = FACTS.split(',').map((c) => /^(\w+) (.+)$/.exec(c.trim())!.slice(1) as [string, string]);
const FACT_NAMES = FACT_LIST.map(([name]) => name);

/** The ticket columns a ticket's KPI facts are made of, in kpi_facts' argument order. */
const TICKET_FACT_COLUMNS: Array<[string, string]> = [
  ['created_at', 'timestamptz'],
  ['solved_at', 'timestamptz'],
  ['closed_at', 'timestamptz'],
  ['channel', 'text'],
  ['category', 'text'],
  ['priority', 'smallint'],
  ['team_id', 'uuid'],
  ['assignee_id', 'uuid'],
  ['tags', 'text[]'],
  ['product_ref', 'text'],
  ['keywords', 'text[]'],
  ['reopen_count', 'integer'],
  ['public_agent_reply_count', 'integer'],
  ['sla', 'jsonb'],
  ['message_count', 'integer'],
  ['csat_sent', 'boolean'],
  ['csat_rating', 'smallint'],
  ['order_ref', 'text'],
  ['opens_order', 'boolean'],
  ['first_response_at', 'timestamptz'],
  ['first_response_business_seconds', 'integer'],
  ['customer_tier', 'text'],
  ['nps_score', 'smallint'],
];

const COUNTERS = `created bigint, solved_on bigint, solved bigint, reopened bigint, fcr bigint, frs_met bigint, frs_breached bigint,
  sla_breached bigint, messages bigint, csat_sent bigint, csat_responses bigint, csat_satisfied bigint, with_order bigint,
  opens_order bigint, frt_count bigint, frt_sum double precision, frt_business_count bigint, frt_business_sum double precision,
  resolution_count bigint, resolution_sum double precision, next_met bigint, next_breached bigint, resolution_met bigint, resolution_breached bigint,
  nps_responses bigint, nps_promoters bigint, nps_detractors bigint`;
const COUNTER_NAMES = COUNTERS.split(',').map((c) => c.trim().split(' ')[0]);
const NEW_COUNTERS = ['next_met', 'next_breached', 'resolution_met', 'resolution_breached', 'nps_responses', 'nps_promoters', 'nps_detractors'];

const target = (kind: string, status: string) => `coalesce(t_sla -> 'targets' -> '${kind}' ->> 'status' = '${status}', false)::int`;
const rounds = (status: 'MET' | 'BREACHED') =>
  `(${target('NEXT_RESPONSE', status)} + coalesce((t_sla -> 'targets' -> 'NEXT_RESPONSE' ->> '${status === 'MET' ? 'earlierMet' : 'earlierBreached'}')::int, 0))`;
const DIMS = 'd_channel, d_category, d_priority, d_team_id, d_assignee_id, d_tags, d_product_ref';
const DELTA_ARGUMENTS = `d_sign smallint, ${FACT_LIST.map(([name, type]) => `d_${name} ${type}`).join(', ')}, wanted text DEFAULT NULL`;

/**
 * The schema made distributable by store (Citus), with nothing changed for one server:
 * - rida_app can log in: Citus opens its connections to the workers as the current role;
 * - unique keys include tenant_id; the look-ups that start from a value alone (an API key's
 *   prefix, a refresh or reset token's hash, a webhook's channel or store platform connection,
 *   a chat widget's channel) find their store in store_keys, a small global table (a reference
 *   table on Citus, so the look-up stays on one node and the rest on the store's shard);
 * - foreign keys no longer set columns to NULL on delete: the app clears them first, in the
 *   same transaction;
 * - no triggers on tickets: the app writes a ticket's tier at insert, and before COMMIT its
 *   "first ticket of the order" flag and its KPI contribution (kpi_ticket_facts keeps what each
 *   ticket counts for now, so a change appends the old contribution with sign -1 and the new one
 *   with +1 to kpi_deltas, as the trigger did);
 * - KPI functions take columns instead of table rows (each shard has a row type of its own);
 * - a tenant-led index for the SLA sweep, which now claims due tickets one store at a time.
 */
export class DistributableSchema1764061000000 implements MigrationInterface {
  name = 'DistributableSchema1764061000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`ALTER ROLE rida_app LOGIN`);

    // Global look-ups: value → store.
    await q(
      `CREATE TABLE "store_keys" ("kind" text NOT NULL, "key" text NOT NULL, "store_id" uuid NOT NULL, CONSTRAINT "store_keys_pkey" PRIMARY KEY ("kind", "key"),
        CONSTRAINT "store_keys_kind_check" CHECK (kind IN ('API_KEY','REFRESH_TOKEN','PASSWORD_RESET','MESSAGING_CHANNEL','CHAT_CHANNEL','STORE_PLATFORM_CONNECTION')))`,
    );
    await q(`ALTER TABLE "store_keys" ADD CONSTRAINT "store_keys_store_fkey" FOREIGN KEY ("store_id") REFERENCES "tenants"("id") ON DELETE CASCADE`);
    await q(`ALTER TABLE "store_keys" ENABLE ROW LEVEL SECURITY`);
    await q(
      `CREATE POLICY store_isolation ON "store_keys" TO rida_app USING ("store_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("store_id" = nullif(current_setting('app.tenant_id', true), '')::uuid)`,
    );
    await q(`GRANT SELECT, INSERT, DELETE ON "store_keys" TO rida_app`);
    await q(
      `INSERT INTO store_keys (kind, key, store_id)
       SELECT 'API_KEY', prefix, tenant_id FROM api_keys
       UNION ALL SELECT 'REFRESH_TOKEN', encode(token_hash, 'hex'), tenant_id FROM refresh_tokens
       UNION ALL SELECT 'PASSWORD_RESET', encode(token_hash, 'hex'), tenant_id FROM password_resets
       UNION ALL SELECT 'MESSAGING_CHANNEL', id::text, tenant_id FROM messaging_channels
       UNION ALL SELECT 'CHAT_CHANNEL', id::text, tenant_id FROM chat_channels
       UNION ALL SELECT 'STORE_PLATFORM_CONNECTION', id::text, tenant_id FROM store_platform_connections`,
    );
    await q(`ALTER TABLE "api_keys" DROP CONSTRAINT "UQ_6f6105c8efe05b310d046cbdb3d"`);
    await q(`CREATE UNIQUE INDEX "api_keys_tenant_prefix_key" ON "api_keys" ("tenant_id", "prefix")`);
    await q(`DROP INDEX "refresh_tokens_hash_key"`);
    await q(`CREATE UNIQUE INDEX "refresh_tokens_tenant_hash_key" ON "refresh_tokens" ("tenant_id", "token_hash")`);
    await q(`DROP INDEX "password_resets_hash_key"`);
    await q(`CREATE UNIQUE INDEX "password_resets_tenant_hash_key" ON "password_resets" ("tenant_id", "token_hash")`);
    // The primary keys (tenant_id, id) keep these unique.
    for (const index of ['messaging_channels_id_key', 'chat_channels_id_key', 'store_platform_connections_id_key']) await q(`DROP INDEX "${index}"`);

    // Foreign keys that cleared a column on delete: the app clears it first now.
    const keys: Array<[string, string, string, string]> = [
      ['routing_settings', 'routing_settings_default_team_fkey', 'default_team_id', 'teams'],
      ['messages', 'messages_mailbox_fkey', 'mailbox_id', 'mailboxes'],
      ['messages', 'messages_messaging_channel_fkey', 'messaging_channel_id', 'messaging_channels'],
      ['tickets', 'tickets_merged_into_fkey', 'merged_into_id', 'tickets'],
      ['customers', 'customers_merged_into_fkey', 'merged_into_id', 'customers'],
      ['faq_answers', 'faq_answers_article_fkey', 'article_id', 'kb_articles'],
    ];
    for (const [table, name, column, target] of keys) {
      await q(`ALTER TABLE "${table}" DROP CONSTRAINT "${name}"`);
      await q(`ALTER TABLE "${table}" ADD CONSTRAINT "${name}" FOREIGN KEY ("tenant_id", "${column}") REFERENCES "${target}"("tenant_id", "id")`);
    }

    // No triggers on tickets, no functions of table rows.
    await q(`DROP TRIGGER tickets_kpi_capture_update ON tickets`);
    await q(`DROP TRIGGER tickets_kpi_capture_insert_delete ON tickets`);
    await q(`DROP TRIGGER tickets_customer_tier ON tickets`);
    await q(`DROP TRIGGER tickets_opens_order ON tickets`);
    await q(`DROP FUNCTION tickets_kpi_capture()`);
    await q(`DROP FUNCTION tickets_customer_tier()`);
    await q(`DROP FUNCTION tickets_opens_order()`);
    await q(`DROP FUNCTION kpi_histogram_rows(kpi_deltas, text)`);
    await q(`DROP FUNCTION kpi_expand(kpi_deltas, text)`);
    await q(`DROP FUNCTION kpi_facts(tickets, text)`);

    await q(`
      CREATE FUNCTION kpi_facts(${TICKET_FACT_COLUMNS.map(([name, type]) => `t_${name} ${type}`).join(', ')}, tz text) RETURNS TABLE (${FACTS}) LANGUAGE sql STABLE AS $$
        SELECT (t_created_at AT TIME ZONE tz)::date, (coalesce(t_solved_at, t_closed_at) AT TIME ZONE tz)::date,
          t_channel, t_category, t_priority, t_team_id, t_assignee_id, t_tags, t_product_ref, t_keywords,
          (t_solved_at IS NOT NULL)::int, (t_reopen_count > 0)::int,
          (t_solved_at IS NOT NULL AND t_public_agent_reply_count = 1 AND t_reopen_count = 0)::int,
          ${target('FIRST_RESPONSE', 'MET')}, ${target('FIRST_RESPONSE', 'BREACHED')},
          coalesce(jsonb_path_exists(t_sla, '$.targets.*.status ? (@ == "BREACHED")'), false)::int,
          t_message_count, t_csat_sent::int, (t_csat_rating IS NOT NULL)::int, coalesce(t_csat_rating >= 4, false)::int,
          (t_order_ref IS NOT NULL)::int, t_opens_order::int,
          extract(epoch FROM t_first_response_at - t_created_at)::double precision, t_first_response_business_seconds::double precision,
          extract(epoch FROM t_solved_at - t_created_at)::double precision,
          t_customer_tier, ${rounds('MET')}, ${rounds('BREACHED')},
          ${target('RESOLUTION', 'MET')}, ${target('RESOLUTION', 'BREACHED')},
          (t_nps_score IS NOT NULL)::int, coalesce(t_nps_score >= 9, false)::int, coalesce(t_nps_score <= 6, false)::int
      $$`);
    const signed = (c: string) => `d_sign * d_${c}`;
    await q(`
      CREATE FUNCTION kpi_expand(${DELTA_ARGUMENTS}) RETURNS TABLE (day date, dim text, value text, ${COUNTERS}) LANGUAGE sql IMMUTABLE AS $$
        SELECT d_day, x.dim, x.value, d_sign::bigint, 0::bigint, ${['solved', 'reopened', 'fcr', 'frs_met', 'frs_breached', 'sla_breached', 'messages', 'csat_sent', 'csat_responses', 'csat_satisfied', 'with_order', 'opens_order'].map(signed).join(', ')},
          CASE WHEN d_frt IS NULL THEN 0 ELSE d_sign END, coalesce(d_sign * d_frt, 0),
          CASE WHEN d_frt_business IS NULL THEN 0 ELSE d_sign END, coalesce(d_sign * d_frt_business, 0),
          CASE WHEN d_resolution IS NULL THEN 0 ELSE d_sign END, coalesce(d_sign * d_resolution, 0),
          ${NEW_COUNTERS.map(signed).join(', ')}
          FROM kpi_dims(${DIMS}, d_keywords, d_customer_tier, wanted) x
        UNION ALL
        SELECT d_solved_day, x.dim, x.value, 0, d_sign, ${COUNTER_NAMES.slice(2)
          .map(() => '0')
          .join(', ')}
          FROM kpi_dims(${DIMS}, d_keywords, d_customer_tier, wanted) x
         WHERE d_solved_day IS NOT NULL
      $$`);
    const histogram = (metric: number, column: string) =>
      `SELECT d_day, x.dim, x.value, ${metric}::smallint, kpi_bucket(d_${column}), d_sign::int
         FROM kpi_dims(${DIMS}, '{}', d_customer_tier, wanted) x WHERE d_${column} IS NOT NULL`;
    await q(`
      CREATE FUNCTION kpi_histogram_rows(${DELTA_ARGUMENTS}) RETURNS TABLE (day date, dim text, value text, metric smallint, bucket integer, count integer)
      LANGUAGE sql IMMUTABLE AS $$
        ${histogram(0, 'frt')} UNION ALL ${histogram(1, 'frt_business')} UNION ALL ${histogram(2, 'resolution')}
      $$`);

    // What each ticket counts for in the rollups now: the old side of its next change.
    await q(
      `CREATE TABLE "kpi_ticket_facts" ("tenant_id" uuid NOT NULL, "ticket_id" uuid NOT NULL, ${FACTS},
        CONSTRAINT "PK_kpi_ticket_facts" PRIMARY KEY ("tenant_id", "ticket_id"))`,
    );
    await q(`ALTER TABLE "kpi_ticket_facts" ADD CONSTRAINT "kpi_ticket_facts_tenant_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE`);
    await q(`ALTER TABLE "kpi_ticket_facts" ENABLE ROW LEVEL SECURITY`);
    await q(`CREATE POLICY tenant_isolation ON "kpi_ticket_facts" TO rida_app ${TENANT_POLICY}`);
    await q(`GRANT SELECT, INSERT, UPDATE, DELETE ON "kpi_ticket_facts" TO rida_app`);
    await q(
      `INSERT INTO kpi_ticket_facts (tenant_id, ticket_id, ${FACT_NAMES.join(', ')})
       SELECT t.tenant_id, t.id, f.* FROM tenants n JOIN tickets t ON t.tenant_id = n.id,
              kpi_facts(${TICKET_FACT_COLUMNS.map(([name]) => `t.${name}`).join(', ')}, n.timezone) f`,
    );

    // The SLA sweep claims one store's due tickets at a time.
    await q(`CREATE INDEX "tickets_tenant_sla_next_check_idx" ON "tickets" ("tenant_id", "sla_next_check_at") WHERE sla_next_check_at IS NOT NULL`);
  }

  public async down(): Promise<void> {
    throw new Error(`DistributableSchema1764061000000 cannot be reverted: restore from a backup taken before it.`);
  }
}
