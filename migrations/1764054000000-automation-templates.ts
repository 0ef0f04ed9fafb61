import { MigrationInterface, QueryRunner } from 'typeorm';

/** The approved WhatsApp templates store automations send when the customer's window is closed. */
export class AutomationTemplates1764054000000 implements MigrationInterface {
  name = 'AutomationTemplates1764054000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "store_settings" ADD "whatsapp_templates" jsonb NOT NULL DEFAULT '[]'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "store_settings" DROP COLUMN "whatsapp_templates"`);
  }
}
