import { InitialSchema1764028800000 } from './1764028800000-initial-schema';

/** In order of application. A new migration is added here as well as in this folder. */
export const MIGRATIONS = [InitialSchema1764028800000];
