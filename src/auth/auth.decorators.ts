import { SetMetadata } from '@nestjs/common';
import type { ActorType } from '../common/request-context';
import type { Permission } from './permissions';

export const PERMISSION_KEY = 'rida:permission';
export const ACTOR_KEY = 'rida:actor';

export { PUBLIC_KEY, Public } from '../common/http/public';

/** The permission (scope) a resolver or route needs — any one of several, when given several. Every other handler is closed. */
export const RequirePermission = (...permissions: [Permission, ...Permission[]]) => SetMetadata(PERMISSION_KEY, permissions);

/** For operations on the caller's own account (change my password, set my availability). */
export const RequireActor = (actor: ActorType) => SetMetadata(ACTOR_KEY, actor);
