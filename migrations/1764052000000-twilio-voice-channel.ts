import { MigrationInterface, QueryRunner } from 'typeorm';

/** A Twilio account is connected like a messaging channel (its Auth Token sealed, its Account SID as account id) to log calls from Voice status callbacks. */
export class TwilioVoiceChannel1764052000000 implements MigrationInterface {
  name = 'TwilioVoiceChannel1764052000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "messaging_channels" DROP CONSTRAINT "messaging_channels_kind_check"`);
    await queryRunner.query(`ALTER TABLE "messaging_channels" ADD CONSTRAINT "messaging_channels_kind_check" CHECK (kind IN ('WHATSAPP','INSTAGRAM','MESSENGER','X','TWILIO'))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "messaging_channels" WHERE kind = 'TWILIO'`);
    await queryRunner.query(`ALTER TABLE "messaging_channels" DROP CONSTRAINT "messaging_channels_kind_check"`);
    await queryRunner.query(`ALTER TABLE "messaging_channels" ADD CONSTRAINT "messaging_channels_kind_check" CHECK (kind IN ('WHATSAPP','INSTAGRAM','MESSENGER','X'))`);
  }
}
