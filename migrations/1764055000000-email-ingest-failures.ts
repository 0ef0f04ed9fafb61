import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A message that fails to ingest on every try no longer holds its mailbox: after a few tries it is
 * kept whole (raw RFC 5322 bytes and the error) in email_ingest_failures and the mailbox moves on.
 */
export class EmailIngestFailures1764055000000 implements MigrationInterface {
  name = 'EmailIngestFailures1764055000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "mailboxes" ADD "failing_uid" bigint, ADD "failing_attempts" integer NOT NULL DEFAULT 0, ADD "failed_count" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(
      `CREATE TABLE "email_ingest_failures" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "mailbox_id" uuid NOT NULL, "uid_validity" bigint, "uid" bigint NOT NULL,
        "message_id" text, "subject" text, "raw" bytea NOT NULL, "error" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_email_ingest_failures" PRIMARY KEY ("tenant_id", "id"))`,
    );
    await queryRunner.query(`CREATE INDEX "email_ingest_failures_mailbox_idx" ON "email_ingest_failures" ("tenant_id", "mailbox_id", "created_at")`);
    await queryRunner.query(
      `ALTER TABLE "email_ingest_failures" ADD CONSTRAINT "email_ingest_failures_mailbox_fkey" FOREIGN KEY ("tenant_id", "mailbox_id") REFERENCES "mailboxes"("tenant_id", "id") ON DELETE CASCADE`,
    );
    await queryRunner.query(`ALTER TABLE "email_ingest_failures" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(
      `CREATE POLICY tenant_isolation ON "email_ingest_failures" TO rida_app USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "email_ingest_failures"`);
    await queryRunner.query(`ALTER TABLE "mailboxes" DROP COLUMN "failed_count", DROP COLUMN "failing_attempts", DROP COLUMN "failing_uid"`);
  }
}
