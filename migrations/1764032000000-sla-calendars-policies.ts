import { MigrationInterface, QueryRunner } from 'typeorm';

/** Business calendars and SLA policies per store. */
export class SlaCalendarsPolicies1764032000000 implements MigrationInterface {
  name = 'SlaCalendarsPolicies1764032000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "business_calendars" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "time_zone" text NOT NULL, "weekly" jsonb NOT NULL, "holidays" jsonb NOT NULL DEFAULT '[]', "overrides" jsonb NOT NULL DEFAULT '[]', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a25387015af1b9ed2df58c74edd" PRIMARY KEY ("tenant_id", "id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "business_calendars_tenant_key" ON "business_calendars" ("tenant_id") `);
    await queryRunner.query(
      `CREATE TABLE "sla_policies" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "name" text NOT NULL, "position" integer NOT NULL, "conditions" jsonb NOT NULL DEFAULT '{}', "first_response" jsonb, "next_response" jsonb, "resolution" jsonb, "warn_at_percent" smallint NOT NULL DEFAULT '80', "pause_while" text array NOT NULL DEFAULT '{PENDING}', "escalation" jsonb NOT NULL, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "sla_policies_warn_check" CHECK (warn_at_percent BETWEEN 1 AND 99), CONSTRAINT "PK_08b6f58334383806eb9cd576000" PRIMARY KEY ("tenant_id", "id"))`,
    );
    await queryRunner.query(`CREATE INDEX "sla_policies_tenant_position_idx" ON "sla_policies" ("tenant_id", "position") `);
    await queryRunner.query(`ALTER TABLE "business_calendars" ADD CONSTRAINT "business_calendars_tenant_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE`);
    await queryRunner.query(`ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_tenant_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE`);
    // Row-level security as on every tenant table (see RowLevelSecurity1764031000000).
    await queryRunner.query(`ALTER TABLE "business_calendars" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(
      `CREATE POLICY tenant_isolation ON "business_calendars" TO rida_app USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid)`,
    );
    await queryRunner.query(`ALTER TABLE "sla_policies" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(
      `CREATE POLICY tenant_isolation ON "sla_policies" TO rida_app USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "sla_policies"`);
    await queryRunner.query(`DROP TABLE "business_calendars"`);
  }
}
