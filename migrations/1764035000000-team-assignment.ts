import { MigrationInterface, QueryRunner } from 'typeorm';

/** Assignment strategy per team, and an index of the tickets waiting for an agent. */
export class TeamAssignment1764035000000 implements MigrationInterface {
  name = 'TeamAssignment1764035000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "teams" ADD "assignment_strategy" text NOT NULL DEFAULT 'MANUAL'`);
    await queryRunner.query(`ALTER TABLE "teams" ADD "vip_to_seniors" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "teams" ADD "last_assigned_agent_id" uuid`);
    await queryRunner.query(`CREATE INDEX "tickets_waiting_idx" ON "tickets" ("tenant_id", "team_id", "created_at") WHERE assignee_id IS NULL AND team_id IS NOT NULL AND status IN ('NEW','OPEN')`);
    await queryRunner.query(`ALTER TABLE "teams" ADD CONSTRAINT "teams_assignment_strategy_check" CHECK (assignment_strategy IN ('ROUND_ROBIN','LEAST_LOADED','MANUAL'))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "tickets_waiting_idx"`);
    await queryRunner.query(`ALTER TABLE "teams" DROP CONSTRAINT "teams_assignment_strategy_check"`);
    for (const column of ['last_assigned_agent_id', 'vip_to_seniors', 'assignment_strategy']) await queryRunner.query(`ALTER TABLE "teams" DROP COLUMN "${column}"`);
  }
}
