import { MigrationInterface, QueryRunner } from 'typeorm';

const RLS = (table: string) => [
  `ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`,
  `CREATE POLICY tenant_isolation ON "${table}" TO rida_app USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid)`,
];

/**
 * Messaging channels (WhatsApp Cloud API, Instagram, Messenger, X) per store, structured message
 * content and the channel a message came in on or went out through, delivery receipts kept apart
 * from messages (a receipt may arrive before the send that it confirms is recorded), media fetched
 * later by a job, and phone calls.
 */
export class MessagingChannels1764043000000 implements MigrationInterface {
  name = 'MessagingChannels1764043000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE "messaging_channels" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "kind" text NOT NULL, "name" text NOT NULL,
        "account_id" text NOT NULL, "display_name" text, "business_account_id" text, "secrets" bytea NOT NULL,
        "active" boolean NOT NULL DEFAULT true, "last_error" text, "last_event_at" TIMESTAMP WITH TIME ZONE,
        "received_count" integer NOT NULL DEFAULT 0, "sent_count" integer NOT NULL DEFAULT 0,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "messaging_channels_kind_check" CHECK (kind IN ('WHATSAPP','INSTAGRAM','MESSENGER','X')),
        CONSTRAINT "PK_messaging_channels" PRIMARY KEY ("tenant_id", "id"))`,
      `CREATE UNIQUE INDEX "messaging_channels_tenant_account_key" ON "messaging_channels" ("tenant_id", "kind", "account_id")`,
      // Webhooks arrive with only the channel id in the path.
      `CREATE UNIQUE INDEX "messaging_channels_id_key" ON "messaging_channels" ("id")`,
      `ALTER TABLE "messaging_channels" ADD CONSTRAINT "messaging_channels_tenant_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE`,

      `ALTER TABLE "messages" ADD "messaging_channel_id" uuid, ADD "content" jsonb`,
      `ALTER TABLE "messages" ADD CONSTRAINT "messages_messaging_channel_fkey" FOREIGN KEY ("tenant_id", "messaging_channel_id") REFERENCES "messaging_channels"("tenant_id", "id") ON DELETE SET NULL ("messaging_channel_id")`,
      `CREATE INDEX "messages_tenant_messaging_channel_idx" ON "messages" ("tenant_id", "messaging_channel_id", "ticket_id") WHERE messaging_channel_id IS NOT NULL`,

      `CREATE TABLE "delivery_receipts" ("tenant_id" uuid NOT NULL, "channel" text NOT NULL, "external_id" text NOT NULL, "status" text NOT NULL,
        "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "error" text, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "delivery_receipts_status_check" CHECK (status IN ('SENT','DELIVERED','READ','FAILED')),
        CONSTRAINT "PK_delivery_receipts" PRIMARY KEY ("tenant_id", "channel", "external_id", "status"))`,
      `ALTER TABLE "delivery_receipts" ADD CONSTRAINT "delivery_receipts_tenant_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE`,

      `ALTER TABLE "message_attachments" ADD "provider_media_id" text, ADD "source_url" text, ADD "fetch_error" text`,

      `CREATE TABLE "calls" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "ticket_id" uuid NOT NULL, "customer_id" uuid NOT NULL,
        "direction" text NOT NULL, "outcome" text NOT NULL, "from_number" text NOT NULL, "to_number" text NOT NULL,
        "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ended_at" TIMESTAMP WITH TIME ZONE, "duration_seconds" integer NOT NULL DEFAULT 0,
        "recording_url" text, "agent_id" uuid, "provider" text NOT NULL DEFAULT 'api', "provider_call_id" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "calls_direction_check" CHECK (direction IN ('INBOUND','OUTBOUND')),
        CONSTRAINT "calls_outcome_check" CHECK (outcome IN ('ANSWERED','MISSED','VOICEMAIL')),
        CONSTRAINT "PK_calls" PRIMARY KEY ("tenant_id", "id"))`,
      `CREATE UNIQUE INDEX "calls_tenant_provider_call_key" ON "calls" ("tenant_id", "provider", "provider_call_id") WHERE provider_call_id IS NOT NULL`,
      `CREATE INDEX "calls_tenant_customer_idx" ON "calls" ("tenant_id", "customer_id", "started_at")`,
      `CREATE INDEX "calls_tenant_ticket_idx" ON "calls" ("tenant_id", "ticket_id")`,
      `ALTER TABLE "calls" ADD CONSTRAINT "calls_ticket_fkey" FOREIGN KEY ("tenant_id", "ticket_id") REFERENCES "tickets"("tenant_id", "id") ON DELETE CASCADE`,
      `ALTER TABLE "calls" ADD CONSTRAINT "calls_customer_fkey" FOREIGN KEY ("tenant_id", "customer_id") REFERENCES "customers"("tenant_id", "id") ON DELETE CASCADE`,
      ...['messaging_channels', 'delivery_receipts', 'calls'].flatMap(RLS),
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "calls"`);
    await queryRunner.query(`ALTER TABLE "message_attachments" DROP COLUMN "fetch_error", DROP COLUMN "source_url", DROP COLUMN "provider_media_id"`);
    await queryRunner.query(`DROP TABLE "delivery_receipts"`);
    await queryRunner.query(`DROP INDEX "messages_tenant_messaging_channel_idx"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "messages_messaging_channel_fkey", DROP COLUMN "content", DROP COLUMN "messaging_channel_id"`);
    await queryRunner.query(`DROP TABLE "messaging_channels"`);
  }
}
