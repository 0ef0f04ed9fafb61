import { plainToInstance, Transform } from 'class-transformer';
import { IsArray, IsBase64, IsBoolean, IsUrl, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toList = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : String(value)
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
const toBool = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase()));

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

  /**
   * Signs agent and customer tokens (HS256). Required in production; in development `npm start`
   * keeps a generated one in the data folder.
   */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  /**
   * Encrypts stored secrets (mailbox passwords, channel tokens): 32 random bytes, base64
   * (`openssl rand -base64 32`). Required in production; generated into the data folder otherwise.
   */
  @IsOptional()
  @IsBase64()
  @Length(44, 44, { message: 'SECRETS_KEY must be 32 bytes in base64 (44 characters)' })
  SECRETS_KEY?: string;

  /**
   * Keys SECRETS_KEY replaced, comma-separated: they still open what they sealed, never seal. Keep
   * them until `npm run cli -- secrets:reseal` has re-sealed everything under SECRETS_KEY.
   */
  @Transform(toList)
  @IsArray()
  @IsBase64(undefined, { each: true, message: 'each SECRETS_KEY_PREVIOUS key must be base64' })
  @Length(44, 44, { each: true, message: 'each SECRETS_KEY_PREVIOUS key must be 32 bytes in base64 (44 characters)' })
  SECRETS_KEY_PREVIOUS: string[] = [];

  /** How often each instance polls the stores' mailboxes (IMAP); 0 = off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  EMAIL_POLL_INTERVAL_SECONDS = 30;

  /** Keep an IMAP IDLE connection per mailbox (on one instance) so new mail is read within a second; polling remains the fallback. */
  @Transform(toBool)
  @IsBoolean()
  EMAIL_IDLE = true;

  /** Largest attachment kept from incoming mail; larger ones are listed without content, with the reason in fetchError. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100 * 1024 * 1024)
  EMAIL_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

  /** Loop guard: a sender's mail beyond this many messages in the last hour opens no ticket and gets no acknowledgement; it joins their latest ticket (tagged mail-loop). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  EMAIL_SENDER_CAP_PER_HOUR = 30;

  /** The API's public address, for links sent to customers (survey links) and platform webhooks; required in production, http://localhost:PORT otherwise. */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  PUBLIC_URL?: string;

  /** New chat-widget visitor sessions per minute from one client address (per instance); renewals of a session do not count. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  WIDGET_SESSIONS_PER_MINUTE = 10;

  /** Lifetime of a chat-widget visitor's customer token; the widget renews it while the page is open and on each page load. */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(30 * 86_400)
  WIDGET_TOKEN_TTL_SECONDS = 86_400;

  /** Requests per minute per client address to the public survey page and survey endpoints; 0 = off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100_000)
  PUBLIC_RATE_LIMIT_PER_MINUTE = 60;

  /** How long a webhook receiver may take to answer before the attempt counts as failed. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60)
  WEBHOOK_TIMEOUT_SECONDS = 10;

  /** Webhook deliveries each instance sends at once, shared round-robin between the stores with deliveries due. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(256)
  WEBHOOK_CONCURRENCY = 16;

  /** Of those, the most one store may have in flight on an instance (a slow or failing store holds up only its own share). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  WEBHOOK_CONCURRENCY_PER_STORE = 4;

  /** Delay before a failed webhook delivery is retried; doubled after each failure (±20% jitter), at most one hour. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  WEBHOOK_RETRY_BASE_MS = 30_000;

  /** How long a failing webhook delivery keeps being retried before it is marked FAILED and its endpoint disabled (default 3 days). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(30 * 86_400)
  WEBHOOK_RETRY_FOR_SECONDS = 3 * 86_400;

  /**
   * Whether hosts that come from outside (webhook URLs, mailbox servers, media links in platform
   * webhooks) may be loopback, private or otherwise non-public addresses. Default on outside
   * production (local fakes and test servers), off in production.
   */
  @Transform(toBool)
  @IsOptional()
  @IsBoolean()
  ALLOW_PRIVATE_NETWORK_TARGETS?: boolean;

  /** WhatsApp Cloud API (Graph API) base URL; tests point it at a local fake. */
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  WHATSAPP_API_BASE_URL = 'https://graph.facebook.com';

  /** Graph API base URL for Instagram and Messenger (Send API, comments). */
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  META_GRAPH_API_BASE_URL = 'https://graph.facebook.com';

  /** The Graph API version called (WhatsApp, Instagram, Messenger). */
  @Matches(/^v\d+\.\d+$/, { message: 'META_GRAPH_API_VERSION looks like v21.0' })
  META_GRAPH_API_VERSION = 'v21.0';

  /** Salla Merchant API base URL (backfills of past orders); tests point it at a local fake. */
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  SALLA_API_BASE_URL = 'https://api.salla.dev/admin/v2';

  /** Zid Merchant API base URL (backfills of past orders). */
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  ZID_API_BASE_URL = 'https://api.zid.sa/v1';

  /** Replaces https://<shop domain> for Shopify Admin API calls (backfills); unset in production, tests point it at a local fake. */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  SHOPIFY_API_BASE_URL?: string;

  /** X API base URL (DMs, replies). */
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  X_API_BASE_URL = 'https://api.x.com';

  /** First retry delay of a message to WhatsApp/Instagram/Messenger/X after a temporary failure; doubled each time (8 attempts). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  CHANNEL_RETRY_DELAY_SECONDS = 10;

  /** When set, subscription events fan out across instances through Redis pub/sub instead of PostgreSQL LISTEN/NOTIFY. */
  @IsOptional()
  @IsString()
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must start with redis:// or rediss://' })
  REDIS_URL?: string;

  /** When set, GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`; unset, it is open (scrape it on a private network). */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(86_400)
  ACCESS_TOKEN_TTL_SECONDS = 900;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  REFRESH_TOKEN_TTL_DAYS = 30;

  /** Largest request body accepted (GraphQL and REST); larger ones get 413 / BAD_USER_INPUT. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(50 * 1024 * 1024)
  REQUEST_BODY_LIMIT_BYTES = 1024 * 1024;

  /** How often each instance sweeps for SLA warnings and breaches; 0 turns the sweep off (tests drive it). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  SLA_SWEEP_INTERVAL_SECONDS = 10;

  /** How often each instance hands waiting tickets to agents who came online or freed capacity; 0 = off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  ASSIGNMENT_SWEEP_INTERVAL_SECONDS = 15;

  /** How often KPI changes are folded into the daily rollups; 0 = off (readers still see every change, only slower). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  KPI_ROLLUP_INTERVAL_SECONDS = 5;

  /** Trust X-Forwarded-For (behind a load balancer) when telling client addresses apart. */
  @Transform(toBool)
  @IsBoolean()
  TRUST_PROXY = false;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** Where the code-first GraphQL schema is written on start; empty keeps it in memory only. */
  @IsOptional()
  @IsString()
  GRAPHQL_SCHEMA_FILE?: string;

  /** Schema introspection; default on outside production, off in production. */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  GRAPHQL_INTROSPECTION?: boolean;

  /** GraphiQL in a browser at /graphql; default on outside production, off in production. */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  GRAPHQL_GRAPHIQL?: boolean;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(100_000)
  GRAPHQL_MAX_COMPLEXITY = 2_000;

  /** Requests per minute per credential (API key, agent or customer); 0 turns the limit off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  RATE_LIMIT_PER_MINUTE = 1_200;

  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(50)
  GRAPHQL_MAX_DEPTH = 10;
}

export class ConfigError extends Error {}

/** PUBLIC_URL without a trailing slash; outside production, http://localhost:PORT when unset. */
export function publicUrlOf(config: Pick<AppConfig, 'PUBLIC_URL' | 'PORT'>): string {
  return (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
}

/**
 * What only a server that talks to customers needs (not the CLI): in production PUBLIC_URL must be
 * set, since links in survey messages and webhook URLs would otherwise point at localhost; outside
 * production the warnings to print at start.
 */
export function checkServerConfig(config: AppConfig): string[] {
  if (config.NODE_ENV === 'production' && !config.PUBLIC_URL) {
    throw new ConfigError(
      'Invalid configuration:\n  PUBLIC_URL is required in production: the public https address customers and platforms reach (survey links in messages, webhook URLs), e.g. PUBLIC_URL=https://support.example.sa',
    );
  }
  if (!config.PUBLIC_URL && config.NODE_ENV === 'development') {
    return [`PUBLIC_URL is not set: links sent to customers (survey links) and webhook URLs point at ${publicUrlOf(config)}, which only this machine can open. Set PUBLIC_URL to your public address.`];
  }
  return [];
}

/** How a variable's value may appear in an error: secrets never, URLs without their password. */
function shown(key: string, value: unknown): string {
  if (key === 'JWT_SECRET' || key === 'METRICS_TOKEN' || key === 'SECRETS_KEY' || key === 'SECRETS_KEY_PREVIOUS') return '(hidden)';
  if ((key === 'DATABASE_URL' || key === 'REDIS_URL') && typeof value === 'string') return JSON.stringify(value.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@'));
  return JSON.stringify(value);
}

/** Parses and validates the environment once, at start, with a message a person can act on. */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  // An empty variable means "unset", except GRAPHQL_SCHEMA_FILE where empty means "keep in memory".
  const present = Object.fromEntries(Object.entries(env).filter(([key, value]) => value !== undefined && (value !== '' || key === 'GRAPHQL_SCHEMA_FILE')));
  const config = plainToInstance(AppConfig, present, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: true });
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.property}=${shown(e.property, present[e.property] ?? e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (config.NODE_ENV === 'production' && !config.JWT_SECRET) {
    throw new ConfigError('Invalid configuration:\n  JWT_SECRET is required in production (at least 32 random characters)');
  }
  if (config.NODE_ENV === 'production' && !config.SECRETS_KEY) {
    throw new ConfigError('Invalid configuration:\n  SECRETS_KEY is required in production (openssl rand -base64 32)');
  }
  if (present.WEBHOOK_ALLOW_PRIVATE_URLS !== undefined) {
    // Renamed when the same rule came to cover mailboxes and media: say so rather than ignore it.
    throw new ConfigError('Invalid configuration:\n  WEBHOOK_ALLOW_PRIVATE_URLS is now ALLOW_PRIVATE_NETWORK_TARGETS (it covers webhooks, mailboxes and media links)');
  }
  config.ALLOW_PRIVATE_NETWORK_TARGETS ??= config.NODE_ENV !== 'production';
  config.GRAPHQL_INTROSPECTION ??= config.NODE_ENV !== 'production';
  config.GRAPHQL_GRAPHIQL ??= config.NODE_ENV !== 'production';
  if (config.GRAPHQL_SCHEMA_FILE === undefined && config.NODE_ENV === 'development') {
    config.GRAPHQL_SCHEMA_FILE = 'schema.gql';
  }
  return config;
}
