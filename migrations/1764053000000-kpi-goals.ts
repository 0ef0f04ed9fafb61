import { MigrationInterface, QueryRunner } from 'typeorm';

const GOALS = ['first_contact_resolution', 'first_reply_sla', 'next_reply_sla', 'resolution_sla', 'csat'];
/** Written out the same in KpiGoalsRow's @Check. */
export const KPI_GOALS_RANGE = GOALS.map((g) => `${g} BETWEEN 0 AND 1`).join(' AND ');

/** Each store's KPI goals (a row only once a store changes them; the design notes' goals otherwise). */
export class KpiGoals1764053000000 implements MigrationInterface {
  name = 'KpiGoals1764053000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "kpi_goals" ("tenant_id" uuid NOT NULL, ${GOALS.map((g) => `"${g}" double precision NOT NULL`).join(', ')},
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "kpi_goals_range_check" CHECK (${KPI_GOALS_RANGE}), CONSTRAINT "PK_kpi_goals" PRIMARY KEY ("tenant_id"))`,
    );
    await queryRunner.query(`ALTER TABLE "kpi_goals" ADD CONSTRAINT "kpi_goals_tenant_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE`);
    await queryRunner.query(`ALTER TABLE "kpi_goals" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(
      `CREATE POLICY tenant_isolation ON "kpi_goals" TO rida_app USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "kpi_goals"`);
  }
}
