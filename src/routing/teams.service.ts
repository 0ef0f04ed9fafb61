import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Agent } from '../auth/entities/agent.entity';
import { SettingsRegion, StoreSettingsCache } from '../common/cache/store-settings-cache';
import { TenantScope, TenantTransactions, tenantOf } from '../common/database/tenant-transactions';
import { conflict, DomainError, notFound } from '../common/errors/domain-error';
import type { RequestContext } from '../common/request-context';
import { CreateTeamInput, UpdateTeamInput } from './dto/create-team.input';
import { TeamMember } from './entities/team-member.entity';
import { AssignmentStrategyEnum, Team } from './entities/team.entity';
import { byKeys, LoaderRegistry } from '../common/graphql/loaders';

@Injectable()
export class TeamsService {
  /** Routing caches which team owns which category; a change here must reach it at once. */
  private onTeamsChanged: (manager: EntityManager, tenantId: string) => Promise<void> = async () => undefined;

  /** Each store's teams as every ticket's `team` field shows them (names, categories, lead). */
  private readonly shownTeams: SettingsRegion<Team[]>;

  constructor(
    private readonly db: TenantTransactions,
    cache: StoreSettingsCache,
  ) {
    this.shownTeams = cache.region('teams');
  }

  /** `listener` runs inside the transaction of each change to a team (or the set of teams). */
  notifyTeamChanges(listener: (manager: EntityManager, tenantId: string) => Promise<void>): void {
    this.onTeamsChanged = listener;
  }

  async create(ctx: RequestContext, input: CreateTeamInput): Promise<Team> {
    const name = input.name.trim();
    return this.db.run(ctx, async (manager) => {
      if (await manager.existsBy(Team, { tenantId: ctx.tenantId, name })) throw conflict(`A team named "${name}" already exists`);
      const memberIds = [...new Set([...(input.memberIds ?? []), ...(input.leadId ? [input.leadId] : [])])];
      await this.assertAgents(manager, ctx, memberIds, input.leadId ? 'leadId' : 'memberIds');
      const team = manager.create(Team, {
        tenantId: ctx.tenantId,
        id: uuidv7(),
        name,
        categories: input.categories ?? [],
        leadId: input.leadId ?? null,
        assignmentStrategy: input.assignmentStrategy ?? AssignmentStrategyEnum.MANUAL,
        vipToSeniors: input.vipToSeniors ?? false,
        reassignOnOffline: input.reassignOnOffline ?? false,
        lastAssignedAgentId: null,
      });
      await manager.save(team);
      if (memberIds.length)
        await manager.insert(
          TeamMember,
          memberIds.map((agentId) => ({ tenantId: ctx.tenantId, teamId: team.id, agentId })),
        );
      await this.teamsChanged(manager, ctx.tenantId);
      return team;
    });
  }

  async update(ctx: RequestContext, id: string, input: UpdateTeamInput): Promise<Team> {
    return this.db.run(ctx, async (manager) => {
      const team = await this.get(ctx, id, manager);
      const changes: Partial<Team> = {};
      if (input.name !== undefined) changes.name = input.name.trim();
      if (input.categories !== undefined) changes.categories = input.categories;
      if (input.assignmentStrategy !== undefined) changes.assignmentStrategy = input.assignmentStrategy;
      if (input.vipToSeniors !== undefined) changes.vipToSeniors = input.vipToSeniors;
      if (input.reassignOnOffline !== undefined) changes.reassignOnOffline = input.reassignOnOffline;
      if (input.leadId !== undefined) {
        if (input.leadId) {
          await this.assertAgents(manager, ctx, [input.leadId], 'leadId');
          await manager.createQueryBuilder().insert().into(TeamMember).values({ tenantId: ctx.tenantId, teamId: id, agentId: input.leadId }).orIgnore().execute();
        }
        changes.leadId = input.leadId;
      }
      if (changes.name && changes.name !== team.name && (await manager.existsBy(Team, { tenantId: ctx.tenantId, name: changes.name }))) {
        throw conflict(`A team named "${changes.name}" already exists`);
      }
      if (Object.keys(changes).length) await manager.update(Team, { tenantId: ctx.tenantId, id }, changes);
      if (Object.keys(changes).length) await this.teamsChanged(manager, ctx.tenantId);
      return Object.assign(team, changes);
    });
  }

  async addMember(ctx: RequestContext, teamId: string, agentId: string): Promise<Team> {
    return this.db.run(ctx, async (manager) => {
      const team = await this.get(ctx, teamId, manager);
      await this.assertAgents(manager, ctx, [agentId], 'agentId');
      await manager.createQueryBuilder().insert().into(TeamMember).values({ tenantId: ctx.tenantId, teamId, agentId }).orIgnore().execute();
      return team;
    });
  }

  async removeMember(ctx: RequestContext, teamId: string, agentId: string): Promise<Team> {
    return this.db.run(ctx, async (manager) => {
      const team = await this.get(ctx, teamId, manager);
      if (team.leadId === agentId) throw conflict('The team lead cannot leave the team; choose another lead first');
      await manager.delete(TeamMember, { tenantId: ctx.tenantId, teamId, agentId });
      return team;
    });
  }

  /** Within a caller's transaction when given one, else in a read of its own. */
  async get(ctx: RequestContext, id: string, manager?: EntityManager): Promise<Team> {
    const find = (m: EntityManager) => m.findOneBy(Team, { tenantId: ctx.tenantId, id });
    const team = manager ? await find(manager) : await this.db.read(ctx, find);
    if (!team) throw notFound('Team', id);
    return team;
  }

  list(ctx: RequestContext): Promise<Team[]> {
    return this.db.read(ctx, (m) => m.find(Team, { where: { tenantId: ctx.tenantId }, order: { name: 'ASC', id: 'ASC' } }));
  }

  /**
   * Teams by id, from this instance's copy of the store's teams. For showing a ticket's team only:
   * the round-robin pointer (lastAssignedAgentId) moves with every assignment and is read fresh
   * by assignment itself.
   */
  async byIds(scope: TenantScope, ids: readonly string[]): Promise<Team[]> {
    const tenantId = tenantOf(scope);
    const wanted = new Set(ids);
    const teams = await this.shownTeams.get(tenantId, () => this.db.read(scope, (m) => m.findBy(Team, { tenantId })));
    return teams.filter((team) => wanted.has(team.id));
  }

  /** Inside the transaction of a change to a team: every instance forgets the store's teams once it commits. */
  private async teamsChanged(manager: EntityManager, tenantId: string): Promise<void> {
    await this.shownTeams.changedIn(manager, tenantId);
    await this.onTeamsChanged(manager, tenantId);
  }

  /** A team by id within a GraphQL request: every team the request asks for in one query. */
  loadById(loaders: LoaderRegistry, tenantId: string, id: string): Promise<Team | null> {
    return loaders.get<string, Team | null>('teamById', async (ids) => byKeys(ids, await this.byIds(loaders.scope(tenantId), ids), (t) => t.id)).load(id);
  }

  membersOf(scope: TenantScope, teamIds: readonly string[]): Promise<Array<TeamMember & { agent: Agent }>> {
    const tenantId = tenantOf(scope);
    return this.db.read(
      scope,
      (m) =>
        m
          .createQueryBuilder(TeamMember, 'm')
          .innerJoinAndMapOne('m.agent', Agent, 'a', 'a.tenant_id = m.tenant_id AND a.id = m.agent_id')
          .where('m.tenant_id = :tenantId AND m.team_id IN (:...teamIds)', { tenantId, teamIds })
          .orderBy('a.name', 'ASC')
          .getMany() as Promise<Array<TeamMember & { agent: Agent }>>,
    );
  }

  teamsOfAgents(scope: TenantScope, agentIds: readonly string[]): Promise<Array<TeamMember & { team: Team }>> {
    const tenantId = tenantOf(scope);
    return this.db.read(
      scope,
      (m) =>
        m
          .createQueryBuilder(TeamMember, 'm')
          .innerJoinAndMapOne('m.team', Team, 't', 't.tenant_id = m.tenant_id AND t.id = m.team_id')
          .where('m.tenant_id = :tenantId AND m.agent_id IN (:...agentIds)', { tenantId, agentIds })
          .orderBy('t.name', 'ASC')
          .getMany() as Promise<Array<TeamMember & { team: Team }>>,
    );
  }

  private async assertAgents(manager: EntityManager, ctx: RequestContext, agentIds: string[], field: string) {
    if (!agentIds.length) return;
    const found = await manager.countBy(Agent, { tenantId: ctx.tenantId, id: In(agentIds) });
    if (found !== agentIds.length) throw new DomainError('NOT_FOUND', 'An agent given was not found in this store', { [field]: ['no such agent'] });
  }
}
