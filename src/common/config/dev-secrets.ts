import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { AppConfig } from './app-config';

/**
 * Outside production a missing JWT_SECRET is generated once and kept beside the embedded
 * database (`.data/jwt-secret`, mode 0600), so `npm start` needs no set-up and sessions survive
 * restarts. Production refuses to start without one (see loadConfig).
 */
export function withDevelopmentSecrets(config: AppConfig): AppConfig {
  if (config.JWT_SECRET || config.NODE_ENV === 'production') return config;
  const file = join(dirname(resolve(config.EMBEDDED_PG_DATA_DIR)), 'jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
  }
  return Object.assign(config, { JWT_SECRET: readFileSync(file, 'utf8').trim() });
}
