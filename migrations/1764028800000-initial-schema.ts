import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764028800000 implements MigrationInterface {
  name = 'InitialSchema1764028800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "api_keys" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "name" text NOT NULL, "prefix" text NOT NULL, "secret_hash" bytea NOT NULL, "role" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_6f6105c8efe05b310d046cbdb3d" UNIQUE ("prefix"), CONSTRAINT "api_keys_role_check" CHECK (role IN ('admin','agent','integration','reporting')), CONSTRAINT "PK_63391bb25a8c6e1c50de701375f" PRIMARY KEY ("tenant_id", "id"))`,
    );
    await queryRunner.query(`CREATE INDEX "api_keys_tenant_idx" ON "api_keys" ("tenant_id", "created_at") `);
    await queryRunner.query(
      `CREATE TABLE "agents" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "name" text NOT NULL, "email" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_10a5c6ea37ca8db23b6d9283619" PRIMARY KEY ("tenant_id", "id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "agents_tenant_email_key" ON "agents" ("tenant_id", "email") `);
    await queryRunner.query(
      `CREATE TABLE "tenants" ("id" uuid NOT NULL, "name" text NOT NULL, "slug" text NOT NULL, "timezone" text NOT NULL DEFAULT 'Asia/Riyadh', "default_country" text NOT NULL DEFAULT 'SA', "locale" text NOT NULL DEFAULT 'ar', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_2310ecc5cb8be427097154b18fc" UNIQUE ("slug"), CONSTRAINT "PK_53be67a04681c66b87ee27c9321" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "teams" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "name" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e0ceda1b06ef2999995f527fa5d" PRIMARY KEY ("tenant_id", "id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "teams_tenant_name_key" ON "teams" ("tenant_id", "name") `);
    await queryRunner.query(
      `CREATE TABLE "customers" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "name" text, "tier" text NOT NULL DEFAULT 'STANDARD', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "customers_tier_check" CHECK (tier IN ('STANDARD','SILVER','GOLD','VIP')), CONSTRAINT "PK_9a71d04bf2e8484de2a9a71aa0b" PRIMARY KEY ("tenant_id", "id"))`,
    );
    await queryRunner.query(`CREATE INDEX "customers_tenant_created_idx" ON "customers" ("tenant_id", "created_at") `);
    await queryRunner.query(
      `CREATE TABLE "customer_identities" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "customer_id" uuid NOT NULL, "kind" text NOT NULL, "value" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "customer_identities_kind_check" CHECK (kind IN ('EMAIL','PHONE','INSTAGRAM','X','FACEBOOK','EXTERNAL')), CONSTRAINT "PK_3f9fa79fff931ba91a3f947cb82" PRIMARY KEY ("tenant_id", "id"))`,
    );
    await queryRunner.query(`CREATE INDEX "customer_identities_tenant_customer_idx" ON "customer_identities" ("tenant_id", "customer_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "customer_identities_tenant_kind_value_key" ON "customer_identities" ("tenant_id", "kind", "value") `);
    await queryRunner.query(
      `CREATE TABLE "messages" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "ticket_id" uuid NOT NULL, "author_type" text NOT NULL, "author_id" uuid, "author_name" text, "internal" boolean NOT NULL DEFAULT false, "body" text NOT NULL, "channel" text NOT NULL, "external_id" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "messages_author_type_check" CHECK (author_type IN ('CUSTOMER','AGENT','SYSTEM','BOT')), CONSTRAINT "PK_9a97da372be358c3f7455f4b882" PRIMARY KEY ("tenant_id", "id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "messages_tenant_channel_external_key" ON "messages" ("tenant_id", "channel", "external_id") WHERE external_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "messages_tenant_ticket_created_idx" ON "messages" ("tenant_id", "ticket_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "ticket_counters" ("tenant_id" uuid NOT NULL, "last_number" integer NOT NULL, CONSTRAINT "PK_180a15ac033abbbdfb56893d552" PRIMARY KEY ("tenant_id"))`);
    await queryRunner.query(
      `CREATE TABLE "ticket_events" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "ticket_id" uuid NOT NULL, "type" text NOT NULL, "actor_type" text NOT NULL, "actor_id" uuid, "data" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_96ad1a374d7cdec5abc4e52f82c" PRIMARY KEY ("tenant_id", "id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ticket_events_tenant_ticket_created_idx" ON "ticket_events" ("tenant_id", "ticket_id", "created_at") `);
    await queryRunner.query(
      `CREATE TABLE "tickets" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "number" integer NOT NULL, "subject" text NOT NULL, "status" text NOT NULL, "priority" smallint NOT NULL, "category" text NOT NULL, "channel" text NOT NULL, "customer_id" uuid NOT NULL, "assignee_id" uuid, "team_id" uuid, "tags" text array NOT NULL DEFAULT '{}', "custom_fields" jsonb NOT NULL DEFAULT '{}', "order_ref" text, "product_ref" text, "idempotency_key" text, "idempotency_fingerprint" text, "follow_up_of_id" uuid, "message_count" integer NOT NULL DEFAULT '0', "public_agent_reply_count" integer NOT NULL DEFAULT '0', "reopen_count" integer NOT NULL DEFAULT '0', "first_response_at" TIMESTAMP WITH TIME ZONE, "last_customer_message_at" TIMESTAMP WITH TIME ZONE, "last_agent_reply_at" TIMESTAMP WITH TIME ZONE, "solved_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "tickets_channel_check" CHECK (channel IN ('EMAIL','WHATSAPP','INSTAGRAM','X','FACEBOOK','CHAT','PHONE','WEB_FORM','API','COMMENT')), CONSTRAINT "tickets_category_check" CHECK (category IN ('PAYMENT','SHIPPING','TECHNICAL','RETURNS','PRE_SALES','PRODUCT','ACCOUNT','GENERAL')), CONSTRAINT "tickets_priority_check" CHECK (priority BETWEEN 0 AND 3), CONSTRAINT "tickets_status_check" CHECK (status IN ('NEW','OPEN','PENDING','ON_HOLD','SOLVED','CLOSED')), CONSTRAINT "PK_8c5bf0a02fa788a106317bfc646" PRIMARY KEY ("tenant_id", "id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "tickets_tenant_idempotency_key" ON "tickets" ("tenant_id", "idempotency_key") WHERE idempotency_key IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "tickets_tenant_team_status_idx" ON "tickets" ("tenant_id", "team_id", "status") `);
    await queryRunner.query(`CREATE INDEX "tickets_tenant_assignee_status_idx" ON "tickets" ("tenant_id", "assignee_id", "status") `);
    await queryRunner.query(`CREATE INDEX "tickets_tenant_customer_created_idx" ON "tickets" ("tenant_id", "customer_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "tickets_tenant_channel_created_idx" ON "tickets" ("tenant_id", "channel", "created_at") `);
    await queryRunner.query(`CREATE INDEX "tickets_tenant_category_created_idx" ON "tickets" ("tenant_id", "category", "created_at") `);
    await queryRunner.query(`CREATE INDEX "tickets_tenant_status_created_idx" ON "tickets" ("tenant_id", "status", "created_at") `);
    await queryRunner.query(`CREATE INDEX "tickets_tenant_priority_idx" ON "tickets" ("tenant_id", "priority", "created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "tickets_tenant_updated_idx" ON "tickets" ("tenant_id", "updated_at", "id") `);
    await queryRunner.query(`CREATE INDEX "tickets_tenant_created_idx" ON "tickets" ("tenant_id", "created_at", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "tickets_tenant_number_key" ON "tickets" ("tenant_id", "number") `);
    // Hand-managed: tenant-scoped foreign keys (TypeORM models no relations here) and the tags GIN index.
    // A ticket's first message and event are written before the ticket row (see TicketsService.openTicket),
    // so their keys are checked at commit.
    await queryRunner.query(`ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenant_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE`);
    await queryRunner.query(`ALTER TABLE "agents" ADD CONSTRAINT "agents_tenant_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE`);
    await queryRunner.query(`ALTER TABLE "teams" ADD CONSTRAINT "teams_tenant_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE`);
    await queryRunner.query(`ALTER TABLE "customers" ADD CONSTRAINT "customers_tenant_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE`);
    await queryRunner.query(`ALTER TABLE "ticket_counters" ADD CONSTRAINT "ticket_counters_tenant_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE`);
    await queryRunner.query(
      `ALTER TABLE "customer_identities" ADD CONSTRAINT "customer_identities_customer_fkey" FOREIGN KEY ("tenant_id", "customer_id") REFERENCES "customers"("tenant_id", "id") ON DELETE CASCADE`,
    );
    await queryRunner.query(`ALTER TABLE "tickets" ADD CONSTRAINT "tickets_customer_fkey" FOREIGN KEY ("tenant_id", "customer_id") REFERENCES "customers"("tenant_id", "id")`);
    await queryRunner.query(`ALTER TABLE "tickets" ADD CONSTRAINT "tickets_assignee_fkey" FOREIGN KEY ("tenant_id", "assignee_id") REFERENCES "agents"("tenant_id", "id")`);
    await queryRunner.query(`ALTER TABLE "tickets" ADD CONSTRAINT "tickets_team_fkey" FOREIGN KEY ("tenant_id", "team_id") REFERENCES "teams"("tenant_id", "id")`);
    await queryRunner.query(`ALTER TABLE "tickets" ADD CONSTRAINT "tickets_follow_up_of_fkey" FOREIGN KEY ("tenant_id", "follow_up_of_id") REFERENCES "tickets"("tenant_id", "id")`);
    await queryRunner.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "messages_ticket_fkey" FOREIGN KEY ("tenant_id", "ticket_id") REFERENCES "tickets"("tenant_id", "id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED`,
    );
    await queryRunner.query(
      `ALTER TABLE "ticket_events" ADD CONSTRAINT "ticket_events_ticket_fkey" FOREIGN KEY ("tenant_id", "ticket_id") REFERENCES "tickets"("tenant_id", "id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED`,
    );
    await queryRunner.query(`CREATE INDEX "tickets_tags_gin" ON "tickets" USING GIN ("tags")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "ticket_events" CASCADE`);
    await queryRunner.query(`DROP TABLE "messages" CASCADE`);
    await queryRunner.query(`DROP TABLE "tickets" CASCADE`);
    await queryRunner.query(`DROP TABLE "ticket_counters" CASCADE`);
    await queryRunner.query(`DROP TABLE "customer_identities" CASCADE`);
    await queryRunner.query(`DROP TABLE "customers" CASCADE`);
    await queryRunner.query(`DROP TABLE "teams" CASCADE`);
    await queryRunner.query(`DROP TABLE "agents" CASCADE`);
    await queryRunner.query(`DROP TABLE "api_keys" CASCADE`);
    await queryRunner.query(`DROP TABLE "tenants" CASCADE`);
  }
}
