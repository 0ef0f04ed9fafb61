import { MigrationInterface, QueryRunner } from 'typeorm';
import PgBoss from 'pg-boss';

const TENANT_POLICY = `USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid)`;

/**
 * The email channel: mailboxes per store (passwords sealed with SECRETS_KEY), the IMAP checkpoint
 * (UIDVALIDITY, last UID), delivery state on messages, attachments; and the durable job queue
 * (pg-boss, in schema "pgboss", installed here so the app never needs DDL rights at run time).
 */
export class EmailChannel1764040000000 implements MigrationInterface {
  name = 'EmailChannel1764040000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "mailboxes" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "name" text NOT NULL, "address" text NOT NULL,
        "imap_host" text NOT NULL, "imap_port" integer NOT NULL, "imap_security" text NOT NULL DEFAULT 'TLS', "imap_user" text NOT NULL,
        "imap_password" bytea NOT NULL, "folder" text NOT NULL DEFAULT 'INBOX',
        "smtp_host" text NOT NULL, "smtp_port" integer NOT NULL, "smtp_security" text NOT NULL DEFAULT 'STARTTLS', "smtp_user" text,
        "smtp_password" bytea, "signature" text, "auto_acknowledge" text NOT NULL DEFAULT 'OUT_OF_HOURS', "active" boolean NOT NULL DEFAULT true,
        "uid_validity" bigint, "last_uid" bigint NOT NULL DEFAULT 0, "last_polled_at" TIMESTAMP WITH TIME ZONE, "last_error" text,
        "ingested_count" integer NOT NULL DEFAULT 0, "ignored_count" integer NOT NULL DEFAULT 0,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "mailboxes_imap_security_check" CHECK (imap_security IN ('TLS','STARTTLS','NONE')),
        CONSTRAINT "mailboxes_smtp_security_check" CHECK (smtp_security IN ('TLS','STARTTLS','NONE')),
        CONSTRAINT "mailboxes_auto_acknowledge_check" CHECK (auto_acknowledge IN ('OFF','OUT_OF_HOURS','ALWAYS')),
        CONSTRAINT "PK_mailboxes" PRIMARY KEY ("tenant_id", "id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "mailboxes_tenant_address_key" ON "mailboxes" ("tenant_id", lower("address"))`);
    await queryRunner.query(`ALTER TABLE "mailboxes" ADD CONSTRAINT "mailboxes_tenant_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE`);

    await queryRunner.query(
      `ALTER TABLE "messages" ADD "mailbox_id" uuid, ADD "delivery_status" text, ADD "delivery_error" text, ADD "delivered_at" TIMESTAMP WITH TIME ZONE,
        ADD CONSTRAINT "messages_delivery_status_check" CHECK (delivery_status IN ('QUEUED','SENT','DELIVERED','READ','FAILED'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "messages_mailbox_fkey" FOREIGN KEY ("tenant_id", "mailbox_id") REFERENCES "mailboxes"("tenant_id", "id") ON DELETE SET NULL ("mailbox_id")`,
    );

    await queryRunner.query(
      `CREATE TABLE "message_attachments" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "message_id" uuid NOT NULL, "filename" text,
        "content_type" text NOT NULL, "size_bytes" integer NOT NULL, "content_id" text, "content" bytea,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_message_attachments" PRIMARY KEY ("tenant_id", "id"))`,
    );
    await queryRunner.query(`CREATE INDEX "message_attachments_message_idx" ON "message_attachments" ("tenant_id", "message_id")`);
    await queryRunner.query(
      `ALTER TABLE "message_attachments" ADD CONSTRAINT "message_attachments_message_fkey" FOREIGN KEY ("tenant_id", "message_id") REFERENCES "messages"("tenant_id", "id") ON DELETE CASCADE`,
    );
    for (const table of ['mailboxes', 'message_attachments']) {
      await queryRunner.query(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`CREATE POLICY tenant_isolation ON "${table}" TO rida_app ${TENANT_POLICY}`);
    }

    await queryRunner.query(PgBoss.getConstructionPlans('pgboss'));
    // Jobs are enqueued inside tenant transactions (as rida_app); workers run as the owner.
    await queryRunner.query(`GRANT USAGE ON SCHEMA pgboss TO rida_app`);
    await queryRunner.query(`GRANT SELECT ON ALL TABLES IN SCHEMA pgboss TO rida_app`);
    await queryRunner.query(`GRANT INSERT ON pgboss.job TO rida_app`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP SCHEMA pgboss CASCADE`);
    await queryRunner.query(`DROP TABLE "message_attachments"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "messages_mailbox_fkey"`);
    await queryRunner.query(
      `ALTER TABLE "messages" DROP CONSTRAINT "messages_delivery_status_check", DROP COLUMN "delivered_at", DROP COLUMN "delivery_error", DROP COLUMN "delivery_status", DROP COLUMN "mailbox_id"`,
    );
    await queryRunner.query(`DROP TABLE "mailboxes"`);
  }
}
