import { checkServerConfig, ConfigError, loadConfig, publicUrlOf } from './app-config';

const KEY = Buffer.alloc(32, 9).toString('base64');

describe('loadConfig', () => {
  it('has working defaults and writes schema.gql only in development', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ NODE_ENV: 'development', HOST: '127.0.0.1', PORT: 3000, EMBEDDED_PG_PORT: 5488, GRAPHQL_SCHEMA_FILE: 'schema.gql' });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), SECRETS_KEY: KEY }).GRAPHQL_SCHEMA_FILE).toBeUndefined();
  });

  it('refuses production without a JWT secret or a secrets key, and short or malformed ones anywhere', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', SECRETS_KEY: KEY })).toThrow(/JWT_SECRET is required in production/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) })).toThrow(/SECRETS_KEY is required in production/);
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET must be at least 32 characters/);
    expect(() => loadConfig({ SECRETS_KEY: 'c2hvcnQ=' })).toThrow(/SECRETS_KEY must be 32 bytes/);
  });

  it('a server in production needs PUBLIC_URL; in development it warns that links point at localhost', () => {
    const production = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), SECRETS_KEY: KEY });
    expect(() => checkServerConfig(production)).toThrow(ConfigError);
    expect(() => checkServerConfig(production)).toThrow(/PUBLIC_URL is required in production/);
    expect(checkServerConfig(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), SECRETS_KEY: KEY, PUBLIC_URL: 'https://support.example.sa/' }))).toEqual([]);
    const [warning] = checkServerConfig(loadConfig({ PORT: '3100' }));
    expect(warning).toMatch(/PUBLIC_URL is not set: links sent to customers .* point at http:\/\/localhost:3100/);
    expect(checkServerConfig(loadConfig({ PUBLIC_URL: 'https://support.example.sa' }))).toEqual([]);
    expect(publicUrlOf(loadConfig({ PUBLIC_URL: 'https://support.example.sa/' }))).toBe('https://support.example.sa');
  });

  it('never repeats a secret in its messages', () => {
    const messageOf = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('expected a ConfigError');
    };
    expect(messageOf({ JWT_SECRET: 'hunter2-hunter2' })).not.toContain('hunter2');
    expect(messageOf({ SECRETS_KEY_PREVIOUS: `${KEY},hunter2-hunter2` })).not.toContain('hunter2');
    const dbMessage = messageOf({ DATABASE_URL: 'postgres://rida:s3cr3t-pw@db:5432/rida x', PORT: '-1' });
    expect(dbMessage).not.toContain('s3cr3t-pw');
    expect(dbMessage).toContain('rida:***@db');
  });

  it('reads numbers and booleans from strings; an empty variable means unset', () => {
    const config = loadConfig({ PORT: '8080', GRAPHQL_INTROSPECTION: 'false', DATABASE_URL: '' });
    expect(config.PORT).toBe(8080);
    expect(config.GRAPHQL_INTROSPECTION).toBe(false);
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('explains every invalid variable at once', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (error) {
      expect((error as Error).message).toMatch(/PORT="eighty"/);
      expect((error as Error).message).toMatch(/DATABASE_URL must look like postgres:\/\//);
      expect((error as Error).message).toMatch(/LOG_LEVEL=/);
    }
  });

  it('allows private network targets outside production only, unless told otherwise, and names the renamed switch', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), SECRETS_KEY: KEY };
    expect(loadConfig(production).ALLOW_PRIVATE_NETWORK_TARGETS).toBe(false);
    expect(loadConfig({ ...production, ALLOW_PRIVATE_NETWORK_TARGETS: 'true' }).ALLOW_PRIVATE_NETWORK_TARGETS).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).ALLOW_PRIVATE_NETWORK_TARGETS).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test', ALLOW_PRIVATE_NETWORK_TARGETS: 'false' }).ALLOW_PRIVATE_NETWORK_TARGETS).toBe(false);
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' })).toThrow(/WEBHOOK_ALLOW_PRIVATE_URLS is now ALLOW_PRIVATE_NETWORK_TARGETS/);
  });

  it('reads previous secrets keys as a comma-separated list and refuses malformed ones', () => {
    const other = Buffer.alloc(32, 8).toString('base64');
    expect(loadConfig({}).SECRETS_KEY_PREVIOUS).toEqual([]);
    expect(loadConfig({ SECRETS_KEY_PREVIOUS: ` ${KEY} , ${other},` }).SECRETS_KEY_PREVIOUS).toEqual([KEY, other]);
    expect(() => loadConfig({ SECRETS_KEY_PREVIOUS: `${KEY},c2hvcnQ=` })).toThrow(/SECRETS_KEY_PREVIOUS key must be 32 bytes/);
  });
});
