import { MigrationInterface, QueryRunner } from 'typeorm';

/** Every table whose rows belong to one store; the policy compares its tenant column with the session's. */
const TENANT_TABLES: Record<string, string> = {
  tenants: 'id',
  api_keys: 'tenant_id',
  agents: 'tenant_id',
  teams: 'tenant_id',
  team_members: 'tenant_id',
  refresh_tokens: 'tenant_id',
  password_resets: 'tenant_id',
  customers: 'tenant_id',
  customer_identities: 'tenant_id',
  tickets: 'tenant_id',
  messages: 'tenant_id',
  ticket_events: 'tenant_id',
  ticket_counters: 'tenant_id',
};

/**
 * Defence in depth: the application does its tenant work as `rida_app`, a role without superuser
 * or BYPASSRLS, with `app.tenant_id` set per transaction. A query that forgets its tenant filter
 * then still sees (and can write) only the caller's store. The migrating (owner) role keeps full
 * access for migrations and cross-store system work such as looking up an API key by prefix.
 */
export class RowLevelSecurity1764031000000 implements MigrationInterface {
  name = 'RowLevelSecurity1764031000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rida_app') THEN
        CREATE ROLE rida_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
      END IF;
    END $$`);
    // The connecting role must be able to SET ROLE rida_app (superusers always can).
    await queryRunner.query(`DO $$ BEGIN
      IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        EXECUTE format('GRANT rida_app TO %I', current_user);
      END IF;
    END $$`);
    await queryRunner.query(`GRANT USAGE ON SCHEMA public TO rida_app`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO rida_app`);
    await queryRunner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO rida_app`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO rida_app`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO rida_app`);
    for (const [table, column] of Object.entries(TENANT_TABLES)) {
      await queryRunner.query(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(
        `CREATE POLICY tenant_isolation ON "${table}" TO rida_app
           USING ("${column}" = nullif(current_setting('app.tenant_id', true), '')::uuid)
           WITH CHECK ("${column}" = nullif(current_setting('app.tenant_id', true), '')::uuid)`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of Object.keys(TENANT_TABLES)) {
      await queryRunner.query(`DROP POLICY IF EXISTS tenant_isolation ON "${table}"`);
      await queryRunner.query(`ALTER TABLE "${table}" DISABLE ROW LEVEL SECURITY`);
    }
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM rida_app`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM rida_app`);
    await queryRunner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM rida_app`);
    await queryRunner.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM rida_app`);
    await queryRunner.query(`REVOKE USAGE ON SCHEMA public FROM rida_app`);
  }
}
