import { MigrationInterface, QueryRunner } from 'typeorm';

/** Agents with roles, skills, capacity and logins; teams with members and leads; key scopes. */
export class AgentsTeamsLogins1764030000000 implements MigrationInterface {
  name = 'AgentsTeamsLogins1764030000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "team_members" ("tenant_id" uuid NOT NULL, "team_id" uuid NOT NULL, "agent_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0990c8432034dd689c849bb7b64" PRIMARY KEY ("tenant_id", "team_id", "agent_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "team_members_tenant_agent_idx" ON "team_members" ("tenant_id", "agent_id") `);
    await queryRunner.query(
      `CREATE TABLE "refresh_tokens" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "agent_id" uuid NOT NULL, "family_id" uuid NOT NULL, "token_hash" bytea NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2bebd22f16e68b57c9e1f5fe7d9" PRIMARY KEY ("tenant_id", "id"))`,
    );
    await queryRunner.query(`CREATE INDEX "refresh_tokens_tenant_family_idx" ON "refresh_tokens" ("tenant_id", "family_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "refresh_tokens_hash_key" ON "refresh_tokens" ("token_hash") `);
    await queryRunner.query(
      `CREATE TABLE "password_resets" ("tenant_id" uuid NOT NULL, "id" uuid NOT NULL, "agent_id" uuid NOT NULL, "token_hash" bytea NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_50346acdd55e68663d95949da28" PRIMARY KEY ("tenant_id", "id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "password_resets_hash_key" ON "password_resets" ("token_hash") `);
    await queryRunner.query(
      `CREATE TABLE "login_failures" ("id" BIGSERIAL NOT NULL, "subject" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8211e8ec810fd7f976b98ce97a0" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "login_failures_subject_at_idx" ON "login_failures" ("subject", "at") `);
    await queryRunner.query(`ALTER TABLE "api_keys" ADD "scopes" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "agents" ADD "role" text NOT NULL DEFAULT 'agent'`);
    await queryRunner.query(`ALTER TABLE "agents" ADD "languages" text array NOT NULL DEFAULT '{ar}'`);
    await queryRunner.query(`ALTER TABLE "agents" ADD "skills" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "agents" ADD "capacity" integer NOT NULL DEFAULT '10'`);
    await queryRunner.query(`ALTER TABLE "agents" ADD "availability" text NOT NULL DEFAULT 'OFFLINE'`);
    await queryRunner.query(`ALTER TABLE "agents" ADD "active" boolean NOT NULL DEFAULT true`);
    await queryRunner.query(`ALTER TABLE "agents" ADD "password_hash" text`);
    await queryRunner.query(`ALTER TABLE "agents" ADD "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`);
    await queryRunner.query(`ALTER TABLE "teams" ADD "lead_id" uuid`);
    await queryRunner.query(`ALTER TABLE "teams" ADD "categories" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "agents" ADD CONSTRAINT "agents_capacity_check" CHECK (capacity >= 0)`);
    await queryRunner.query(`ALTER TABLE "agents" ADD CONSTRAINT "agents_availability_check" CHECK (availability IN ('ONLINE','AWAY','OFFLINE'))`);
    await queryRunner.query(`ALTER TABLE "agents" ADD CONSTRAINT "agents_role_check" CHECK (role IN ('admin','supervisor','agent'))`);
    // Keys made before scopes existed get exactly what their role granted.
    await queryRunner.query(`UPDATE "api_keys" SET "scopes" = CASE "role"
      WHEN 'admin' THEN ARRAY['tickets:read','tickets:write','kpis:read','admin','customer-tokens:create']
      WHEN 'integration' THEN ARRAY['tickets:read','tickets:write','customer-tokens:create']
      WHEN 'agent' THEN ARRAY['tickets:read','tickets:write']
      ELSE ARRAY['kpis:read'] END`);
    // Tenant-scoped foreign keys, as in the initial schema.
    await queryRunner.query(`ALTER TABLE "team_members" ADD CONSTRAINT "team_members_team_fkey" FOREIGN KEY ("tenant_id", "team_id") REFERENCES "teams"("tenant_id", "id") ON DELETE CASCADE`);
    await queryRunner.query(`ALTER TABLE "team_members" ADD CONSTRAINT "team_members_agent_fkey" FOREIGN KEY ("tenant_id", "agent_id") REFERENCES "agents"("tenant_id", "id") ON DELETE CASCADE`);
    await queryRunner.query(`ALTER TABLE "teams" ADD CONSTRAINT "teams_lead_fkey" FOREIGN KEY ("tenant_id", "lead_id") REFERENCES "agents"("tenant_id", "id")`);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_agent_fkey" FOREIGN KEY ("tenant_id", "agent_id") REFERENCES "agents"("tenant_id", "id") ON DELETE CASCADE`);
    await queryRunner.query(`ALTER TABLE "password_resets" ADD CONSTRAINT "password_resets_agent_fkey" FOREIGN KEY ("tenant_id", "agent_id") REFERENCES "agents"("tenant_id", "id") ON DELETE CASCADE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "login_failures"`);
    await queryRunner.query(`DROP TABLE "password_resets"`);
    await queryRunner.query(`DROP TABLE "refresh_tokens"`);
    await queryRunner.query(`DROP TABLE "team_members"`);
    await queryRunner.query(`ALTER TABLE "teams" DROP CONSTRAINT "teams_lead_fkey"`);
    await queryRunner.query(`ALTER TABLE "teams" DROP COLUMN "categories"`);
    await queryRunner.query(`ALTER TABLE "teams" DROP COLUMN "lead_id"`);
    await queryRunner.query(`ALTER TABLE "agents" DROP CONSTRAINT "agents_role_check"`);
    await queryRunner.query(`ALTER TABLE "agents" DROP CONSTRAINT "agents_availability_check"`);
    await queryRunner.query(`ALTER TABLE "agents" DROP CONSTRAINT "agents_capacity_check"`);
    await queryRunner.query(`ALTER TABLE "agents" DROP COLUMN "updated_at"`);
    await queryRunner.query(`ALTER TABLE "agents" DROP COLUMN "password_hash"`);
    await queryRunner.query(`ALTER TABLE "agents" DROP COLUMN "active"`);
    await queryRunner.query(`ALTER TABLE "agents" DROP COLUMN "availability"`);
    await queryRunner.query(`ALTER TABLE "agents" DROP COLUMN "capacity"`);
    await queryRunner.query(`ALTER TABLE "agents" DROP COLUMN "skills"`);
    await queryRunner.query(`ALTER TABLE "agents" DROP COLUMN "languages"`);
    await queryRunner.query(`ALTER TABLE "agents" DROP COLUMN "role"`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "scopes"`);
  }
}
