import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Duration histograms with buckets below one second: everything up to 1 s used to share bucket 0
 * (read as 0.99 s), so a median of 0.2 s was reported as 0.99 s. Buckets now go on down to 1 ms
 * with the same 1% accuracy; a duration of 1 ms or less (a reply stamped with its ticket) is
 * bucket -1000, read as 0. Stored histograms are rebuilt from the tickets, minus the changes not
 * folded yet (those are bucketed when read or folded, by the new function).
 */
export class SubSecondKpiBuckets1764059400000 implements MigrationInterface {
  name = 'SubSecondKpiBuckets1764059400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`
      CREATE OR REPLACE FUNCTION kpi_bucket(seconds double precision) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN seconds IS NULL THEN NULL WHEN seconds <= 0.001 THEN -1000 ELSE ceil(ln(seconds) / ln(101.0 / 99.0))::int END
      $$`);
    // No change of a ticket may slip between the rebuild and the pending changes it subtracts.
    await q(`LOCK TABLE kpi_deltas, kpi_daily_histograms IN SHARE ROW EXCLUSIVE MODE`);
    await q(`TRUNCATE kpi_daily_histograms`);
    await q(
      `INSERT INTO kpi_daily_histograms (tenant_id, dim, day, value, metric, bucket, count)
       SELECT tenant_id, dim, day, value, metric, bucket, sum(count) FROM (
         SELECT (s.d).tenant_id, h.dim, h.day, h.value, h.metric, h.bucket, h.count
           FROM (SELECT ROW(t.tenant_id, 0::bigint, 1::smallint, f.*)::kpi_deltas AS d
                   FROM tenants n JOIN tickets t ON t.tenant_id = n.id, kpi_facts(t, n.timezone) f OFFSET 0) s, kpi_histogram_rows(s.d) h
         UNION ALL
         SELECT d.tenant_id, h.dim, h.day, h.value, h.metric, h.bucket, -h.count FROM kpi_deltas d, kpi_histogram_rows(d) h
       ) x GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(count) <> 0`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Back to one bucket for everything up to a second: the sub-second buckets folded into bucket 0.
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION kpi_bucket(seconds double precision) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN seconds IS NULL THEN NULL WHEN seconds <= 1 THEN 0 ELSE ceil(ln(seconds) / ln(101.0 / 99.0))::int END
      $$`);
    await queryRunner.query(
      `WITH moved AS (DELETE FROM kpi_daily_histograms WHERE bucket < 0 RETURNING tenant_id, dim, day, value, metric, count)
       INSERT INTO kpi_daily_histograms (tenant_id, dim, day, value, metric, bucket, count)
       SELECT tenant_id, dim, day, value, metric, 0, sum(count) FROM moved GROUP BY 1, 2, 3, 4, 5
       ON CONFLICT (tenant_id, dim, day, value, metric, bucket) DO UPDATE SET count = kpi_daily_histograms.count + excluded.count`,
    );
  }
}
