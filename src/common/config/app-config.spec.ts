import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('has working defaults and writes schema.gql only in development', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ NODE_ENV: 'development', HOST: '127.0.0.1', PORT: 3000, EMBEDDED_PG_PORT: 5488, GRAPHQL_SCHEMA_FILE: 'schema.gql' });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'production' }).GRAPHQL_SCHEMA_FILE).toBeUndefined();
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
});
