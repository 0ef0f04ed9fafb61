import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Public chat channels: what a storefront's chat widget names in `data-channel`. The sites allowed
 * to embed it, what the visitor is asked, and the sealed secret a store signs its customers'
 * identities with (identity verification).
 */
export class ChatChannels1764059800000 implements MigrationInterface {
  name = 'ChatChannels1764059800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE "chat_channels" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "name" text NOT NULL,
        "allowed_origins" text[] NOT NULL, "identity_secret" bytea, "ask_name" boolean NOT NULL DEFAULT true,
        "ask_email" boolean NOT NULL DEFAULT true, "ask_phone" boolean NOT NULL DEFAULT false, "active" boolean NOT NULL DEFAULT true,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_chat_channels" PRIMARY KEY ("tenant_id", "id"))`,
      // A visitor's browser names only the channel (and so the store): the same look-up as a webhook's path.
      `CREATE UNIQUE INDEX "chat_channels_id_key" ON "chat_channels" ("id")`,
      `ALTER TABLE "chat_channels" ADD CONSTRAINT "chat_channels_tenant_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE`,
      `ALTER TABLE "chat_channels" ENABLE ROW LEVEL SECURITY`,
      `CREATE POLICY tenant_isolation ON "chat_channels" TO rida_app USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid)`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "chat_channels"`);
  }
}
