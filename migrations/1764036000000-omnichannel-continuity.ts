import { MigrationInterface, QueryRunner } from 'typeorm';

/** The window in which a customer's new message joins their open ticket, and the index that finds it. */
export class OmnichannelContinuity1764036000000 implements MigrationInterface {
  name = 'OmnichannelContinuity1764036000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "routing_settings" ADD "continuity_window_hours" integer NOT NULL DEFAULT 72`);
    await queryRunner.query(`CREATE INDEX "tickets_tenant_customer_open_idx" ON "tickets" ("tenant_id", "customer_id", "category", "updated_at") WHERE status IN ('NEW','OPEN','PENDING','ON_HOLD')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "tickets_tenant_customer_open_idx"`);
    await queryRunner.query(`ALTER TABLE "routing_settings" DROP COLUMN "continuity_window_hours"`);
  }
}
