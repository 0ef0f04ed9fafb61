import { MigrationInterface, QueryRunner } from 'typeorm';

/** The store's currency: lifetime value adds only orders in it (amounts in other currencies cannot be added without rates). */
export class StoreCurrency1764056000000 implements MigrationInterface {
  name = 'StoreCurrency1764056000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "store_settings" ADD "currency" text NOT NULL DEFAULT 'SAR'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "store_settings" DROP COLUMN "currency"`);
  }
}
