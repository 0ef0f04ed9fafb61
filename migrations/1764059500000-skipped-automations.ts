import { MigrationInterface, QueryRunner } from 'typeorm';

/** An automation already past due by more than the grace period when its event arrived is recorded as SKIPPED. */
export class SkippedAutomations1764059500000 implements MigrationInterface {
  name = 'SkippedAutomations1764059500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "scheduled_automations" DROP CONSTRAINT "scheduled_automations_status_check"`);
    await queryRunner.query(`ALTER TABLE "scheduled_automations" ADD CONSTRAINT "scheduled_automations_status_check" CHECK (status IN ('SCHEDULED','DONE','CANCELLED','SKIPPED'))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "scheduled_automations" SET status = 'CANCELLED' WHERE status = 'SKIPPED'`);
    await queryRunner.query(`ALTER TABLE "scheduled_automations" DROP CONSTRAINT "scheduled_automations_status_check"`);
    await queryRunner.query(`ALTER TABLE "scheduled_automations" ADD CONSTRAINT "scheduled_automations_status_check" CHECK (status IN ('SCHEDULED','DONE','CANCELLED'))`);
  }
}
