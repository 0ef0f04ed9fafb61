import { EntityManager } from 'typeorm';

/**
 * Runs a store's default content seed exactly once in its life, whatever runs concurrently: the
 * first transaction to claim `(tenant, name)` in `tenant_seeds` seeds, the others wait on that
 * row and then skip. Deleting the seeded rows later does not bring them back.
 */
export async function seedOnce(manager: EntityManager, tenantId: string, name: string, seed: () => Promise<void>): Promise<void> {
  const claimed: unknown[] = await manager.query(`INSERT INTO tenant_seeds (tenant_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING name`, [tenantId, name]);
  if (claimed.length > 0) await seed();
}
