import { MigrationInterface, QueryRunner } from 'typeorm';

export class ReassignOnOffline1764037000000 implements MigrationInterface {
  name = 'ReassignOnOffline1764037000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "teams" ADD "reassign_on_offline" boolean NOT NULL DEFAULT false`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "teams" DROP COLUMN "reassign_on_offline"`);
  }
}
