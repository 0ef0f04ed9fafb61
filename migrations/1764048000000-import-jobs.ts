import { MigrationInterface, QueryRunner } from 'typeorm';

/** Imports from another help desk: one row per run, with its progress and the rows it refused. */
export class ImportJobs1764048000000 implements MigrationInterface {
  name = 'ImportJobs1764048000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE "import_jobs" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "source" text NOT NULL, "file_name" text NOT NULL, "format" text NOT NULL,
        "status" text NOT NULL, "bytes_total" bigint NOT NULL, "bytes_read" bigint NOT NULL DEFAULT 0, "tickets_imported" integer NOT NULL DEFAULT 0,
        "tickets_skipped" integer NOT NULL DEFAULT 0, "messages_imported" integer NOT NULL DEFAULT 0, "users_read" integer NOT NULL DEFAULT 0,
        "error_count" integer NOT NULL DEFAULT 0, "errors" jsonb NOT NULL DEFAULT '[]', "failure" text,
        "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "import_jobs_status_check" CHECK (status IN ('RUNNING','COMPLETED','FAILED')),
        CONSTRAINT "PK_import_jobs" PRIMARY KEY ("tenant_id", "id"))`,
      `CREATE INDEX "import_jobs_tenant_started_idx" ON "import_jobs" ("tenant_id", "started_at")`,
      `ALTER TABLE "import_jobs" ADD CONSTRAINT "import_jobs_tenant_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE`,
      `ALTER TABLE "import_jobs" ENABLE ROW LEVEL SECURITY`,
      `CREATE POLICY tenant_isolation ON "import_jobs" TO rida_app USING ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK ("tenant_id" = nullif(current_setting('app.tenant_id', true), '')::uuid)`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "import_jobs"`);
  }
}
