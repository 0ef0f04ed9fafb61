import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Mailboxes can log in with an OAuth2 access token (XOAUTH2/OAUTHBEARER) instead of a password,
 * sealed like the passwords; IMAP needs one or the other. A refused SMTP login shows on the mailbox. The per-sender cap counts a customer's
 * inbound mail from the database through tickets_tenant_customer_created_idx and
 * messages_tenant_ticket_created_idx, so it needs no index of its own.
 */
export class EmailOauthAndLoops1764051000000 implements MigrationInterface {
  name = 'EmailOauthAndLoops1764051000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "mailboxes" ADD "imap_access_token" bytea, ADD "smtp_access_token" bytea, ADD "last_send_error" text, ALTER COLUMN "imap_password" DROP NOT NULL,
        ADD CONSTRAINT "mailboxes_imap_login_check" CHECK (imap_password IS NOT NULL OR imap_access_token IS NOT NULL)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "mailboxes" WHERE "imap_password" IS NULL`);
    await queryRunner.query(
      `ALTER TABLE "mailboxes" DROP CONSTRAINT "mailboxes_imap_login_check", ALTER COLUMN "imap_password" SET NOT NULL, DROP COLUMN "last_send_error", DROP COLUMN "smtp_access_token", DROP COLUMN "imap_access_token"`,
    );
  }
}
