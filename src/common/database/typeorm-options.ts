import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES, MIGRATIONS } from '../../app-schema';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export function typeormOptions(url: string, poolSize = 20): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
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
export async function runMigrations(url: string): Promise<string[]> {
  const dataSource = new DataSource({ ...typeormOptions(url, 2) });
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
