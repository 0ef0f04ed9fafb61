import { statSync } from 'node:fs';
import { basename } from 'node:path';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { insertEntities } from '../../common/database/insert-rows';
import { TenantTransactions } from '../../common/database/tenant-transactions';
import { DomainError } from '../../common/errors/domain-error';
import { RequestContext, storeSystemContext } from '../../common/request-context';
import { CategoryRule, DEFAULT_CATEGORY_RULES, DEFAULT_PRIORITY_POLICY, decideRouting, PreparedRules, prepareRules } from '../../routing/routing-decision';
import { identitiesOf, IdentityValue, InvalidIdentityError } from '../customer-identity';
import { CustomersService } from '../customers.service';
import { Message } from '../entities/message.entity';
import { Ticket } from '../entities/ticket.entity';
import { TicketCategory, TicketEventType } from '../ticket-enums';
import { insertTicketEvents } from '../ticket-events';
import { writeTicketDocuments } from '../ticket-search-document';
import { formatOf, ImportFormat, readImportFile } from './import-reader';
import { ImportJob, ImportJobStatus, MAX_KEPT_ERRORS } from './import-job.entity';
import { checkedEmail, idOf, ImportedTicket, isAgent, mapTicket, RecordError, ZendeskUser } from './zendesk-records';

/** Tickets written per transaction; a batch that fails is retried ticket by ticket, so one bad ticket costs only itself. */
const BATCH = 250;
const KEY_PREFIX = 'import:';

type Report = (line: number, reason: string) => void;

interface PendingUser {
  line: number;
  /** The Zendesk user id. */
  id: string;
  identities: IdentityValue[];
  name: string | null;
}

/**
 * Imports a help-desk export into one store, streamed: records are read one by one, tickets are
 * written in batches (each ticket with its customer, messages, audit event and search document,
 * all or nothing), and the job row shows the progress. Imported tickets keep their history —
 * status, times, who wrote what — and skip routing, assignment, SLA clocks, surveys and webhooks:
 * they already happened. A ticket whose external id is already in the store is skipped, so a
 * re-run (after a crash, or of a file that grew) imports nothing twice.
 */
export class TicketImporter {
  private readonly customerService: CustomersService;
  /** Zendesk user id → customer, for requesters committed in this run. */
  private readonly customers = new Map<string, { id: string; name: string | null }>();
  /** Zendesk user id → name, for agents and admins. */
  private readonly agentNames = new Map<string, string>();
  /** Users read but not yet written: they go in batches, ahead of the tickets that follow them. */
  private readonly pendingUsers: PendingUser[] = [];
  private rules!: PreparedRules;

  constructor(private readonly db: TenantTransactions) {
    this.customerService = new CustomersService(this.db);
  }

  async run(tenantId: string, path: string, options: { format?: ImportFormat; onProgress?: (job: ImportJob) => void } = {}): Promise<ImportJob> {
    const ctx = await storeSystemContext((sql, parameters) => this.db.read(tenantId, (m) => m.query(sql, parameters)), tenantId);
    if (!ctx) throw new DomainError('NOT_FOUND', `Store ${tenantId} not found`);
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      throw new DomainError('BAD_USER_INPUT', `Cannot read ${path}`);
    }
    this.rules = await this.loadRules(tenantId);
    const format = options.format ?? formatOf(path);
    const job = new ImportJob();
    Object.assign(job, {
      tenantId,
      id: uuidv7(),
      source: 'zendesk',
      fileName: basename(path),
      format,
      status: ImportJobStatus.RUNNING,
      bytesTotal: size,
      bytesRead: 0,
      ticketsImported: 0,
      ticketsSkipped: 0,
      messagesImported: 0,
      usersRead: 0,
      errorCount: 0,
      errors: [] as string[],
      failure: null,
      startedAt: new Date(),
      finishedAt: null,
      updatedAt: new Date(),
    });
    await this.db.run(ctx, (m) => m.insert(ImportJob, job));

    let bytesRead = 0;
    let batch: Array<{ line: number; ticket: ImportedTicket }> = [];
    const report: Report = (line, reason) => {
      job.errorCount++;
      if (job.errors.length < MAX_KEPT_ERRORS) job.errors.push(`line ${line}: ${reason}`);
    };
    const flush = async () => {
      await this.writeUsers(ctx, report);
      await this.writeBatch(ctx, job, batch, report);
      batch = [];
      job.bytesRead = bytesRead;
      await this.saveProgress(ctx, job);
      options.onProgress?.(job);
    };
    try {
      for await (const item of readImportFile(path, format, (bytes) => (bytesRead = bytes))) {
        if (item.kind === 'error') report(item.line, item.reason);
        else if (item.kind === 'user') {
          this.readUser(ctx, job, item.user, item.line, report);
          if (this.pendingUsers.length >= BATCH) await this.writeUsers(ctx, report);
        } else {
          try {
            batch.push({ line: item.line, ticket: mapTicket(item.ticket, this.agentNames) });
          } catch (error) {
            if (!(error instanceof RecordError)) throw error;
            report(item.line, `ticket ${item.ticket.id ?? '?'}: ${error.message}`);
          }
          if (batch.length >= BATCH) await flush();
        }
      }
      await flush();
      job.status = ImportJobStatus.COMPLETED;
    } catch (error) {
      job.status = ImportJobStatus.FAILED;
      job.failure = error instanceof Error ? error.message : String(error);
    }
    job.finishedAt = new Date();
    job.bytesRead = job.status === ImportJobStatus.COMPLETED ? size : bytesRead;
    await this.saveProgress(ctx, job);
    options.onProgress?.(job);
    return job;
  }

  /** An agent is remembered by name (for the messages they wrote); anyone else waits to become (or enrich) a customer with the next batch. */
  private readUser(ctx: RequestContext, job: ImportJob, user: ZendeskUser, line: number, report: Report) {
    job.usersRead++;
    const id = idOf(user.id)?.trim();
    if (!id) return report(line, 'user id is missing');
    if (isAgent(user)) {
      this.agentNames.set(id, user.name?.trim() || `Agent ${id}`);
      return;
    }
    try {
      const email = checkedEmail(user.email, 'email') ?? undefined;
      const identities = identitiesOf({ externalId: `zendesk:${id}`, email, phone: user.phone || undefined }, ctx.tenantCountry);
      this.pendingUsers.push({ line, id, identities, name: user.name?.trim() || null });
    } catch (error) {
      if (!(error instanceof InvalidIdentityError) && !(error instanceof RecordError)) throw error;
      report(line, `user ${id}: ${error.message}`);
    }
  }

  /** The waiting users in one transaction. */
  private async writeUsers(ctx: RequestContext, report: Report) {
    await inBatchElseEach(
      this.pendingUsers.splice(0),
      report,
      (user) => `user ${user.id}`,
      async (users) => {
        const customers = await this.db.run(ctx, (m) => this.customerService.resolveIdentified(m, ctx, users));
        users.forEach((user, i) => this.customers.set(user.id, { id: customers[i].id, name: customers[i].name }));
      },
    );
  }

  private async writeBatch(ctx: RequestContext, job: ImportJob, batch: Array<{ line: number; ticket: ImportedTicket }>, report: Report) {
    await inBatchElseEach(
      batch,
      report,
      (b) => `ticket ${b.ticket.externalId.replace(/^zendesk:/, '')}`,
      async (some) =>
        this.count(
          job,
          await this.write(
            ctx,
            job,
            some.map((b) => b.ticket),
          ),
        ),
    );
  }

  /** One transaction; the customers it created are remembered only once it has committed. */
  private async write(ctx: RequestContext, job: ImportJob, tickets: ImportedTicket[]) {
    const created = new Map<string, { id: string; name: string | null }>();
    const counts = await this.db.run(ctx, (m) => this.writeTickets(m, ctx, job, tickets, created));
    for (const [id, customer] of created) this.customers.set(id, customer);
    return counts;
  }

  private count(job: ImportJob, counts: { imported: number; skipped: number; messages: number }) {
    job.ticketsImported += counts.imported;
    job.ticketsSkipped += counts.skipped;
    job.messagesImported += counts.messages;
  }

  private async writeTickets(m: EntityManager, ctx: RequestContext, job: ImportJob, tickets: ImportedTicket[], created: Map<string, { id: string; name: string | null }>) {
    const keys = tickets.map((t) => KEY_PREFIX + t.externalId);
    const existing: Array<{ idempotency_key: string }> = await m.query(`SELECT idempotency_key FROM tickets WHERE tenant_id = $1 AND idempotency_key = ANY($2)`, [ctx.tenantId, keys]);
    const done = new Set(existing.map((e) => e.idempotency_key));
    // The same ticket twice in one batch counts once.
    const fresh = tickets.filter((t) => !done.has(KEY_PREFIX + t.externalId) && (done.add(KEY_PREFIX + t.externalId), true));
    if (fresh.length === 0) return { imported: 0, skipped: tickets.length, messages: 0 };

    const [{ last_number: last }] = await m.query(
      `INSERT INTO ticket_counters (tenant_id, last_number) VALUES ($1, 1000 + $2)
       ON CONFLICT (tenant_id) DO UPDATE SET last_number = ticket_counters.last_number + $2 RETURNING last_number`,
      [ctx.tenantId, fresh.length],
    );
    const customers = await this.customersFor(m, ctx, fresh, created);
    const rows: Array<Partial<Ticket>> = [];
    const messages: Array<Partial<Message>> = [];
    for (const [i, t] of fresh.entries()) {
      const id = uuidv7();
      const customer = customers[i];
      const firstCustomer = t.messages.find((msg) => msg.authorType === 'CUSTOMER') ?? t.messages[0];
      rows.push({
        tenantId: ctx.tenantId,
        id,
        number: last - fresh.length + 1 + i,
        subject: t.subject,
        status: t.status,
        priority: t.priority,
        category: decideRouting({ subject: t.subject, body: firstCustomer.body, channel: t.channel, tier: 'STANDARD' }, this.rules, DEFAULT_PRIORITY_POLICY, [], null).category as TicketCategory,
        channel: t.channel,
        customerId: customer.id,
        assigneeId: null,
        teamId: null,
        tags: t.tags,
        customFields: { importedFrom: 'zendesk', externalId: t.externalId.replace(/^zendesk:/, '') },
        orderRef: t.orderRef,
        productRef: null,
        idempotencyKey: KEY_PREFIX + t.externalId,
        idempotencyFingerprint: null,
        followUpOfId: null,
        mergedIntoId: null,
        reopenCount: 0,
        firstResponseBusinessSeconds: null,
        csatSent: false,
        csatRating: null,
        sla: null,
        slaNextCheckAt: null,
        slaDueAt: null,
        slaHealth: null,
        ...t.facts,
        createdAt: t.createdAt,
        updatedAt: t.updatedAt,
      });
      for (const msg of t.messages) {
        messages.push({
          tenantId: ctx.tenantId,
          id: uuidv7(),
          ticketId: id,
          authorType: msg.authorType,
          authorId: msg.authorType === 'CUSTOMER' ? customer.id : null,
          authorName: msg.authorName ?? (msg.authorType === 'CUSTOMER' ? customer.name : null),
          internal: msg.internal,
          body: msg.body,
          channel: t.channel,
          externalId: msg.externalId,
          mailboxId: null,
          messagingChannelId: null,
          content: null,
          deliveryStatus: null,
          deliveryError: null,
          deliveredAt: null,
          createdAt: msg.createdAt,
        });
      }
    }
    await insertEntities(m, Ticket, rows);
    await insertEntities(m, Message, messages);
    await insertTicketEvents(
      m,
      ctx.actor,
      rows.map((r, i) => ({ tenantId: ctx.tenantId, ticketId: r.id!, type: TicketEventType.CREATED, data: { imported: 'zendesk', externalId: fresh[i].externalId, importJobId: job.id } })),
    );
    await writeTicketDocuments(
      (sql, parameters) => m.query(sql, parameters),
      ctx.tenantId,
      rows.map((r) => r.id!),
    );
    return { imported: fresh.length, skipped: tickets.length - fresh.length, messages: messages.length };
  }

  /** Each ticket's requester: known from this run, else found or created (all of the batch's at once). */
  private async customersFor(m: EntityManager, ctx: RequestContext, tickets: ImportedTicket[], created: Map<string, { id: string; name: string | null }>) {
    const zendeskIds = tickets.map((t) => t.requester.externalId?.replace(/^zendesk:/, ''));
    const found = zendeskIds.map((id) => (id ? (this.customers.get(id) ?? created.get(id)) : undefined));
    const missing = tickets.flatMap((_, i) => (found[i] ? [] : [i]));
    if (missing.length) {
      const people = missing.map((i) => {
        const { requester } = tickets[i];
        const identities = identitiesOf({ externalId: requester.externalId ?? undefined, email: requester.email ?? undefined, phone: requester.phone ?? undefined }, ctx.tenantCountry);
        return { identities, name: requester.name };
      });
      const resolved = await this.customerService.resolveIdentified(m, ctx, people);
      missing.forEach((i, k) => {
        found[i] = { id: resolved[k].id, name: resolved[k].name };
        if (zendeskIds[i]) created.set(zendeskIds[i], found[i]);
      });
    }
    return found as Array<{ id: string; name: string | null }>;
  }

  private async saveProgress(ctx: RequestContext, job: ImportJob) {
    job.updatedAt = new Date();
    await this.db.run(ctx, (m) =>
      m.update(
        ImportJob,
        { tenantId: job.tenantId, id: job.id },
        {
          status: job.status,
          bytesRead: job.bytesRead,
          ticketsImported: job.ticketsImported,
          ticketsSkipped: job.ticketsSkipped,
          messagesImported: job.messagesImported,
          usersRead: job.usersRead,
          errorCount: job.errorCount,
          errors: job.errors,
          failure: job.failure,
          finishedAt: job.finishedAt,
        },
      ),
    );
  }

  /** The store's category rules (its defaults until it has edited none). */
  private async loadRules(tenantId: string): Promise<PreparedRules> {
    const rows: CategoryRule[] = await this.db.read(tenantId, (m) =>
      m.query(`SELECT id, name, position, category, phrases, channels, tiers FROM routing_rules WHERE tenant_id = $1 AND active`, [tenantId]),
    );
    const rules = rows.length ? rows : DEFAULT_CATEGORY_RULES.map((rule, i) => ({ ...rule, id: `default-${i}` }));
    return prepareRules(rules, DEFAULT_PRIORITY_POLICY);
  }
}

/**
 * Writes `items` in one go; when that fails, each on its own, so one bad record costs only itself
 * and is reported with its line and the reason.
 */
async function inBatchElseEach<T extends { line: number }>(items: T[], report: Report, label: (item: T) => string, write: (some: T[]) => Promise<void>) {
  if (items.length === 0) return;
  try {
    await write(items);
  } catch {
    for (const item of items) {
      try {
        await write([item]);
      } catch (error) {
        report(item.line, `${label(item)}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
