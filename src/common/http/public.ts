import { SetMetadata } from '@nestjs/common';

export const PUBLIC_KEY = 'rida:public';

/** Reachable without credentials (health, docs, login). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
