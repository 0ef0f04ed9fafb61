import type { TenantScope } from '../database/tenant-transactions';
import type { UnitOfWork } from '../database/unit-of-work';
import DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';

/**
 * One set of DataLoaders per GraphQL request, created on first use by whichever module needs it:
 * a list of 50 tickets selecting `customer` runs one query, not 50.
 */
export class LoaderRegistry {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();

  constructor(private readonly request?: { unitOfWork?: UnitOfWork }) {}

  /** A store's data as this request reads it: within the request's unit of work, when it has one. */
  scope(tenantId: string): TenantScope {
    return { tenantId, unitOfWork: this.request?.unitOfWork };
  }

  get<K, V>(name: string, batch: (keys: readonly K[]) => Promise<(V | Error)[]>): DataLoader<K, V> {
    let loader = this.loaders.get(name);
    if (!loader) {
      loader = new DataLoader<K, V>(batch, { maxBatchSize: 500 }) as DataLoader<unknown, unknown>;
      this.loaders.set(name, loader);
    }
    return loader as DataLoader<K, V>;
  }
}

export interface GraphQLRequestContext {
  req: import('../request-context').AuthenticatedRequest;
  loaders: LoaderRegistry;
}

/** Orders batch results by the requested keys (DataLoader's contract). */
export function byKeys<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): (V | null)[] {
  const map = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => map.get(key) ?? null);
}

export function groupByKeys<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): V[][] {
  const map = new Map<K, V[]>(keys.map((key) => [key, []]));
  for (const row of rows) map.get(keyOf(row))?.push(row);
  return keys.map((key) => map.get(key) ?? []);
}

/** Whether the field being resolved selects `field` directly (fragments are not looked into: this only decides what to fetch ahead). */
export function selectsField(info: GraphQLResolveInfo, field: string): boolean {
  return info.fieldNodes.some((node) => node.selectionSet?.selections.some((selection) => selection.kind === 'Field' && selection.name.value === field));
}

/** Whether the field being resolved selects this path of fields (`['edges', 'node', 'customer']`), directly or through inline fragments. */
export function selectsFieldPath(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  type Selections = NonNullable<GraphQLResolveInfo['fieldNodes'][number]['selectionSet']>['selections'];
  const has = (selections: Selections | undefined, [name, ...rest]: readonly string[]): boolean =>
    (selections ?? []).some((selection) =>
      selection.kind === 'InlineFragment'
        ? has(selection.selectionSet.selections, [name, ...rest])
        : selection.kind === 'Field' && selection.name.value === name && (rest.length === 0 || has(selection.selectionSet?.selections, rest)),
    );
  return info.fieldNodes.some((node) => has(node.selectionSet?.selections, path));
}
