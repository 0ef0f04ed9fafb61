import type { Role } from '../common/request-context';

/**
 * What a caller may do. API keys carry a subset of their role's scopes; agents and customers get
 * their role's scopes. Every query and mutation declares the one it needs (see auth.decorators.ts).
 */
export const SCOPES = ['tickets:read', 'tickets:write', 'kpis:read', 'admin', 'customer-tokens:create', 'portal'] as const;
export type Permission = (typeof SCOPES)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ['tickets:read', 'tickets:write', 'kpis:read', 'admin', 'customer-tokens:create'],
  supervisor: ['tickets:read', 'tickets:write', 'kpis:read'],
  agent: ['tickets:read', 'tickets:write'],
  integration: ['tickets:read', 'tickets:write', 'customer-tokens:create'],
  reporting: ['kpis:read'],
  customer: ['portal'],
};

/** Roles an API key can have (people log in instead; customers get tokens). */
export const KEY_ROLES: Role[] = ['admin', 'agent', 'integration', 'reporting'];

export function grantsOf(role: Role): readonly Permission[] {
  return GRANTS[role];
}

export function isScope(value: string): value is Permission {
  return (SCOPES as readonly string[]).includes(value);
}
