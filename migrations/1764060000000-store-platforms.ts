import { MigrationInterface, QueryRunner } from 'typeorm';

const RLS = (table: string) => [
  `ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`,
  `CREATE POLICY tenant_isolation ON "${table}" TO rida_app USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid)`,
];

/**
 * Store platform connections (Salla, Zid, Shopify webhooks straight in), each delivery they send
 * once (its key is the platform's delivery id, or the order, event and state it carries), and the
 * store's promised delivery days that decide when an undelivered order is late.
 */
export class StorePlatforms1764060000000 implements MigrationInterface {
  name = 'StorePlatforms1764060000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE "store_platform_connections" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "platform" text NOT NULL, "name" text NOT NULL,
        "account_id" text, "secrets" bytea NOT NULL, "has_api_token" boolean NOT NULL DEFAULT false, "active" boolean NOT NULL DEFAULT true,
        "last_event_at" TIMESTAMP WITH TIME ZONE, "last_sync_at" TIMESTAMP WITH TIME ZONE, "last_error" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "store_platform_connections_platform_check" CHECK (platform IN ('SALLA','ZID','SHOPIFY')),
        CONSTRAINT "PK_store_platform_connections" PRIMARY KEY ("tenant_id", "id"))`,
      // Webhooks arrive with only the connection id in the path.
      `CREATE UNIQUE INDEX "store_platform_connections_id_key" ON "store_platform_connections" ("id")`,
      `ALTER TABLE "store_platform_connections" ADD CONSTRAINT "store_platform_connections_tenant_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE`,

      `CREATE TABLE "store_platform_deliveries" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "connection_id" uuid NOT NULL, "delivery_key" text NOT NULL,
        "topic" text NOT NULL, "outcome" text NOT NULL, "note" text, "order_external_id" text, "redeliveries" integer NOT NULL DEFAULT 0,
        "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "store_platform_deliveries_outcome_check" CHECK (outcome IN ('RECORDED','IGNORED')),
        CONSTRAINT "PK_store_platform_deliveries" PRIMARY KEY ("tenant_id", "id"))`,
      `CREATE UNIQUE INDEX "store_platform_deliveries_key" ON "store_platform_deliveries" ("tenant_id", "connection_id", "delivery_key")`,
      `CREATE INDEX "store_platform_deliveries_log_idx" ON "store_platform_deliveries" ("tenant_id", "connection_id", "id")`,
      `ALTER TABLE "store_platform_deliveries" ADD CONSTRAINT "store_platform_deliveries_connection_fkey" FOREIGN KEY ("tenant_id", "connection_id") REFERENCES "store_platform_connections"("tenant_id", "id") ON DELETE CASCADE`,

      `ALTER TABLE "store_settings" ADD "promised_delivery_days" integer`,
      ...['store_platform_connections', 'store_platform_deliveries'].flatMap(RLS),
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "store_settings" DROP COLUMN "promised_delivery_days"`);
    await queryRunner.query(`DROP TABLE "store_platform_deliveries"`);
    await queryRunner.query(`DROP TABLE "store_platform_connections"`);
  }
}
