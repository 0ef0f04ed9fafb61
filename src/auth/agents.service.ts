import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { selectEntities } from '../common/database/entity-rows';
import { TenantScope, TenantTransactions, tenantOf } from '../common/database/tenant-transactions';
import { conflict, notFound } from '../common/errors/domain-error';
import type { RequestContext } from '../common/request-context';
import { CreateAgentInput, UpdateAgentInput } from './dto/create-agent.input';
import { Agent, AgentRole, Availability } from './entities/agent.entity';
import { hashPassword } from './passwords';
import { PrincipalsService } from './principals.service';
import { byKeys, LoaderRegistry } from '../common/graphql/loaders';

@Injectable()
export class AgentsService {
  constructor(
    private readonly db: TenantTransactions,
    private readonly principals: PrincipalsService,
  ) {}

  async create(ctx: RequestContext, input: CreateAgentInput): Promise<Agent> {
    const email = input.email.trim().toLowerCase();
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    return this.db.run(ctx, async (manager) => {
      if (await manager.existsBy(Agent, { tenantId: ctx.tenantId, email })) throw conflict(`An agent with email ${email} already exists`);
      const agent = manager.create(Agent, {
        tenantId: ctx.tenantId,
        id: uuidv7(),
        name: input.name.trim(),
        email,
        role: input.role ?? AgentRole.AGENT,
        languages: input.languages ?? ['ar'],
        skills: input.skills ?? [],
        capacity: input.capacity ?? 10,
        availability: Availability.OFFLINE,
        active: true,
        passwordHash,
      });
      return manager.save(agent);
    });
  }

  async update(ctx: RequestContext, id: string, input: UpdateAgentInput): Promise<Agent> {
    const changes = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<Agent>;
    if (changes.name) changes.name = changes.name.trim();
    const agent = await this.db.run(ctx, async (manager) => {
      const agent = await manager.findOneBy(Agent, { tenantId: ctx.tenantId, id });
      if (!agent) throw notFound('Agent', id);
      if (Object.keys(changes).length === 0) return agent;
      await manager.update(Agent, { tenantId: ctx.tenantId, id }, changes);
      if (changes.active === false) {
        await manager.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE tenant_id = $1 AND agent_id = $2 AND revoked_at IS NULL`, [ctx.tenantId, id]);
      }
      return Object.assign(agent, changes);
    });
    this.principals.forgetAgent(ctx.tenantId, id);
    return agent;
  }

  async get(ctx: RequestContext, id: string): Promise<Agent> {
    const agent = await this.db.read(ctx, (manager) => manager.findOneBy(Agent, { tenantId: ctx.tenantId, id }));
    if (!agent) throw notFound('Agent', id);
    return agent;
  }

  list(ctx: RequestContext): Promise<Agent[]> {
    return this.db.read(ctx, (manager) => manager.find(Agent, { where: { tenantId: ctx.tenantId }, order: { name: 'ASC', id: 'ASC' } }));
  }

  byIds(scope: TenantScope, ids: readonly string[]): Promise<Agent[]> {
    const tenantId = tenantOf(scope);
    return this.db.read(scope, (manager) => selectEntities(manager, Agent, 'WHERE tenant_id = $1 AND id = ANY($2)', [tenantId, ids]));
  }

  /** An agent by id within a GraphQL request: every agent the request asks for in one query. */
  loadById(loaders: LoaderRegistry, tenantId: string, id: string): Promise<Agent | null> {
    return loaders.get<string, Agent | null>('agentById', async (ids) => byKeys(ids, await this.byIds(loaders.scope(tenantId), ids), (a) => a.id)).load(id);
  }
}
