import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { badInput } from '../common/errors/domain-error';
import { Node, NodeRegistry } from '../common/graphql/node';
import { Ctx, RequestContext } from '../common/request-context';
import { RequirePermission } from './auth.decorators';

/** How many ids one `nodes` call takes (each is loaded with its owner's checks). */
const MAX_NODES = 100;

/** Relay object identification: any object of the schema that implements Node, by its id alone. */
@Resolver(() => Node)
export class NodeResolver {
  constructor(private readonly registry: NodeRegistry) {}

  @Query(() => Node, {
    nullable: true,
    description:
      "The object with this id, whatever its type, as the caller may see it: null when it is not in the caller's store or not for the caller (each type needs the scope of its own queries: settings objects and logs `admin`; a customer token reaches only its own tickets and their public messages, as PortalTicket and PortalMessage). Needs the `tickets:read` or `portal` scope (roles: admin, supervisor, agent, integration, customer). Errors: UNAUTHENTICATED, FORBIDDEN.",
  })
  @RequirePermission('tickets:read', 'portal')
  async node(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID, description: 'The id of any object that implements Node.' }) id: string): Promise<object | null> {
    const [node] = await this.registry.load(ctx, [id]);
    return node;
  }

  @Query(() => [Node], {
    nullable: 'items',
    description:
      'The objects with these ids, in the order given, null for each one the caller may not see (as node(id:)). Needs the `tickets:read` or `portal` scope (roles: admin, supervisor, agent, integration, customer). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT.',
  })
  @RequirePermission('tickets:read', 'portal')
  async nodes(@Ctx() ctx: RequestContext, @Args('ids', { type: () => [ID], description: `Ids of objects that implement Node, at most ${MAX_NODES}.` }) ids: string[]): Promise<Array<object | null>> {
    if (ids.length > MAX_NODES) throw badInput(`At most ${MAX_NODES} ids`, { ids: [`at most ${MAX_NODES}`] });
    return this.registry.load(ctx, ids);
  }
}
