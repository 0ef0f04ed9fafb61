import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SLA state on tickets. The sweep index is deliberately global (not led by tenant_id): one sweep
 * serves every store and reads only the tickets whose next check has come.
 */
export class TicketSla1764033000000 implements MigrationInterface {
  name = 'TicketSla1764033000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "tickets" ADD "sla" jsonb`);
    await queryRunner.query(`ALTER TABLE "tickets" ADD "sla_next_check_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "tickets" ADD "sla_due_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "tickets" ADD "sla_health" text`);
    await queryRunner.query(`CREATE INDEX "tickets_tenant_sla_health_due_idx" ON "tickets" ("tenant_id", "sla_health", "sla_due_at") `);
    await queryRunner.query(`CREATE INDEX "tickets_sla_next_check_idx" ON "tickets" ("sla_next_check_at") WHERE sla_next_check_at IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "tickets_sla_next_check_idx"`);
    await queryRunner.query(`DROP INDEX "tickets_tenant_sla_health_due_idx"`);
    for (const column of ['sla_health', 'sla_due_at', 'sla_next_check_at', 'sla']) await queryRunner.query(`ALTER TABLE "tickets" DROP COLUMN "${column}"`);
  }
}
