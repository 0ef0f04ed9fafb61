import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiOpen } from './openapi';

export const PUBLIC_KEY = 'rida:public';

/** Reachable without credentials (health, docs, login); REST operations say so in OpenAPI (`security: []`). */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiOpen());
