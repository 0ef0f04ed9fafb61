import 'reflect-metadata';
import { Presets, SingleBar } from 'cli-progress';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { distributeByStore, hasCitus, RunSql } from '../migrations/1764062000000-distribute-by-store';
import { APP_SCHEMA } from './app-schema';
import { AuthService } from './auth/auth.service';
import { resealSecrets } from './channels/reseal-secrets';
import { KEY_ROLES } from './auth/permissions';
import { ConfigError, loadConfig } from './common/config/app-config';
import { withDevelopmentSecrets } from './common/config/dev-secrets';
import { secretBoxFrom } from './common/crypto/secret-box';
import { resolveDatabase } from './common/database/database-bootstrap';
import { OpenDatabase, openDatabase, runMigrations } from './common/database/typeorm-options';
import { DomainError } from './common/errors/domain-error';
import type { Role } from './common/request-context';
import { createApp } from './create-app';
import { rebuildKpiRollups } from './metrics/kpi-rollup.service';
import { seedTickets } from './metrics/seed-tickets';
import { ImportFormat } from './tickets/import/import-reader';
import { TicketImporter } from './tickets/import/ticket-importer';
import { StoreSyncService } from './channels/store-platforms/store-sync.service';

const USAGE = `Usage: npm run cli -- <command> [options]

  tenant:create <name> [--slug s] [--timezone Asia/Riyadh] [--country SA] [--locale ar]
      Creates a store and prints its admin API key (shown once).
  apikey:create --tenant <slug|id> [--role admin|agent|integration|reporting] [--name text]
      Creates another API key for a store and prints it (shown once).
  seed [--tickets 10000] [--days 365] [--tenant <slug|id>]
      Loads realistic support history (Arabic subjects, Saudi channel mix) into a store for
      benchmarks and demos; creates a store and prints its admin key unless --tenant is given.
  import <file> --tenant <slug|id> [--format jsonl|csv]
      Imports a Zendesk-shaped export (JSON Lines of users and tickets with comments, or CSV
      with one row per comment), streamed; a re-run skips tickets already imported. Shows a
      progress bar and prints the job id (GraphQL: importJob(id)) and the rows refused.
  store:sync <connection id> [--days 30]
      Pulls the last N days of orders of a Salla, Zid or Shopify connection through the
      platform's REST API (the connection needs an API token) and records them as store events;
      running it again records nothing twice. Shows a progress bar. Joins the running server's
      database; the automations it schedules run on the server.
  secrets:reseal
      After a SECRETS_KEY rotation (the old key in SECRETS_KEY_PREVIOUS): seals every stored
      secret again under SECRETS_KEY, one row per transaction; safe to run again. Lists secrets no
      configured key opens (exit code 1): they must be entered again.
  migration:run
      Applies pending database migrations (the server also does this on start).
  distribute
      On a Citus coordinator (CREATE EXTENSION citus, workers added): applies pending migrations,
      then distributes every tenant table by tenant_id (co-located with tickets) and makes the
      global tables reference tables, in one transaction. New databases are distributed by their
      migrations; this is for a database migrated before Citus was installed. Safe to run again.
  schema:print [--out schema.gql]
      Writes the GraphQL schema (SDL) generated from the code.
`;

/** distributeByStore in one transaction of the database owner; false when the database is not a Citus coordinator. */
async function distributeDatabase(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const run: RunSql = async (sql, parameters) => (await client.query(sql, parameters as unknown[])).rows;
    if (!(await hasCitus(run))) return false;
    await client.query('BEGIN');
    try {
      await distributeByStore(run);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
    return true;
  } finally {
    await client.end();
  }
}

async function withAuth<T>(url: string, work: (auth: AuthService, database: OpenDatabase) => Promise<T>): Promise<T> {
  await runMigrations(url, APP_SCHEMA);
  const database = await openDatabase(url, APP_SCHEMA);
  try {
    return await work(new AuthService(database.allStores, database.tenants), database);
  } finally {
    await database.close();
  }
}

async function seedWithProgress({ allStores, tenants }: OpenDatabase, tenantId: string, tickets: number, days: number) {
  const started = Date.now();
  const bar = new SingleBar(
    { format: 'Seeding tickets [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left', hideCursor: true, noTTYOutput: true, notTTYSchedule: 10_000 },
    Presets.shades_classic,
  );
  bar.start(tickets, 0);
  await seedTickets(allStores, { tenantId, tickets, days, seed: Date.now(), onProgress: (done) => bar.update(done) });
  bar.stop();
  console.log(`Rolling up KPIs …`);
  await rebuildKpiRollups(tenants, tenantId);
  // Statistics and visibility maps for the new rows, so the first queries use index-only scans.
  // Across stores: VACUUM and statistics are the table's, not one store's.
  await allStores.query(`VACUUM ANALYZE tickets, kpi_daily, kpi_daily_histograms`);
  console.log(`Seeded ${tickets} tickets over ${days} days in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

async function importWithProgress({ tenants }: OpenDatabase, tenantId: string, file: string, format?: ImportFormat) {
  const bar = new SingleBar(
    { format: 'Importing [{bar}] {percentage}% | {tickets} tickets | {rate} tickets/s | ETA {eta_formatted} | {errors} refused', hideCursor: true, noTTYOutput: true, notTTYSchedule: 10_000 },
    Presets.shades_classic,
  );
  let started = false;
  const job = await new TicketImporter(tenants).run(tenantId, file, {
    format,
    onProgress: (job) => {
      const payload = { tickets: job.ticketsImported + job.ticketsSkipped, rate: job.ticketsPerSecond ?? 0, errors: job.errorCount };
      if (!started) {
        bar.start(job.bytesTotal, 0, payload);
        started = true;
      }
      bar.update(job.bytesRead, payload);
    },
  });
  if (started) bar.stop();
  console.log(`Import ${job.id}: ${job.status}. ${job.ticketsImported} tickets and ${job.messagesImported} messages imported, ${job.ticketsSkipped} already there, ${job.errorCount} rows refused.`);
  for (const error of job.errors.slice(0, 20)) console.log(`  ${error}`);
  if (job.errorCount > 20) console.log(`  … and ${job.errorCount - 20} more: GraphQL importJob(id: "${job.id}") { errors }`);
  if (job.failure) console.log(`Stopped: ${job.failure}`);
  return job;
}

async function main(argv: string[]) {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      slug: { type: 'string' },
      timezone: { type: 'string' },
      country: { type: 'string' },
      locale: { type: 'string' },
      tenant: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      out: { type: 'string' },
      tickets: { type: 'string' },
      days: { type: 'string' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (!command || values.help) return console.log(USAGE);

  const config = withDevelopmentSecrets(loadConfig(process.env));
  const database = await resolveDatabase(config, () => undefined);
  try {
    switch (command) {
      case 'tenant:create': {
        const name = rest.join(' ').trim();
        if (!name) throw new DomainError('BAD_USER_INPUT', 'tenant:create needs the store name');
        await withAuth(database.url, async (auth) => {
          const tenant = await auth.createTenant({ name, slug: values.slug, timezone: values.timezone, defaultCountry: values.country, locale: values.locale });
          const { key } = await auth.createApiKey(tenant.id, 'admin', 'bootstrap admin key');
          console.log(`Created store "${tenant.name}" (id ${tenant.id}, time zone ${tenant.timezone}).`);
          console.log(`Slug (agents sign in with it; --slug chooses another): ${tenant.slug}`);
          console.log(`Admin API key (store it now, it is not shown again):\n\n  ${key}\n`);
          console.log(
            `Try it:\n  curl -s http://${config.HOST}:${config.PORT}/graphql -H 'content-type: application/json' \\\n    -H 'authorization: Bearer ${key}' -d '{"query":"{ currentTenant { name slug timezone } }"}'`,
          );
        });
        break;
      }
      case 'apikey:create': {
        if (!values.tenant) throw new DomainError('BAD_USER_INPUT', 'apikey:create needs --tenant <slug|id>');
        const role = (values.role ?? 'agent') as Role;
        if (!KEY_ROLES.includes(role)) throw new DomainError('BAD_USER_INPUT', `--role must be one of ${KEY_ROLES.join(', ')}`);
        await withAuth(database.url, async (auth) => {
          const tenant = await auth.findTenant(values.tenant!);
          const { apiKey, key } = await auth.createApiKey(tenant.id, role, values.name ?? `${role} key`);
          console.log(`Created ${role} key ${apiKey.prefix} for "${tenant.name}". Store it now, it is not shown again:\n\n  ${key}\n`);
        });
        break;
      }
      case 'seed': {
        const tickets = Number(values.tickets ?? 10_000);
        const days = Number(values.days ?? 365);
        if (!Number.isInteger(tickets) || tickets < 1 || tickets > 10_000_000) throw new DomainError('BAD_USER_INPUT', '--tickets must be a whole number from 1 to 10000000');
        if (!Number.isInteger(days) || days < 1 || days > 3650) throw new DomainError('BAD_USER_INPUT', '--days must be a whole number from 1 to 3650');
        await withAuth(database.url, async (auth, db) => {
          const tenant = values.tenant ? await auth.findTenant(values.tenant) : await auth.createTenant({ name: 'متجر تجريبي', slug: `demo-${Date.now().toString(36)}` });
          if (!values.tenant) {
            const { key } = await auth.createApiKey(tenant.id, 'admin', 'seed admin key');
            console.log(`Created store "${tenant.name}" (slug ${tenant.slug}). Admin API key (shown once):\n\n  ${key}\n`);
          }
          await seedWithProgress(db, tenant.id, tickets, days);
        });
        break;
      }
      case 'import': {
        const file = rest[0];
        if (!file || !values.tenant) throw new DomainError('BAD_USER_INPUT', 'import needs a file and --tenant <slug|id>');
        if (values.format && !['jsonl', 'csv'].includes(values.format)) throw new DomainError('BAD_USER_INPUT', '--format must be jsonl or csv');
        await withAuth(database.url, async (auth, db) => {
          const tenant = await auth.findTenant(values.tenant!);
          const job = await importWithProgress(db, tenant.id, file, values.format as ImportFormat | undefined);
          if (job.status === 'FAILED') process.exitCode = 1;
        });
        break;
      }
      case 'store:sync': {
        const connectionId = rest[0];
        if (!connectionId) throw new DomainError('BAD_USER_INPUT', 'store:sync needs the connection id (storePlatformConnections { id })');
        const days = values.days === undefined ? 30 : Number(values.days);
        if (!Number.isInteger(days) || days < 1 || days > 365) throw new DomainError('BAD_USER_INPUT', '--days must be a whole number from 1 to 365');
        await runMigrations(database.url, APP_SCHEMA);
        const app = await createApp({ config: { ...config, LOG_LEVEL: 'warn', GRAPHQL_SCHEMA_FILE: '' }, databaseUrl: database.url });
        await app.init();
        try {
          const bar = new SingleBar(
            { format: 'Syncing orders [{bar}] {percentage}% | {value}/{total} orders | page {pages} | {recorded} new', hideCursor: true, noTTYOutput: true, notTTYSchedule: 10_000 },
            Presets.shades_classic,
          );
          bar.start(1, 0, { pages: 0, recorded: 0 });
          const result = await app.get(StoreSyncService).syncById(connectionId, days, (p) => {
            bar.setTotal(Math.max(p.total ?? p.orders, p.orders, 1));
            bar.update(p.orders, { pages: p.pages, recorded: p.recorded });
          });
          bar.stop();
          console.log(`Read ${result.orders} orders of the last ${days} days in ${result.pages} pages; ${result.recorded} recorded, ${result.orders - result.recorded} already there.`);
        } finally {
          await app.close();
        }
        break;
      }
      case 'secrets:reseal': {
        await withAuth(database.url, async (_auth, db) => {
          const report = await resealSecrets(db, secretBoxFrom(config));
          console.log(`Re-sealed the secrets of ${report.resealed} rows under SECRETS_KEY; ${report.current} were already.`);
          for (const { table, column, tenantId, id } of report.unreadable) console.log(`  Cannot open ${table}.${column} of ${id} (store ${tenantId}): enter it again`);
          if (report.unreadable.length) {
            console.log(`${report.unreadable.length} secrets no configured key opens; keep SECRETS_KEY_PREVIOUS until they are entered again.`);
            process.exitCode = 1;
          } else {
            console.log('Every secret is under SECRETS_KEY: SECRETS_KEY_PREVIOUS can be removed.');
          }
        });
        break;
      }
      case 'migration:run': {
        const applied = await runMigrations(database.url, APP_SCHEMA);
        console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The schema is up to date.');
        break;
      }
      case 'distribute': {
        await runMigrations(database.url, APP_SCHEMA);
        console.log((await distributeDatabase(database.url)) ? 'Every tenant table is distributed by tenant_id.' : 'This database has no citus extension: nothing to distribute.');
        break;
      }
      case 'schema:print': {
        const out = values.out ?? 'schema.gql';
        await runMigrations(database.url, APP_SCHEMA); // the app's jobs and watchers expect the schema
        const app = await createApp({ config: { ...config, GRAPHQL_SCHEMA_FILE: out, LOG_LEVEL: 'warn' }, databaseUrl: database.url });
        await app.init();
        await app.close();
        console.log(`Wrote ${out}`);
        break;
      }
      default:
        console.error(`Unknown command "${command}"\n\n${USAGE}`);
        process.exitCode = 2;
    }
  } finally {
    await database.stop();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof DomainError || error instanceof ConfigError ? `Error: ${error.message}` : error);
  process.exit(1);
});
