import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { TenantScope, TenantTransactions, tenantOf } from '../common/database/tenant-transactions';
import { badInput, DomainError, notFound } from '../common/errors/domain-error';
import type { RequestContext } from '../common/request-context';
import { identitiesOf, IdentityValue, InvalidIdentityError } from './customer-identity';
import { CustomerRefInput } from './dto/customer-ref.input';
import { CustomerIdentity } from './entities/customer-identity.entity';
import { Customer } from './entities/customer.entity';
import { CustomerTier } from './ticket-enums';

@Injectable()
export class CustomersService {
  constructor(private readonly db: TenantTransactions) {}

  /**
   * Finds the customer a ticket or message is from, creating it when no identity is known.
   * One customer across channels: identities given together are attached to the same customer.
   * Transaction-scoped advisory locks on the identities make concurrent first contacts from the
   * same person (two WhatsApp messages in one second) resolve to one customer.
   */
  async resolve(manager: EntityManager, ctx: RequestContext, ref: CustomerRefInput): Promise<Customer> {
    let identities: IdentityValue[];
    try {
      identities = identitiesOf(ref, ctx.tenantCountry);
    } catch (error) {
      if (error instanceof InvalidIdentityError) throw badInput(error.message, { [`customer.${error.field}`]: [error.message] });
      throw error;
    }

    if (ref.id) {
      let customer = await manager.findOneBy(Customer, { tenantId: ctx.tenantId, id: ref.id });
      // A merged customer's id still works: it leads to the customer it was merged into.
      if (customer?.mergedIntoId) customer = await manager.findOneBy(Customer, { tenantId: ctx.tenantId, id: customer.mergedIntoId });
      if (!customer) throw new DomainError('NOT_FOUND', `Customer ${ref.id} not found`, { 'customer.id': ['no such customer'] });
      await this.attachIdentities(
        manager,
        ctx,
        identities.map((identity) => ({ customerId: customer.id, identity })),
      );
      return customer;
    }
    if (identities.length === 0) {
      throw badInput('The customer needs an id or at least one of email, phone, whatsapp, instagram, x, facebook, externalId', {
        customer: ['no id or identity given'],
      });
    }
    const [customer] = await this.resolveIdentified(manager, ctx, [{ identities, name: ref.name ?? null, tier: ref.tier ?? CustomerTier.STANDARD }]);
    return customer;
  }

  /**
   * resolve() for many people at once (an import's users): each entry's customer, in order, with
   * the same rules — the first known identity decides, the unknown ones are attached to it, a
   * nameless customer takes the given name — in a few statements whatever their number. Two
   * entries sharing an identity are one customer. Entries must have at least one identity.
   */
  async resolveIdentified(manager: EntityManager, ctx: RequestContext, people: ReadonlyArray<{ identities: IdentityValue[]; name: string | null; tier?: CustomerTier }>): Promise<Customer[]> {
    const keyOf = (i: IdentityValue) => `${i.kind}:${i.value}`;
    const all = [...new Map(people.flatMap((p) => p.identities).map((i) => [keyOf(i), i])).values()];
    // Sorted, so two writers wanting some of the same identities cannot deadlock.
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k', [all.map((i) => `${ctx.tenantId}:${i.kind}:${i.value}`).sort()]);
    const known: Array<{ kind: string; value: string; id: string; name: string | null; tier: CustomerTier; created_at: Date; updated_at: Date }> = all.length
      ? await manager.query(
          `SELECT i.kind, i.value, c.id, c.name, c.tier, c.created_at, c.updated_at
             FROM customer_identities i
             JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
            WHERE i.tenant_id = $1 AND (i.kind, i.value) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
          [ctx.tenantId, all.map((i) => i.kind), all.map((i) => i.value)],
        )
      : [];
    const owner = new Map<string, Customer>();
    for (const k of known) {
      owner.set(`${k.kind}:${k.value}`, manager.create(Customer, { tenantId: ctx.tenantId, id: k.id, name: k.name, tier: k.tier, createdAt: k.created_at, updatedAt: k.updated_at }));
    }
    const created: Customer[] = [];
    const named = new Set<Customer>();
    const attach: Array<{ customerId: string; identity: IdentityValue }> = [];
    const customers = people.map((person) => {
      let customer = person.identities.map((i) => owner.get(keyOf(i))).find(Boolean);
      if (!customer) {
        customer = manager.create(Customer, { tenantId: ctx.tenantId, id: uuidv7(), name: person.name, tier: person.tier ?? CustomerTier.STANDARD });
        created.push(customer);
      } else if (!customer.name && person.name) {
        customer.name = person.name;
        named.add(customer);
      }
      for (const identity of person.identities) {
        if (owner.has(keyOf(identity))) continue;
        owner.set(keyOf(identity), customer);
        attach.push({ customerId: customer.id, identity });
      }
      return customer;
    });
    if (created.length) {
      const inserted = await manager.insert(Customer, created);
      created.forEach((customer, i) => Object.assign(customer, inserted.generatedMaps[i]));
      for (const customer of created) named.delete(customer);
    }
    for (const customer of named) await manager.update(Customer, { tenantId: ctx.tenantId, id: customer.id }, { name: customer.name });
    await this.attachIdentities(manager, ctx, attach);
    return customers;
  }

  /** Adds identities not yet known; one already belonging to another customer stays with it. */
  private async attachIdentities(manager: EntityManager, ctx: RequestContext, attach: Array<{ customerId: string; identity: IdentityValue }>) {
    if (attach.length === 0) return;
    await manager
      .createQueryBuilder()
      .insert()
      .into(CustomerIdentity)
      .values(attach.map(({ customerId, identity }) => ({ tenantId: ctx.tenantId, id: uuidv7(), customerId, kind: identity.kind, value: identity.value })))
      .orIgnore()
      .execute();
  }

  async byIds(scope: TenantScope, ids: readonly string[]): Promise<Customer[]> {
    const tenantId = tenantOf(scope);
    return this.db.read(scope, (m) => m.findBy(Customer, { tenantId, id: In([...ids]) }));
  }

  async get(ctx: RequestContext, id: string): Promise<Customer> {
    const customer = await this.db.read(ctx, (m) => m.findOneBy(Customer, { tenantId: ctx.tenantId, id }));
    if (!customer) throw notFound('Customer', id);
    return customer;
  }

  async identitiesOf(scope: TenantScope, customerIds: readonly string[]): Promise<CustomerIdentity[]> {
    const tenantId = tenantOf(scope);
    return this.db.read(scope, (m) =>
      m.find(CustomerIdentity, { where: { tenantId, customerId: In([...customerIds]) }, order: { createdAt: 'ASC', id: 'ASC' } }),
    );
  }
}
