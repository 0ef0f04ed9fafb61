import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase());

/** Every environment variable Rida reads. The README's configuration table mirrors this class. */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsString()
  HOST = '127.0.0.1';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** A PostgreSQL server to use; when unset an embedded PostgreSQL is started from EMBEDDED_PG_*. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/[^\s]+$/, { message: 'DATABASE_URL must look like postgres://user:password@host:5432/database' })
  DATABASE_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 20;

  @IsString()
  EMBEDDED_PG_DATA_DIR = '.data/postgres';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  EMBEDDED_PG_PORT = 5488;

  /** How long a verified API key is trusted without asking the database; 0 turns the cache off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(300)
  API_KEY_CACHE_SECONDS = 5;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** Where the code-first GraphQL schema is written on start; empty keeps it in memory only. */
  @IsOptional()
  @IsString()
  GRAPHQL_SCHEMA_FILE?: string;

  @Transform(toBool)
  @IsBoolean()
  GRAPHQL_INTROSPECTION = true;

  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(50)
  GRAPHQL_MAX_DEPTH = 10;
}

export class ConfigError extends Error {}

/** Parses and validates the environment once, at start, with a message a person can act on. */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  // An empty variable means "unset", except GRAPHQL_SCHEMA_FILE where empty means "keep in memory".
  const present = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => value !== undefined && (value !== '' || key === 'GRAPHQL_SCHEMA_FILE')),
  );
  const config = plainToInstance(AppConfig, present, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: true });
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.property}=${JSON.stringify(present[e.property] ?? e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (config.GRAPHQL_SCHEMA_FILE === undefined && config.NODE_ENV === 'development') {
    config.GRAPHQL_SCHEMA_FILE = 'schema.gql';
  }
  return config;
}
