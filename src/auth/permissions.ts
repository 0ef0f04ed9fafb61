import type { Role } from '../common/request-context';

export type Permission = 'tickets:read' | 'tickets:write' | 'admin';

/** Role × permission. The reporting role reads KPIs only, so it holds none of these yet. */
const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ['tickets:read', 'tickets:write', 'admin'],
  agent: ['tickets:read', 'tickets:write'],
  integration: ['tickets:read', 'tickets:write'],
  reporting: [],
};

export const ROLES = Object.keys(GRANTS) as Role[];

export function roleHas(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}
