import { MigrationInterface, QueryRunner } from 'typeorm';

/** CSAT surveys, tenant-scoped like every other table (composite keys, row-level security). */
export class CsatSurveys1764038000000 implements MigrationInterface {
  name = 'CsatSurveys1764038000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "csat_surveys" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "ticket_id" uuid NOT NULL, "customer_id" uuid NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "answered_at" TIMESTAMP WITH TIME ZONE, "rating" smallint, "comment" text,
        CONSTRAINT "csat_surveys_rating_check" CHECK (rating BETWEEN 1 AND 5),
        CONSTRAINT "PK_csat_surveys" PRIMARY KEY ("tenant_id", "id"))`,
    );
    await queryRunner.query(`CREATE INDEX "csat_surveys_tenant_ticket_idx" ON "csat_surveys" ("tenant_id", "ticket_id", "created_at")`);
    await queryRunner.query(`ALTER TABLE "csat_surveys" ADD CONSTRAINT "csat_surveys_ticket_fkey" FOREIGN KEY ("tenant_id", "ticket_id") REFERENCES "tickets"("tenant_id", "id") ON DELETE CASCADE`);
    await queryRunner.query(
      `ALTER TABLE "csat_surveys" ADD CONSTRAINT "csat_surveys_customer_fkey" FOREIGN KEY ("tenant_id", "customer_id") REFERENCES "customers"("tenant_id", "id") ON DELETE CASCADE`,
    );
    await queryRunner.query(`ALTER TABLE "csat_surveys" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(
      `CREATE POLICY tenant_isolation ON "csat_surveys" TO rida_app USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "csat_surveys"`);
  }
}
