import { DataSource, DataSourceOptions } from 'typeorm';
import { AllStores } from './all-stores';
import { SnakeNamingStrategy } from './snake-naming.strategy';
import { TenantTransactions } from './tenant-transactions';

/** What the database holds, handed in by the composition root (src/app-schema.ts): common knows no feature's tables. */
export interface DatabaseSchema {
  entities: NonNullable<DataSourceOptions['entities']>;
  migrations: NonNullable<DataSourceOptions['migrations']>;
}

export function typeormOptions(url: string, schema: DatabaseSchema, poolSize = 20): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: schema.entities,
    migrations: schema.migrations,
    migrationsTableName: 'schema_migrations',
    // The schema is owned by migrations/ only.
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName: 'rida',
    extra: { max: poolSize, connectionTimeoutMillis: 10_000 },
  };
}

/** Arbitrary constant: one migrator at a time across every app instance sharing a database. */
const MIGRATION_LOCK_KEY = 727_001;

/** Applies pending migrations under an advisory lock, so instances starting together do not race. */
export async function runMigrations(url: string, schema: DatabaseSchema): Promise<string[]> {
  const dataSource = new DataSource({ ...typeormOptions(url, schema, 2) });
  await dataSource.initialize();
  try {
    await dataSource.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await dataSource.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await dataSource.destroy();
  }
}

/** The database outside the app (the CLI): its two doors, and closing it. */
export interface OpenDatabase {
  allStores: AllStores;
  tenants: TenantTransactions;
  close(): Promise<void>;
}

export async function openDatabase(url: string, schema: DatabaseSchema, poolSize = 2): Promise<OpenDatabase> {
  const dataSource = await new DataSource(typeormOptions(url, schema, poolSize)).initialize();
  return { allStores: new AllStores(dataSource), tenants: new TenantTransactions(dataSource), close: () => dataSource.destroy() };
}
