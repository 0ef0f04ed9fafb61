import { SetMetadata } from '@nestjs/common';
import type { ActorType } from '../common/request-context';
import type { Permission } from './permissions';

export const PUBLIC_KEY = 'rida:public';
export const PERMISSION_KEY = 'rida:permission';
export const ACTOR_KEY = 'rida:actor';

/** Reachable without credentials (health, docs, login). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The permission (scope) a resolver or route needs — any one of several, when given several. Every other handler is closed. */
export const RequirePermission = (...permissions: [Permission, ...Permission[]]) => SetMetadata(PERMISSION_KEY, permissions);

/** For operations on the caller's own account (change my password, set my availability). */
export const RequireActor = (actor: ActorType) => SetMetadata(ACTOR_KEY, actor);
