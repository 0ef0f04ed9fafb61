import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Agent } from '../../auth/entities/agent.entity';
import { Tenant } from '../../auth/entities/tenant.entity';
import { TenantTransactions } from '../../common/database/tenant-transactions';
import { seedOnce } from '../../common/database/seed-once';
import { definedFields } from '../../common/defined-fields';
import { badInput, conflict, notFound } from '../../common/errors/domain-error';
import { RequestContext } from '../../common/request-context';
import { formatForCustomer } from '../../common/text/arabic-text';
import { Customer } from '../entities/customer.entity';
import { Message } from '../entities/message.entity';
import { Ticket } from '../entities/ticket.entity';
import { TicketCategory } from '../ticket-enums';
import { normaliseTags } from '../ticket-tags';
import { TicketsService } from '../tickets.service';
import { CannedReply, ContentLocale } from './canned-reply.entity';
import { CannedReplyInput } from './canned-reply.input';
import { checkTemplate, firstName, PlaceholderValues, renderTemplate } from './canned-reply-template';
import { DEFAULT_CANNED_REPLIES } from './default-canned-replies';

export interface RenderedCannedReply {
  cannedReply: CannedReply;
  text: string;
  /** Placeholders with no value for this ticket (e.g. no order): the text has a gap there. */
  missing: string[];
}

@Injectable()
export class CannedRepliesService {
  /** Stores known to be seeded, so reads stay read-only after the first. */
  private readonly seeded = new Set<string>();

  constructor(
    private readonly db: TenantTransactions,
    private readonly tickets: TicketsService,
  ) {}

  async list(ctx: RequestContext, filter: { category?: TicketCategory; locale?: ContentLocale; activeOnly?: boolean } = {}): Promise<CannedReply[]> {
    await this.ensureSeeded(ctx);
    return this.db.read(ctx, (m) =>
      m.find(CannedReply, {
        where: { tenantId: ctx.tenantId, ...definedFields({ category: filter.category, locale: filter.locale }), ...(filter.activeOnly ? { active: true } : {}) },
        order: { usageCount: 'DESC', shortcut: 'ASC' },
      }),
    );
  }

  async get(ctx: RequestContext, id: string): Promise<CannedReply> {
    const reply = await this.db.read(ctx, (m) => m.findOneBy(CannedReply, { tenantId: ctx.tenantId, id }));
    if (!reply) throw notFound('Canned reply', id);
    return reply;
  }

  async create(ctx: RequestContext, input: CannedReplyInput): Promise<CannedReply> {
    if (!input.title || !input.shortcut || !input.body) {
      throw badInput('A canned reply needs a title, a shortcut and a body', { cannedReply: ['title, shortcut and body are required'] });
    }
    this.checkBody(input.body);
    await this.ensureSeeded(ctx);
    return this.db.run(ctx, async (m) => {
      await this.checkShortcutFree(m, ctx, input.shortcut!);
      return m.save(
        m.create(CannedReply, {
          tenantId: ctx.tenantId,
          id: uuidv7(),
          title: input.title!.trim(),
          shortcut: input.shortcut!,
          body: input.body!,
          locale: input.locale ?? ContentLocale.AR,
          category: input.category ?? null,
          actions: this.actionsOf(input),
          active: input.active ?? true,
          usageCount: 0,
          lastUsedAt: null,
        }),
      );
    });
  }

  async update(ctx: RequestContext, id: string, input: CannedReplyInput): Promise<CannedReply> {
    if (input.body !== undefined) this.checkBody(input.body);
    return this.db.run(ctx, async (m) => {
      const reply = await m.findOneBy(CannedReply, { tenantId: ctx.tenantId, id });
      if (!reply) throw notFound('Canned reply', id);
      if (input.shortcut && input.shortcut !== reply.shortcut) await this.checkShortcutFree(m, ctx, input.shortcut);
      const { actions, ...fields } = input;
      Object.assign(reply, definedFields(fields));
      if (actions) reply.actions = this.actionsOf(input);
      return m.save(reply);
    });
  }

  async remove(ctx: RequestContext, id: string): Promise<boolean> {
    const result = await this.db.run(ctx, (m) => m.delete(CannedReply, { tenantId: ctx.tenantId, id }));
    if (!result.affected) throw notFound('Canned reply', id);
    return true;
  }

  /** The reply's text for a ticket, placeholders filled in (dates in the store's zone, in the reply's language). Counts as a use. */
  async render(ctx: RequestContext, id: string, ticketId: string): Promise<RenderedCannedReply> {
    const { reply, values } = await this.db.read(ctx, async (m) => {
      const reply = await m.findOneBy(CannedReply, { tenantId: ctx.tenantId, id });
      if (!reply) throw notFound('Canned reply', id);
      return { reply, values: await this.valuesFor(m, ctx, ticketId, reply.locale) };
    });
    const { text, missing } = renderTemplate(reply.body, values);
    return { cannedReply: await this.countUse(ctx, reply), text, missing };
  }

  /**
   * Sends the rendered reply on the ticket as the caller's public reply and applies the macro's
   * changes, in one audited step. Refused while a placeholder has no value (the customer would
   * read a gap), with the placeholders named.
   */
  async apply(ctx: RequestContext, ticketId: string, id: string): Promise<{ message: Message; ticket: Ticket }> {
    const { cannedReply, text, missing } = await this.render(ctx, id, ticketId);
    if (!cannedReply.active) throw conflict(`Canned reply ${cannedReply.shortcut} is inactive`);
    if (missing.length > 0) {
      throw badInput(`This ticket has no value for ${missing.map((p) => `{{${p}}}`).join(', ')}; edit the text and send it as a reply instead`, {
        cannedReplyId: missing.map((p) => `no value for {{${p}}}`),
      });
    }
    return this.tickets.applyMacro(ctx, ticketId, { cannedReplyId: cannedReply.id, shortcut: cannedReply.shortcut, body: text, changes: cannedReply.actions });
  }

  private async valuesFor(m: EntityManager, ctx: RequestContext, ticketId: string, locale: ContentLocale): Promise<PlaceholderValues> {
    const ticket = await m.findOneBy(Ticket, { tenantId: ctx.tenantId, id: ticketId });
    if (!ticket) throw notFound('Ticket', ticketId);
    const [customer, tenant, agent] = await Promise.all([
      m.findOneBy(Customer, { tenantId: ctx.tenantId, id: ticket.customerId }),
      m.findOneBy(Tenant, { id: ctx.tenantId }),
      ctx.actor.type === 'AGENT' && ctx.actor.id ? m.findOneBy(Agent, { tenantId: ctx.tenantId, id: ctx.actor.id }) : null,
    ]);
    return {
      'customer.name': customer?.name ?? null,
      'customer.firstName': firstName(customer?.name ?? null),
      'ticket.number': String(ticket.number),
      'ticket.subject': ticket.subject,
      'order.id': ticket.orderRef,
      'agent.name': agent?.name ?? null,
      'store.name': tenant?.name ?? null,
      'sla.expectedReplyAt': ticket.slaDueAt ? formatForCustomer(ticket.slaDueAt, locale, ctx.tenantTimezone) : null,
    };
  }

  private async countUse(ctx: RequestContext, reply: CannedReply): Promise<CannedReply> {
    const lastUsedAt = new Date();
    await this.db.run(ctx, (m) => m.query(`UPDATE canned_replies SET usage_count = usage_count + 1, last_used_at = $3 WHERE tenant_id = $1 AND id = $2`, [ctx.tenantId, reply.id, lastUsedAt]));
    return Object.assign(reply, { usageCount: reply.usageCount + 1, lastUsedAt });
  }

  private checkBody(body: string) {
    const problems = checkTemplate(body);
    if (problems.length) throw badInput(`The reply text has ${problems.length === 1 ? 'a problem' : 'problems'}: ${problems.join('; ')}`, { body: problems });
  }

  private async checkShortcutFree(m: EntityManager, ctx: RequestContext, shortcut: string) {
    if (await m.existsBy(CannedReply, { tenantId: ctx.tenantId, shortcut })) {
      throw conflict(`The shortcut ${shortcut} is taken by another canned reply`);
    }
  }

  private actionsOf(input: CannedReplyInput) {
    const actions = definedFields({ ...input.actions });
    if (actions.addTags) actions.addTags = normaliseTags(actions.addTags);
    return actions;
  }

  private async ensureSeeded(ctx: RequestContext) {
    if (this.seeded.has(ctx.tenantId)) return;
    await this.db.run(ctx, (m) =>
      seedOnce(m, ctx.tenantId, 'canned-replies', async () => {
        await m.insert(
          CannedReply,
          DEFAULT_CANNED_REPLIES.map((r) => ({ ...r, tenantId: ctx.tenantId, id: uuidv7() })),
        );
      }),
    );
    this.seeded.add(ctx.tenantId);
  }
}
