import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The survey page's look (the store's logo and accent colour), the survey message sent after a
 * ticket is solved (its delay and its text in Arabic and English), and when a survey's message
 * went out (at most one per ticket).
 */
export class SurveyPageAndMessage1764059600000 implements MigrationInterface {
  name = 'SurveyPageAndMessage1764059600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "store_settings" ADD "survey_logo_url" text`);
    await queryRunner.query(`ALTER TABLE "store_settings" ADD "survey_accent_color" text`);
    await queryRunner.query(`ALTER TABLE "store_settings" ADD "csat_after_solve_minutes" integer DEFAULT 60`);
    await queryRunner.query(
      `ALTER TABLE "store_settings" ADD "csat_after_solve_message" text NOT NULL DEFAULT 'مرحباً {{customer.name}}، يهمّنا رأيك في خدمتنا في طلبك رقم {{ticket.number}}. قيّمنا بلمسة واحدة من هنا: {{survey.link}} — شكراً لك!'`,
    );
    await queryRunner.query(
      `ALTER TABLE "store_settings" ADD "csat_after_solve_message_en" text NOT NULL DEFAULT 'Hello {{customer.name}}, how did we do with your request #{{ticket.number}}? Rate us with one tap: {{survey.link}} — thank you!'`,
    );
    // The defaults fill existing stores' rows; new rows get theirs from the code, as the other messages do.
    await queryRunner.query(`ALTER TABLE "store_settings" ALTER COLUMN "csat_after_solve_message" DROP DEFAULT, ALTER COLUMN "csat_after_solve_message_en" DROP DEFAULT`);
    await queryRunner.query(`ALTER TABLE "csat_surveys" ADD "message_sent_at" timestamptz`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "csat_surveys" DROP COLUMN "message_sent_at"`);
    for (const column of ['csat_after_solve_message_en', 'csat_after_solve_message', 'csat_after_solve_minutes', 'survey_accent_color', 'survey_logo_url']) {
      await queryRunner.query(`ALTER TABLE "store_settings" DROP COLUMN "${column}"`);
    }
  }
}
