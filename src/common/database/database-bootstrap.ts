import { AppConfig } from '../config/app-config';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from './embedded-postgres';

/** DATABASE_URL when set, otherwise an embedded PostgreSQL under EMBEDDED_PG_DATA_DIR. */
export async function resolveDatabase(config: AppConfig, log: (line: string) => void): Promise<EmbeddedPostgresHandle & { embedded: boolean }> {
  if (config.DATABASE_URL) {
    return { url: config.DATABASE_URL, stop: async () => undefined, embedded: false };
  }
  log(`DATABASE_URL is unset: using embedded PostgreSQL in ${config.EMBEDDED_PG_DATA_DIR} (port ${config.EMBEDDED_PG_PORT})`);
  const handle = await startEmbeddedPostgres({ dataDir: config.EMBEDDED_PG_DATA_DIR, port: config.EMBEDDED_PG_PORT });
  return { ...handle, embedded: true };
}
