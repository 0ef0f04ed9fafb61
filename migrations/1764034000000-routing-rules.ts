import { MigrationInterface, QueryRunner } from 'typeorm';

/** Categorisation rules and routing settings per store. */
export class RoutingRules1764034000000 implements MigrationInterface {
  name = 'RoutingRules1764034000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "routing_rules" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "name" text NOT NULL, "position" integer NOT NULL, "category" text NOT NULL, "phrases" text array NOT NULL, "channels" text array NOT NULL DEFAULT '{}', "tiers" text array NOT NULL DEFAULT '{}', "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6408b219c72518088ba35704551" PRIMARY KEY ("tenant_id", "id"))`,
    );
    await queryRunner.query(`CREATE INDEX "routing_rules_tenant_position_idx" ON "routing_rules" ("tenant_id", "position") `);
    await queryRunner.query(
      `CREATE TABLE "routing_settings" ("tenant_id" uuid NOT NULL, "default_team_id" uuid, "priority_policy" jsonb NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_072c2e9380d6587ff78de5c8a9a" PRIMARY KEY ("tenant_id"))`,
    );
    await queryRunner.query(`ALTER TABLE "routing_rules" ADD CONSTRAINT "routing_rules_tenant_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE`);
    await queryRunner.query(`ALTER TABLE "routing_settings" ADD CONSTRAINT "routing_settings_tenant_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE`);
    await queryRunner.query(
      `ALTER TABLE "routing_settings" ADD CONSTRAINT "routing_settings_default_team_fkey" FOREIGN KEY ("tenant_id", "default_team_id") REFERENCES "teams"("tenant_id", "id") ON DELETE SET NULL ("default_team_id")`,
    );
    // Row-level security as on every tenant table.
    await queryRunner.query(`ALTER TABLE "routing_rules" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(
      `CREATE POLICY tenant_isolation ON "routing_rules" TO rida_app USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid)`,
    );
    await queryRunner.query(`ALTER TABLE "routing_settings" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(
      `CREATE POLICY tenant_isolation ON "routing_settings" TO rida_app USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "routing_settings"`);
    await queryRunner.query(`DROP TABLE "routing_rules"`);
  }
}
