import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An order can be delayed more than once: each new expected delivery date is its own delay notice
 * (the occurrence), while one repeated for the same date still schedules nothing more.
 */
export class RepeatedDelayNotices1764057000000 implements MigrationInterface {
  name = 'RepeatedDelayNotices1764057000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "scheduled_automations" ADD "occurrence" text NOT NULL DEFAULT ''`);
    await queryRunner.query(`DROP INDEX "scheduled_automations_order_kind_key"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "scheduled_automations_order_kind_key" ON "scheduled_automations" ("tenant_id", "order_id", "kind", "occurrence")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "scheduled_automations" WHERE "occurrence" <> ''`);
    await queryRunner.query(`DROP INDEX "scheduled_automations_order_kind_key"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "scheduled_automations_order_kind_key" ON "scheduled_automations" ("tenant_id", "order_id", "kind")`);
    await queryRunner.query(`ALTER TABLE "scheduled_automations" DROP COLUMN "occurrence"`);
  }
}
