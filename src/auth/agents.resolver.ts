import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext } from '../common/request-context';
import { AgentsService } from './agents.service';
import { RequirePermission } from './auth.decorators';
import { CreateAgentInput, UpdateAgentInput } from './dto/create-agent.input';
import { Agent } from './entities/agent.entity';
import { Tenant } from './entities/tenant.entity';
import { AuthService } from './auth.service';

@Resolver(() => Agent)
export class AgentsResolver {
  constructor(
    private readonly agentsService: AgentsService,
    private readonly auth: AuthService,
  ) {}

  @Query(() => [Agent], {
    description: 'Every agent of the store, active or not, by name. Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN.',
  })
  @RequirePermission('tickets:read')
  agents(@Ctx() ctx: RequestContext) {
    return this.agentsService.list(ctx);
  }

  @Query(() => Agent, { description: 'One agent of the store. Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.' })
  @RequirePermission('tickets:read')
  agent(@Ctx() ctx: RequestContext, @Args('id', { description: "The agent's id.", type: () => ID }, ParseUUIDPipe) id: string) {
    return this.agentsService.get(ctx, id);
  }

  @Mutation(() => Agent, {
    description:
      'Adds an agent to the store; with no password the agent needs a reset token from createPasswordReset. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, CONFLICT.',
  })
  @RequirePermission('admin')
  createAgent(@Ctx() ctx: RequestContext, @Args('input', { description: 'The new agent.' }) input: CreateAgentInput) {
    return this.agentsService.create(ctx, input);
  }

  @Mutation(() => Agent, {
    description:
      'Changes role, skills, capacity, availability or deactivates (active: false). Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT, CONFLICT.',
  })
  @RequirePermission('admin')
  updateAgent(
    @Ctx() ctx: RequestContext,
    @Args('id', { description: 'The agent.', type: () => ID }, ParseUUIDPipe) id: string,
    @Args('input', { description: 'The fields to change.' }) input: UpdateAgentInput,
  ) {
    return this.agentsService.update(ctx, id, input);
  }

  @Query(() => Tenant, { description: 'The store the calling key belongs to. Needs the `tickets:read` scope (roles: admin, supervisor, agent, integration). Errors: UNAUTHENTICATED, FORBIDDEN.' })
  @RequirePermission('tickets:read')
  currentTenant(@Ctx() ctx: RequestContext) {
    return this.auth.findTenant(ctx.tenantId);
  }
}
