import { MigrationInterface, QueryRunner } from 'typeorm';

const RLS = (table: string) => [
  `ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`,
  `CREATE POLICY tenant_isolation ON "${table}" TO rida_app USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid)`,
];

/** Canned replies (macros) per store, and the record of which default content a store was seeded with. */
export class CannedReplies1764045000000 implements MigrationInterface {
  name = 'CannedReplies1764045000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE "tenant_seeds" ("tenant_id" uuid NOT NULL, "name" text NOT NULL, "seeded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_tenant_seeds" PRIMARY KEY ("tenant_id", "name"))`,
      `ALTER TABLE "tenant_seeds" ADD CONSTRAINT "tenant_seeds_tenant_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE`,
      `CREATE TABLE "canned_replies" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "title" text NOT NULL, "shortcut" text NOT NULL, "body" text NOT NULL,
        "locale" text NOT NULL, "category" text, "actions" jsonb NOT NULL DEFAULT '{}', "active" boolean NOT NULL DEFAULT true,
        "usage_count" integer NOT NULL DEFAULT 0, "last_used_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "canned_replies_locale_check" CHECK (locale IN ('ar','en')),
        CONSTRAINT "PK_canned_replies" PRIMARY KEY ("tenant_id", "id"))`,
      `CREATE UNIQUE INDEX "canned_replies_tenant_shortcut_key" ON "canned_replies" ("tenant_id", "shortcut")`,
      `ALTER TABLE "canned_replies" ADD CONSTRAINT "canned_replies_tenant_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE`,
      ...['tenant_seeds', 'canned_replies'].flatMap(RLS),
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "canned_replies"`);
    await queryRunner.query(`DROP TABLE "tenant_seeds"`);
  }
}
