import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The deliveries table is the webhook queue: each instance finds the stores with deliveries due
 * (one probe per store) and claims a store's due deliveries in order, both from this index. The
 * pg-boss jobs that used to carry each delivery are no longer sent; any left behind are ignored
 * (their deliveries are due in the table).
 */
export class WebhookDueIndex1764059000000 implements MigrationInterface {
  name = 'WebhookDueIndex1764059000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" ("tenant_id", "next_attempt_at") WHERE status = 'PENDING'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "webhook_deliveries_due_idx"`);
  }
}
