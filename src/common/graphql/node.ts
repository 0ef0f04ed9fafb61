import { Injectable } from '@nestjs/common';
import type { EntityTarget, ObjectLiteral } from 'typeorm';
import { Field, ID, InterfaceType } from '@nestjs/graphql';
import { TenantTransactions } from '../database/tenant-transactions';
import { DomainError } from '../errors/domain-error';
import { RequestContext } from '../request-context';

/** Which GraphQL type a loaded node is, when its class alone does not say (a Ticket row read as a PortalTicket). */
const nodeTypes = new WeakMap<object, string>();

@InterfaceType('Node', {
  description:
    'An object a client can fetch again by its id alone with `node(id:)` or `nodes(ids:)` (Relay object identification; Apollo and Relay caches normalise on it). Ids are the same UUIDs the other fields return.',
  resolveType: (value: object) => nodeTypes.get(value) ?? value.constructor.name,
})
export abstract class Node {
  @Field(() => ID, { description: 'Stable id (UUID), unique across every type.' })
  id: string;
}

/** One kind of node: where its ids live, who may read it, how to load one for the caller. */
export interface NodeSource {
  /** The GraphQL type name. */
  type: string;
  /** The tenant table holding its rows (`tenant_id`, `id`). */
  table: string;
  /** The table's store column when it is not `tenant_id` (the store's own row: `id`). */
  tenantColumn?: string;
  /** The scope that lets a caller fetch it by id. */
  scope: string;
  /** Loads it as the caller may see it; NOT_FOUND or null when the caller may not. */
  load(ctx: RequestContext, id: string): Promise<object | null>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The node types of the schema, registered by the modules that own them, so that `node(id:)` knows
 * no feature module and every type is loaded with its owner's own permission and store checks.
 */
@Injectable()
export class NodeRegistry {
  private readonly sources = new Map<string, NodeSource>();

  constructor(private readonly db: TenantTransactions) {}

  register(source: NodeSource): void {
    for (const name of [source.table, source.tenantColumn ?? 'tenant_id']) {
      if (!/^[a-z_]+$/.test(name)) throw new Error(`Node table or column name ${name} is not a plain identifier`);
    }
    this.sources.set(source.type, source);
  }

  /**
   * A node type that is a store's row as it is stored, readable with one scope (an admin's
   * settings objects, a ticket's calls or events): loaded by its key within the caller's store, as
   * its own list query or field reads it.
   */
  registerEntity(type: string, entity: EntityTarget<ObjectLiteral> & { name: string }, table: string, scope: string): void {
    this.register({ type, table, scope, load: (ctx, id) => this.db.read(ctx, (m) => m.findOneBy(entity, { tenantId: ctx.tenantId, id })) });
  }

  /** The nodes with these ids that the caller may read, in the order asked, null for the others. */
  async load(ctx: RequestContext, ids: readonly string[]): Promise<Array<object | null>> {
    const readable = [...this.sources.values()].filter((source) => ctx.scopes.includes(source.scope));
    const wanted = [...new Set(ids.filter((id) => UUID.test(id)))];
    if (!readable.length || !wanted.length) return ids.map(() => null);
    // One round trip finds which type each id is; ids are UUIDs, unique across tables.
    const sql = readable.map((source, i) => `SELECT $${i + 3}::text AS type, id FROM ${source.table} WHERE ${source.tenantColumn ?? 'tenant_id'} = $1 AND id = ANY($2::uuid[])`).join(' UNION ALL ');
    const found: Array<{ type: string; id: string }> = await this.db.read(ctx, (m) => m.query(sql, [ctx.tenantId, wanted, ...readable.map((s) => s.type)]));
    const typeOf = new Map(found.map((row) => [row.id, row.type]));
    return Promise.all(
      ids.map(async (id) => {
        const source = this.sources.get(typeOf.get(id.toLowerCase()) ?? '');
        if (!source) return null;
        try {
          const node = await source.load(ctx, id);
          if (node) nodeTypes.set(node, source.type);
          return node;
        } catch (error) {
          if (error instanceof DomainError && error.code === 'NOT_FOUND') return null;
          throw error;
        }
      }),
    );
  }
}
