import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { TenantTransactions } from '../common/database/tenant-transactions';
import { badInput, DomainError, notFound } from '../common/errors/domain-error';
import type { RequestContext } from '../common/request-context';
import { SettingsRegion, StoreSettingsCache } from '../common/cache/store-settings-cache';
import { Ticket } from '../tickets/entities/ticket.entity';
import { NewTicketDetails, TicketListeners } from '../tickets/ticket-listeners';
import { RoutingPreviewInput, RoutingRuleInput, UpdateRoutingSettingsInput } from './dto/routing.types';
import { RoutingRuleRow } from './entities/routing-rule.entity';
import { RoutingSettingsRow } from './entities/routing-settings.entity';
import { Team } from './entities/team.entity';
import { TeamsService } from './teams.service';
import {
  DEFAULT_CATEGORY_RULES,
  DEFAULT_PRIORITY_POLICY,
  decideRouting,
  PreparedRules,
  prepareRules,
  PriorityPolicy,
  RoutingDecision,
  RoutingInput,
  TeamForRouting,
  urgentPhraseIn,
} from './routing-decision';
import { definedFields } from '../common/defined-fields';
import { normaliseArabic } from '../common/text/arabic-text';

interface RoutingState {
  prepared: PreparedRules;
  policy: PriorityPolicy;
  teams: TeamForRouting[];
  defaultTeamId: string | null;
  continuityWindowHours: number;
}

/**
 * Decides category, priority and team of new tickets from the store's rules, inside the creating
 * transaction (a ticket listener that runs before SLA). Rules are seeded with Arabic and English
 * defaults the first time they are needed. What routing needs (settings, active rules, teams'
 * categories) is kept per store on every instance until a change to any of them commits.
 */
@Injectable()
export class RoutingService implements OnModuleInit {
  private readonly states: SettingsRegion<RoutingState>;

  constructor(
    private readonly db: TenantTransactions,
    private readonly listeners: TicketListeners,
    teams: TeamsService,
    cache: StoreSettingsCache,
  ) {
    this.states = cache.region('routing');
    teams.notifyTeamChanges((manager, tenantId) => this.states.changedIn(manager, tenantId));
  }

  onModuleInit() {
    this.listeners.register(this, 'routing');
  }

  async fieldsForNewTicket(manager: EntityManager, ctx: RequestContext, ticket: Ticket, details: NewTicketDetails) {
    const decision = this.decide(await this.stateFor(ctx, manager), {
      subject: ticket.subject,
      body: details.body,
      channel: ticket.channel,
      tier: details.customerTier ?? 'STANDARD',
      orderRef: ticket.orderRef,
      category: details.categoryGiven ? ticket.category : undefined,
      priority: details.priorityGiven ? ticket.priority : undefined,
    });
    return {
      fields: { category: decision.category, priority: decision.priority, teamId: decision.teamId } as Partial<Ticket>,
      eventData: { routing: { category: decision.categoryReason, rule: decision.matchedRule, priority: decision.priorityReasons, team: decision.teamReason } },
    };
  }

  async categorise(manager: EntityManager, ctx: RequestContext, message: { subject: string; body: string; channel: string; tier: string }) {
    const state = await this.stateFor(ctx, manager);
    return { category: this.decide(state, message).category, continuityWindowHours: state.continuityWindowHours };
  }

  /** The urgent or angry phrase of the store's routing settings the text contains, if any (automatic answers stay away from those). */
  async urgentWording(manager: EntityManager, ctx: RequestContext, text: string): Promise<string | null> {
    return urgentPhraseIn(normaliseArabic(text), (await this.stateFor(ctx, manager)).prepared);
  }

  async preview(ctx: RequestContext, input: RoutingPreviewInput): Promise<RoutingDecision> {
    const state = await this.db.run(ctx, (m) => this.stateFor(ctx, m));
    return this.decide(state, { subject: input.subject, body: input.body, channel: input.channel, tier: input.tier, orderRef: input.orderRef });
  }

  rules(ctx: RequestContext): Promise<RoutingRuleRow[]> {
    return this.db.run(ctx, async (m) => {
      await this.ensureSeeded(ctx, m);
      return m.find(RoutingRuleRow, { where: { tenantId: ctx.tenantId }, order: { position: 'ASC', id: 'ASC' } });
    });
  }

  async createRule(ctx: RequestContext, input: RoutingRuleInput): Promise<RoutingRuleRow> {
    if (!input.name || !input.category || !input.phrases?.length) {
      throw badInput('A rule needs a name, a category and at least one phrase', { rule: ['name, category and phrases are required'] });
    }
    return this.write(ctx, async (m) => {
      await this.ensureSeeded(ctx, m);
      return m.save(
        m.create(RoutingRuleRow, {
          tenantId: ctx.tenantId,
          id: uuidv7(),
          name: input.name!.trim(),
          position: input.position ?? 100,
          category: input.category!,
          phrases: input.phrases!,
          channels: input.channels ?? [],
          tiers: input.tiers ?? [],
          active: input.active ?? true,
        }),
      );
    });
  }

  async updateRule(ctx: RequestContext, id: string, input: RoutingRuleInput): Promise<RoutingRuleRow> {
    return this.write(ctx, async (m) => {
      const rule = await m.findOneBy(RoutingRuleRow, { tenantId: ctx.tenantId, id });
      if (!rule) throw notFound('Routing rule', id);
      return m.save(Object.assign(rule, definedFields(input)));
    });
  }

  async deleteRule(ctx: RequestContext, id: string): Promise<void> {
    const result = await this.write(ctx, (m) => m.delete(RoutingRuleRow, { tenantId: ctx.tenantId, id }));
    if (!result.affected) throw notFound('Routing rule', id);
  }

  settings(ctx: RequestContext): Promise<RoutingSettingsRow> {
    return this.db.run(ctx, (m) => this.ensureSeeded(ctx, m));
  }

  async updateSettings(ctx: RequestContext, input: UpdateRoutingSettingsInput): Promise<RoutingSettingsRow> {
    return this.write(ctx, async (m) => {
      const settings = await this.ensureSeeded(ctx, m);
      if (input.defaultTeamId !== undefined) {
        if (input.defaultTeamId && !(await m.existsBy(Team, { tenantId: ctx.tenantId, id: input.defaultTeamId }))) {
          throw new DomainError('NOT_FOUND', `Team ${input.defaultTeamId} not found`, { defaultTeamId: ['no such team'] });
        }
        settings.defaultTeamId = input.defaultTeamId;
      }
      const policy = { ...settings.priorityPolicy };
      if (input.categoryBase) policy.categoryBase = Object.fromEntries(input.categoryBase.map((c) => [c.category, c.priority]));
      if (input.priorityTiers) policy.priorityTiers = input.priorityTiers;
      if (input.urgentPhrases) policy.urgentPhrases = input.urgentPhrases;
      if (input.addUrgentPhrases || input.removeUrgentPhrases) policy.urgentPhrases = editedPhrases(policy.urgentPhrases, input.addUrgentPhrases ?? [], input.removeUrgentPhrases ?? []);
      if (input.continuityWindowHours !== undefined) settings.continuityWindowHours = input.continuityWindowHours;
      settings.priorityPolicy = policy;
      return m.save(settings);
    });
  }

  private decide(state: RoutingState, input: RoutingInput): RoutingDecision {
    return decideRouting(input, state.prepared, state.policy, state.teams, state.defaultTeamId);
  }

  private write<T>(ctx: RequestContext, work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.run(ctx, async (m) => {
      const result = await work(m);
      await this.states.changedIn(m, ctx.tenantId);
      return result;
    });
  }

  private stateFor(ctx: RequestContext, m: EntityManager): Promise<RoutingState> {
    return this.states.get(ctx.tenantId, () => this.loadState(ctx, m));
  }

  private async loadState(ctx: RequestContext, m: EntityManager): Promise<RoutingState> {
    const settings = await this.ensureSeeded(ctx, m);
    const rules = await m.find(RoutingRuleRow, { where: { tenantId: ctx.tenantId, active: true }, order: { position: 'ASC', id: 'ASC' } });
    const teams = await m.find(Team, { where: { tenantId: ctx.tenantId }, select: { tenantId: true, id: true, categories: true }, order: { name: 'ASC' } });
    const state: RoutingState = {
      prepared: prepareRules(rules, settings.priorityPolicy),
      policy: settings.priorityPolicy,
      teams: teams.map((t) => ({ id: t.id, categories: t.categories })),
      defaultTeamId: settings.defaultTeamId,
      continuityWindowHours: settings.continuityWindowHours,
    };
    return state;
  }

  /** Seeds default rules once per store; the settings row's primary key makes it race-safe. */
  private async ensureSeeded(ctx: RequestContext, m: EntityManager): Promise<RoutingSettingsRow> {
    const existing = await m.findOneBy(RoutingSettingsRow, { tenantId: ctx.tenantId });
    if (existing) return existing;
    const inserted = await m
      .createQueryBuilder()
      .insert()
      .into(RoutingSettingsRow)
      .values({ tenantId: ctx.tenantId, defaultTeamId: null, priorityPolicy: DEFAULT_PRIORITY_POLICY, continuityWindowHours: 72 })
      .orIgnore()
      .execute();
    if ((inserted.raw as unknown[]).length > 0) {
      await m.insert(
        RoutingRuleRow,
        DEFAULT_CATEGORY_RULES.map((r) => ({ tenantId: ctx.tenantId, id: uuidv7(), name: r.name, position: r.position, category: r.category, phrases: r.phrases, channels: [], tiers: [] })),
      );
    }
    return m.findOneByOrFail(RoutingSettingsRow, { tenantId: ctx.tenantId });
  }
}

/** The urgent phrases with some added (each once, trimmed) and some taken off. */
export function editedPhrases(current: readonly string[], add: readonly string[], remove: readonly string[]): string[] {
  const removed = new Set(remove.map((phrase) => phrase.trim()));
  return [...new Set([...current, ...add.map((phrase) => phrase.trim())])].filter((phrase) => phrase && !removed.has(phrase));
}
