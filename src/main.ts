import 'reflect-metadata';
import { AuthService } from './auth/auth.service';
import { checkServerConfig, ConfigError, loadConfig } from './common/config/app-config';
import { withDevelopmentSecrets } from './common/config/dev-secrets';
import { APP_SCHEMA } from './app-schema';
import { resolveDatabase } from './common/database/database-bootstrap';
import { runMigrations } from './common/database/typeorm-options';
import { createApp } from './create-app';

async function main() {
  const config = withDevelopmentSecrets(loadConfig(process.env));
  const warnings = checkServerConfig(config);
  const database = await resolveDatabase(config, (line) => console.log(line));
  const applied = await runMigrations(database.url, APP_SCHEMA);
  if (applied.length) console.log(`Applied migrations: ${applied.join(', ')}`);

  const app = await createApp({ config, databaseUrl: database.url });
  await app.listen({ port: config.PORT, host: config.HOST });
  const base = `http://${config.HOST}:${config.PORT}`;
  console.log(`Rida is listening: GraphQL ${base}/graphql · REST docs ${base}/api/docs · health ${base}/health`);
  for (const warning of warnings) console.warn(`Warning: ${warning}`);

  if ((await app.get(AuthService).countTenants()) === 0) {
    console.log('No store yet. Create one and get its admin API key (shown once):');
    console.log('  npm run cli -- tenant:create "متجر الورد" --timezone Asia/Riyadh');
  }

  const shutdown = async (signal: string) => {
    console.log(`${signal}: shutting down`);
    await app.close();
    await database.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
