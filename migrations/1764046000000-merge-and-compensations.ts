import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Merging (a ticket or customer points at the one it was merged into) and the complaint protocol:
 * compensations recorded on tickets, with an optional follow-up check N days after solving.
 */
export class MergeAndCompensations1764046000000 implements MigrationInterface {
  name = 'MergeAndCompensations1764046000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE "tickets" ADD "merged_into_id" uuid`,
      `ALTER TABLE "tickets" ADD CONSTRAINT "tickets_merged_into_fkey" FOREIGN KEY ("tenant_id", "merged_into_id") REFERENCES "tickets"("tenant_id", "id") ON DELETE SET NULL ("merged_into_id")`,
      `ALTER TABLE "customers" ADD "merged_into_id" uuid`,
      `ALTER TABLE "customers" ADD CONSTRAINT "customers_merged_into_fkey" FOREIGN KEY ("tenant_id", "merged_into_id") REFERENCES "customers"("tenant_id", "id") ON DELETE SET NULL ("merged_into_id")`,
      `CREATE TABLE "compensations" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "ticket_id" uuid NOT NULL, "kind" text NOT NULL,
        "amount" numeric(12,2), "currency" text NOT NULL DEFAULT 'SAR', "note" text, "actor_type" text NOT NULL, "actor_id" uuid,
        "follow_up_days" integer, "follow_up_status" text NOT NULL DEFAULT 'NONE', "follow_up_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "compensations_kind_check" CHECK (kind IN ('COUPON','REFUND','FREE_SHIPPING','GIFT','OTHER')),
        CONSTRAINT "compensations_follow_up_status_check" CHECK (follow_up_status IN ('NONE','AWAITING_SOLVE','SCHEDULED','DONE','SKIPPED')),
        CONSTRAINT "compensations_amount_check" CHECK (amount IS NULL OR amount >= 0),
        CONSTRAINT "PK_compensations" PRIMARY KEY ("tenant_id", "id"))`,
      `CREATE INDEX "compensations_tenant_ticket_idx" ON "compensations" ("tenant_id", "ticket_id")`,
      `CREATE INDEX "compensations_tenant_created_idx" ON "compensations" ("tenant_id", "created_at")`,
      `ALTER TABLE "compensations" ADD CONSTRAINT "compensations_ticket_fkey" FOREIGN KEY ("tenant_id", "ticket_id") REFERENCES "tickets"("tenant_id", "id") ON DELETE CASCADE`,
      `ALTER TABLE "compensations" ENABLE ROW LEVEL SECURITY`,
      `CREATE POLICY tenant_isolation ON "compensations" TO rida_app USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid)`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "compensations"`);
    await queryRunner.query(`ALTER TABLE "customers" DROP CONSTRAINT "customers_merged_into_fkey", DROP COLUMN "merged_into_id"`);
    await queryRunner.query(`ALTER TABLE "tickets" DROP CONSTRAINT "tickets_merged_into_fkey", DROP COLUMN "merged_into_id"`);
  }
}
