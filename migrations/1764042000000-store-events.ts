import { MigrationInterface, QueryRunner } from 'typeorm';

const RLS = (table: string) => [
  `ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`,
  `CREATE POLICY tenant_isolation ON "${table}" TO rida_app USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid)`,
];

/** Store events in: orders, lifetime value and tiers on customers, delayed automations, per-store settings. */
export class StoreEvents1764042000000 implements MigrationInterface {
  name = 'StoreEvents1764042000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE "customers" DROP CONSTRAINT "customers_tier_check"`,
      `ALTER TABLE "customers" ADD CONSTRAINT "customers_tier_check" CHECK (tier IN ('STANDARD','BRONZE','SILVER','GOLD','VIP'))`,
      `ALTER TABLE "customers" ADD "tier_source" text NOT NULL DEFAULT 'RULES'`,
      `ALTER TABLE "customers" ADD CONSTRAINT "customers_tier_source_check" CHECK (tier_source IN ('RULES','MANUAL'))`,
      `ALTER TABLE "customers" ADD "lifetime_value" numeric(14,2) NOT NULL DEFAULT 0`,
      `ALTER TABLE "customers" ADD "order_count" integer NOT NULL DEFAULT 0`,

      `CREATE TABLE "orders" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "external_id" text NOT NULL, "customer_id" uuid NOT NULL,
        "status" text NOT NULL, "total_amount" numeric(14,2), "currency" text NOT NULL DEFAULT 'SAR', "items" jsonb NOT NULL DEFAULT '[]',
        "placed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "paid_at" TIMESTAMP WITH TIME ZONE, "shipped_at" TIMESTAMP WITH TIME ZONE,
        "delivered_at" TIMESTAMP WITH TIME ZONE, "expected_delivery_at" TIMESTAMP WITH TIME ZONE, "returned_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "orders_status_check" CHECK (status IN ('CREATED','PAID','SHIPPED','DELIVERED','DELAYED','RETURNED','CANCELLED')),
        CONSTRAINT "PK_orders" PRIMARY KEY ("tenant_id", "id"))`,
      `CREATE UNIQUE INDEX "orders_tenant_external_key" ON "orders" ("tenant_id", "external_id")`,
      `CREATE INDEX "orders_tenant_customer_idx" ON "orders" ("tenant_id", "customer_id", "placed_at")`,
      `ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_fkey" FOREIGN KEY ("tenant_id", "customer_id") REFERENCES "customers"("tenant_id", "id") ON DELETE CASCADE`,

      `CREATE TABLE "store_events" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "external_id" text NOT NULL, "type" text NOT NULL,
        "order_id" uuid NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "store_events_type_check" CHECK (type IN ('ORDER_CREATED','ORDER_PAID','ORDER_SHIPPED','ORDER_DELIVERED','ORDER_DELAYED','ORDER_RETURNED','ORDER_CANCELLED')),
        CONSTRAINT "PK_store_events" PRIMARY KEY ("tenant_id", "id"))`,
      `CREATE UNIQUE INDEX "store_events_tenant_external_key" ON "store_events" ("tenant_id", "external_id")`,
      `ALTER TABLE "store_events" ADD CONSTRAINT "store_events_order_fkey" FOREIGN KEY ("tenant_id", "order_id") REFERENCES "orders"("tenant_id", "id") ON DELETE CASCADE`,

      `CREATE TABLE "scheduled_automations" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "kind" text NOT NULL, "order_id" uuid NOT NULL,
        "run_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" text NOT NULL DEFAULT 'SCHEDULED', "ticket_id" uuid, "note" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "done_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "scheduled_automations_status_check" CHECK (status IN ('SCHEDULED','DONE','CANCELLED')),
        CONSTRAINT "PK_scheduled_automations" PRIMARY KEY ("tenant_id", "id"))`,
      `CREATE UNIQUE INDEX "scheduled_automations_order_kind_key" ON "scheduled_automations" ("tenant_id", "order_id", "kind")`,
      `ALTER TABLE "scheduled_automations" ADD CONSTRAINT "scheduled_automations_order_fkey" FOREIGN KEY ("tenant_id", "order_id") REFERENCES "orders"("tenant_id", "id") ON DELETE CASCADE`,

      `CREATE TABLE "store_settings" ("tenant_id" uuid NOT NULL, "follow_up_after_delivery_hours" integer DEFAULT 48, "follow_up_message" text NOT NULL,
        "csat_after_delivery_days" integer DEFAULT 7, "csat_message" text NOT NULL, "delay_notices" boolean NOT NULL DEFAULT true,
        "delay_message" text NOT NULL, "tier_rules" jsonb NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_store_settings" PRIMARY KEY ("tenant_id"))`,
      `ALTER TABLE "store_settings" ADD CONSTRAINT "store_settings_tenant_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE`,
      ...['orders', 'store_events', 'scheduled_automations', 'store_settings'].flatMap(RLS),
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['store_settings', 'scheduled_automations', 'store_events', 'orders']) await queryRunner.query(`DROP TABLE "${table}"`);
    await queryRunner.query(`ALTER TABLE "customers" DROP COLUMN "order_count", DROP COLUMN "lifetime_value", DROP COLUMN "tier_source"`);
    await queryRunner.query(`ALTER TABLE "customers" DROP CONSTRAINT "customers_tier_check"`);
    await queryRunner.query(`ALTER TABLE "customers" ADD CONSTRAINT "customers_tier_check" CHECK (tier IN ('STANDARD','SILVER','GOLD','VIP'))`);
  }
}
