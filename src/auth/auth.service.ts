import { Injectable } from '@nestjs/common';
import { slugify as transliterate } from 'transliteration';
import { v7 as uuidv7 } from 'uuid';
import { AllStores } from '../common/database/all-stores';
import { TenantTransactions } from '../common/database/tenant-transactions';
import { deferWrite } from '../common/database/batch';
import { storeKeyStatement } from '../common/database/store-keys';
import { TtlCache } from '../common/ttl-cache';
import { badInput, conflict, notFound } from '../common/errors/domain-error';
import type { RequestContext, Role } from '../common/request-context';
import { generateApiKey, hashKey, keyMatches, parseApiKey } from './api-key-format';
import { ApiKey } from './entities/api-key.entity';
import { Tenant } from './entities/tenant.entity';
import { grantsOf, isScope, KEY_ROLES } from './permissions';

export interface CreateTenantParams {
  name: string;
  slug?: string;
  timezone?: string;
  defaultCountry?: string;
  locale?: string;
}

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;

/**
 * A readable ASCII slug for a store's name, in any script: Arabic is written in Latin letters
 * (the `transliteration` package's tables), with the definite article as it is usually written,
 * "al-" — «متجر الورد» becomes `mtjr-al-wrd`. A name with nothing to write (emoji only) gets a
 * generated slug. A store that wants another one gives `--slug`.
 */
export function slugify(name: string): string {
  const withArticle = name.normalize('NFKC').replace(/(^|\s)ال(?=\S)/g, '$1al ');
  const slug = transliterate(withArticle, { lowercase: true, separator: '-', allowedChars: 'a-zA-Z0-9' })
    .replace(/[^a-z0-9-]+/g, '')
    .replace(/-+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 56)
    .replace(/-+$/, '');
  return SLUG.test(slug) ? slug : `store-${uuidv7().slice(-8)}`;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** `last_used_at` is written at most once per key per interval, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

interface CachedKey {
  keyId: string;
  ctx: RequestContext;
}

@Injectable()
export class AuthService {
  private readonly lastUsedWrites = new Map<string, number>();
  /**
   * Verified keys, by key hash, for a few seconds: each request then skips a database round trip.
   * Only successes are cached (random keys cannot fill it). A revocation through this service
   * applies at once here and within `keyCacheMs` on other instances.
   */
  private readonly keyCache: TtlCache<string, CachedKey>;

  constructor(
    private readonly allStores: AllStores,
    private readonly db: TenantTransactions,
    keyCacheMs = 5_000,
  ) {
    this.keyCache = new TtlCache(keyCacheMs);
  }

  async createTenant(params: CreateTenantParams): Promise<Tenant> {
    const timezone = params.timezone ?? 'Asia/Riyadh';
    if (!isValidTimeZone(timezone)) throw badInput(`Unknown time zone "${timezone}"; use an IANA name such as Asia/Riyadh`, { timezone: ['unknown time zone'] });
    if (params.slug !== undefined && !SLUG.test(params.slug)) throw badInput(`Invalid slug "${params.slug}": use a-z, 0-9 and -`, { slug: ['invalid slug'] });
    // Across stores: a slug names one store among all of them.
    const taken = (slug: string) => this.allStores.read((m) => m.existsBy(Tenant, { slug }));
    let slug = params.slug ?? slugify(params.name);
    if (await taken(slug)) {
      if (params.slug !== undefined) throw conflict(`A tenant with slug "${slug}" already exists`);
      // A made-up slug that another store has: the next free number after it.
      const base = slug;
      for (let n = 2; await taken(slug); n++) slug = `${base}-${n}`;
    }
    const id = uuidv7();
    return this.db.run(id, (m) => m.save(m.create(Tenant, { id, name: params.name, slug, timezone, defaultCountry: (params.defaultCountry ?? 'SA').toUpperCase(), locale: params.locale ?? 'ar' })));
  }

  async findTenant(idOrSlug: string): Promise<Tenant> {
    const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrSlug);
    const tenant = isUuid
      ? await this.db.read(idOrSlug, (m) => m.findOneBy(Tenant, { id: idOrSlug }))
      : // Across stores: a slug is how an operator names a store before it is known.
        await this.allStores.read((m) => m.findOneBy(Tenant, { slug: idOrSlug }));
    if (!tenant) throw notFound('Tenant', idOrSlug);
    return tenant;
  }

  async countTenants(): Promise<number> {
    // Across stores: how many stores there are.
    return this.allStores.read((m) => m.count(Tenant));
  }

  /**
   * Returns the plain key exactly once; only its hash is stored. Scopes default to the role's
   * grants and can only narrow them.
   */
  async createApiKey(tenantId: string, role: Role, name: string, scopes?: readonly string[]): Promise<{ apiKey: ApiKey; key: string }> {
    if (!KEY_ROLES.includes(role)) throw badInput(`Unknown role "${role}"; one of ${KEY_ROLES.join(', ')}`, { role: ['unknown role'] });
    const granted = grantsOf(role);
    const chosen = scopes ?? granted;
    const refused = chosen.filter((scope) => !isScope(scope) || !granted.includes(scope));
    if (refused.length) {
      throw badInput(`The ${role} role cannot grant ${refused.join(', ')}; it grants ${granted.join(', ') || 'nothing'}`, { scopes: refused });
    }
    const generated = generateApiKey();
    const apiKey = await this.db.run(tenantId, async (m) => {
      const saved = await m.save(m.create(ApiKey, { id: uuidv7(), tenantId, name, role, scopes: [...new Set(chosen)], prefix: generated.prefix, secretHash: generated.secretHash }));
      await deferWrite(m, storeKeyStatement('API_KEY', generated.prefix, tenantId));
      return saved;
    });
    return { apiKey, key: generated.key };
  }

  listApiKeys(tenantId: string): Promise<ApiKey[]> {
    return this.db.read(tenantId, (m) => m.find(ApiKey, { where: { tenantId }, order: { createdAt: 'ASC', id: 'ASC' } }));
  }

  /** A new secret with the same name, role and scopes; the old key stops working now. */
  async rotateApiKey(tenantId: string, keyId: string): Promise<{ apiKey: ApiKey; key: string }> {
    const old = await this.db.read(tenantId, (m) => m.findOneBy(ApiKey, { tenantId, id: keyId }));
    if (!old || old.revokedAt) throw notFound('API key', keyId);
    await this.revokeApiKey(tenantId, keyId);
    return this.createApiKey(tenantId, old.role, old.name, old.scopes);
  }

  /** Resolves a bearer key to the caller's context, or undefined for an unknown/revoked key. */
  async authenticate(key: string): Promise<RequestContext | undefined> {
    const parsed = parseApiKey(key);
    if (!parsed) return undefined;
    const cacheKey = hashKey(key).toString('base64');
    const cached = this.keyCache.get(cacheKey);
    if (cached) {
      this.touch(cached.keyId, cached.ctx.tenantId);
      return cached.ctx;
    }

    // Across stores: a bearer key names its store only through its prefix (store_keys); the key's row is then read on the store's shard.
    const tenantId = await this.allStores.storeOf('API_KEY', parsed.prefix);
    if (!tenantId) return undefined;
    const rows: Array<{ id: string; tenant_id: string; role: Role; scopes: string[]; secret_hash: Buffer; timezone: string; default_country: string }> = await this.allStores.query(
      `SELECT k.id, k.tenant_id, k.role, k.scopes, k.secret_hash, t.timezone, t.default_country
         FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
        WHERE k.tenant_id = $1 AND k.prefix = $2 AND k.revoked_at IS NULL`,
      [tenantId, parsed.prefix],
    );
    const row = rows[0];
    if (!row || !keyMatches(key, row.secret_hash)) return undefined;
    this.touch(row.id, row.tenant_id);
    const ctx: RequestContext = {
      tenantId: row.tenant_id,
      tenantTimezone: row.timezone,
      tenantCountry: row.default_country,
      role: row.role,
      scopes: row.scopes,
      actor: { type: 'API_KEY', id: row.id },
    };
    this.keyCache.set(cacheKey, { keyId: row.id, ctx });
    return ctx;
  }

  /** Revokes a key; it stops working at once on this instance. */
  async revokeApiKey(tenantId: string, keyId: string): Promise<void> {
    const result = await this.db.run(tenantId, (m) => m.query('UPDATE api_keys SET revoked_at = now() WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING id', [tenantId, keyId]));
    // TypeORM answers an UPDATE with [rows, rowCount].
    if (result[0].length === 0) throw notFound('API key', keyId);
    this.keyCache.deleteWhere((entry) => entry.keyId === keyId);
  }

  /** Records last use without a write per request. */
  private touch(keyId: string, tenantId: string): void {
    const now = Date.now();
    if (now - (this.lastUsedWrites.get(keyId) ?? 0) < LAST_USED_RESOLUTION_MS) return;
    this.lastUsedWrites.set(keyId, now);
    void this.db.run(tenantId, (m) => m.query('UPDATE api_keys SET last_used_at = now() WHERE tenant_id = $1 AND id = $2', [tenantId, keyId])).catch(() => this.lastUsedWrites.delete(keyId));
  }
}
