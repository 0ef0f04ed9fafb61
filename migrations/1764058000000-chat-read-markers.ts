import { MigrationInterface, QueryRunner } from 'typeorm';

/** How far each side of a conversation has read (the customer, the store's agents), for "seen" marks in chat. */
export class ChatReadMarkers1764058000000 implements MigrationInterface {
  name = 'ChatReadMarkers1764058000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "chat_read_markers" ("tenant_id" uuid NOT NULL, "ticket_id" uuid NOT NULL, "reader" text NOT NULL, "message_id" uuid NOT NULL,
        "read_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "chat_read_markers_reader_check" CHECK (reader IN ('CUSTOMER','AGENT')),
        CONSTRAINT "PK_chat_read_markers" PRIMARY KEY ("tenant_id", "ticket_id", "reader"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "chat_read_markers" ADD CONSTRAINT "chat_read_markers_ticket_fkey" FOREIGN KEY ("tenant_id", "ticket_id") REFERENCES "tickets"("tenant_id", "id") ON DELETE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "chat_read_markers" ADD CONSTRAINT "chat_read_markers_message_fkey" FOREIGN KEY ("tenant_id", "message_id") REFERENCES "messages"("tenant_id", "id") ON DELETE CASCADE`,
    );
    await queryRunner.query(`ALTER TABLE "chat_read_markers" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(
      `CREATE POLICY tenant_isolation ON "chat_read_markers" TO rida_app USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "chat_read_markers"`);
  }
}
