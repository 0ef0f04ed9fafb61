import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { AppConfig } from './app-config';

/**
 * Outside production a missing JWT_SECRET or SECRETS_KEY is generated once and kept beside the
 * embedded database (`.data/jwt-secret`, `.data/secrets-key`, mode 0600), so `npm start` needs no
 * set-up and sessions and stored mailbox passwords survive restarts. Production refuses to start
 * without them (see loadConfig).
 */
export function withDevelopmentSecrets(config: AppConfig): AppConfig {
  if (config.NODE_ENV === 'production') return config;
  const folder = dirname(resolve(config.EMBEDDED_PG_DATA_DIR));
  const kept = (name: string, generate: () => string) => {
    const file = join(folder, name);
    if (!existsSync(file)) {
      mkdirSync(folder, { recursive: true });
      writeFileSync(file, generate(), { mode: 0o600 });
    }
    return readFileSync(file, 'utf8').trim();
  };
  if (!config.JWT_SECRET) config.JWT_SECRET = kept('jwt-secret', () => randomBytes(48).toString('base64url'));
  if (!config.SECRETS_KEY) config.SECRETS_KEY = kept('secrets-key', () => randomBytes(32).toString('base64'));
  return config;
}
