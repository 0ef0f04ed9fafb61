import { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbound webhooks: endpoints per store and the outbox / delivery log (tenant-scoped, row-level security). */
export class Webhooks1764041000000 implements MigrationInterface {
  name = 'Webhooks1764041000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "webhook_endpoints" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "url" text NOT NULL, "description" text,
        "events" text array NOT NULL DEFAULT '{}', "secret" bytea NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "disabled_reason" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_webhook_endpoints" PRIMARY KEY ("tenant_id", "id"))`,
    );
    await queryRunner.query(`ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_tenant_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE`);
    await queryRunner.query(
      `CREATE TABLE "webhook_deliveries" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "endpoint_id" uuid NOT NULL, "event_id" uuid NOT NULL,
        "event_type" text NOT NULL, "ticket_id" uuid, "payload" jsonb NOT NULL, "status" text NOT NULL DEFAULT 'PENDING',
        "attempts" integer NOT NULL DEFAULT 0, "next_attempt_at" TIMESTAMP WITH TIME ZONE, "last_attempt_at" TIMESTAMP WITH TIME ZONE,
        "response_status" integer, "last_error" text, "replay_of_id" uuid,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "delivered_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "webhook_deliveries_status_check" CHECK (status IN ('PENDING','DELIVERED','FAILED')),
        CONSTRAINT "PK_webhook_deliveries" PRIMARY KEY ("tenant_id", "id"))`,
    );
    await queryRunner.query(`CREATE INDEX "webhook_deliveries_endpoint_idx" ON "webhook_deliveries" ("tenant_id", "endpoint_id", "created_at")`);
    await queryRunner.query(`CREATE INDEX "webhook_deliveries_pending_idx" ON "webhook_deliveries" ("tenant_id", "endpoint_id", "ticket_id", "event_id") WHERE status = 'PENDING'`);
    await queryRunner.query(
      `ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_fkey" FOREIGN KEY ("tenant_id", "endpoint_id") REFERENCES "webhook_endpoints"("tenant_id", "id") ON DELETE CASCADE`,
    );
    for (const table of ['webhook_endpoints', 'webhook_deliveries']) {
      await queryRunner.query(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(
        `CREATE POLICY tenant_isolation ON "${table}" TO rida_app USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid)`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "webhook_deliveries"`);
    await queryRunner.query(`DROP TABLE "webhook_endpoints"`);
  }
}
