import { SetMetadata } from '@nestjs/common';
import type { Permission } from './permissions';

export const PUBLIC_KEY = 'rida:public';
export const PERMISSION_KEY = 'rida:permission';

/** Reachable without a key (health, docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The permission a resolver or route needs; every non-public handler must declare one. */
export const RequirePermission = (permission: Permission) => SetMetadata(PERMISSION_KEY, permission);
