import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { TenantTransactions } from '../common/database/tenant-transactions';
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
      await this.attachIdentities(manager, ctx, customer.id, identities);
      return customer;
    }
    if (identities.length === 0) {
      throw badInput('The customer needs an id or at least one of email, phone, whatsapp, instagram, x, facebook, externalId', {
        customer: ['no id or identity given'],
      });
    }

    const lockKeys = identities.map((i) => `${ctx.tenantId}:${i.kind}:${i.value}`).sort();
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k', [lockKeys]);

    const known: Array<{ kind: string; value: string; id: string; name: string | null; tier: CustomerTier; created_at: Date; updated_at: Date }> =
      await manager.query(
        `SELECT i.kind, i.value, c.id, c.name, c.tier, c.created_at, c.updated_at
           FROM customer_identities i
           JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
          WHERE i.tenant_id = $1 AND (i.kind, i.value) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
        [ctx.tenantId, identities.map((i) => i.kind), identities.map((i) => i.value)],
      );
    const match = identities.map((i) => known.find((k) => k.kind === i.kind && k.value === i.value)).find(Boolean);

    if (match) {
      const customer = manager.create(Customer, {
        tenantId: ctx.tenantId,
        id: match.id,
        name: match.name,
        tier: match.tier,
        createdAt: match.created_at,
        updatedAt: match.updated_at,
      });
      const unknown = identities.filter((i) => !known.some((k) => k.kind === i.kind && k.value === i.value));
      await this.attachIdentities(manager, ctx, customer.id, unknown);
      if (!customer.name && ref.name) {
        customer.name = ref.name;
        await manager.update(Customer, { tenantId: ctx.tenantId, id: customer.id }, { name: ref.name });
      }
      return customer;
    }

    const customer = manager.create(Customer, {
      tenantId: ctx.tenantId,
      id: uuidv7(),
      name: ref.name ?? null,
      tier: ref.tier ?? CustomerTier.STANDARD,
    });
    const inserted = await manager.insert(Customer, customer);
    Object.assign(customer, inserted.generatedMaps[0]);
    await this.attachIdentities(manager, ctx, customer.id, identities);
    return customer;
  }

  /** Adds identities not yet known; one already belonging to another customer stays with it. */
  private async attachIdentities(manager: EntityManager, ctx: RequestContext, customerId: string, identities: IdentityValue[]) {
    if (identities.length === 0) return;
    await manager
      .createQueryBuilder()
      .insert()
      .into(CustomerIdentity)
      .values(identities.map((i) => ({ tenantId: ctx.tenantId, id: uuidv7(), customerId, kind: i.kind, value: i.value })))
      .orIgnore()
      .execute();
  }

  async byIds(tenantId: string, ids: readonly string[]): Promise<Customer[]> {
    return this.db.read(tenantId, (m) => m.findBy(Customer, { tenantId, id: In([...ids]) }));
  }

  async get(ctx: RequestContext, id: string): Promise<Customer> {
    const customer = await this.db.read(ctx.tenantId, (m) => m.findOneBy(Customer, { tenantId: ctx.tenantId, id }));
    if (!customer) throw notFound('Customer', id);
    return customer;
  }

  async identitiesOf(tenantId: string, customerIds: readonly string[]): Promise<CustomerIdentity[]> {
    return this.db.read(tenantId, (m) =>
      m.find(CustomerIdentity, { where: { tenantId, customerId: In([...customerIds]) }, order: { createdAt: 'ASC', id: 'ASC' } }),
    );
  }
}
