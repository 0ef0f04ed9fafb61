import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { batch, Statement, writeWithNext } from '../common/database/batch';
import { entityReader, selectEntities } from '../common/database/entity-rows';
import { byKeys, groupByKeys, LoaderRegistry } from '../common/graphql/loaders';
import { TenantScope, TenantTransactions, tenantOf } from '../common/database/tenant-transactions';
import { badInput, DomainError, notFound } from '../common/errors/domain-error';
import type { RequestContext } from '../common/request-context';
import { identitiesOf, IdentityValue, InvalidIdentityError } from './customer-identity';
import { CustomerRefInput } from './dto/customer-ref.input';
import { CustomerIdentity } from './entities/customer-identity.entity';
import { Customer } from './entities/customer.entity';
import { CustomerTier } from './ticket-enums';

/** The identities of customers created in this process's requests, as written (see remember). */
const allIdentitiesOf = new WeakMap<Customer, CustomerIdentity[]>();
/** The identity values of customers resolved by identity in this process's requests, those just attached included (see knownIdentityValues). */
const identityValuesOf = new WeakMap<Customer, string[]>();
/** Customers resolve() has just created (see justCreated). */
const createdByResolve = new WeakSet<Customer>();

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
    // The lock and the look-up travel together; the look-up is a statement of its own, so it sees
    // what a concurrent first contact committed while the lock waited for it.
    const [, known] = await batch(manager, [
      identityLocks(ctx.tenantId, all),
      {
        // Driven by the wanted identities, one unique-index probe each, whatever the plan's estimates.
        // With all the customer's identity values, which a new ticket's search document needs.
        sql: `SELECT i.kind, i.value, ${CUSTOMER_COLUMNS},
                     (SELECT array_agg(a.value) FROM customer_identities a WHERE a.tenant_id = c.tenant_id AND a.customer_id = c.id) AS identity_values
                FROM unnest($2::text[], $3::text[]) AS wanted(kind, value)
                JOIN customer_identities i ON i.tenant_id = $1 AND i.kind = wanted.kind AND i.value = wanted.value
                JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id`,
        parameters: [ctx.tenantId, all.map((i) => i.kind), all.map((i) => i.value)],
        // Not prepared: cheap to plan, and a plan kept from a moment with no statistics on the
        // identities (a new store, a fresh bench cluster) scanned them all for every look-up.
      },
    ]);
    const owner = new Map<string, Customer>();
    for (const row of known) {
      const customer = customerFromRow(manager, row);
      identityValuesOf.set(customer, [...(row.identity_values as string[])]);
      owner.set(`${row.kind}:${row.value}`, customer);
    }
    const createdCustomers: Customer[] = [];
    const named = new Set<Customer>();
    const attach: Array<{ customerId: string; identity: IdentityValue }> = [];
    const customers = people.map((person) => {
      let customer = person.identities.map((i) => owner.get(keyOf(i))).find(Boolean);
      if (!customer) {
        customer = manager.create(Customer, { tenantId: ctx.tenantId, id: uuidv7(), name: person.name, tier: person.tier ?? CustomerTier.STANDARD });
        identityValuesOf.set(customer, []);
        createdCustomers.push(customer);
        createdByResolve.add(customer);
      } else if (!customer.name && person.name) {
        customer.name = person.name;
        named.add(customer);
      }
      for (const identity of person.identities) {
        if (owner.has(keyOf(identity))) continue;
        owner.set(keyOf(identity), customer);
        identityValuesOf.get(customer)!.push(identity.value);
        attach.push({ customerId: customer.id, identity });
      }
      return customer;
    });
    // The new customers, the names learnt and the new identities go with the transaction's next
    // statement (every later statement sees them written); what their insert returns completes the
    // customers when it comes back with that statement. The advisory locks, taken above, hold until
    // COMMIT, so a concurrent first contact still waits for them.
    const writes: Statement[] = [];
    if (createdCustomers.length) {
      writes.push({
        sql: `INSERT INTO customers (tenant_id, id, name, tier) SELECT tenant_id, id, name, tier FROM json_populate_recordset(null::customers, $1) RETURNING ${CUSTOMER_COLUMNS.replace(/c\./g, '')}`,
        parameters: [JSON.stringify(createdCustomers.map((c) => ({ tenant_id: c.tenantId, id: c.id, name: c.name, tier: c.tier })))],
      });
    }
    for (const customer of named) writes.push({ sql: 'UPDATE customers SET name = $3 WHERE tenant_id = $1 AND id = $2', parameters: [ctx.tenantId, customer.id, customer.name] });
    if (attach.length) writes.push(this.attachStatement(ctx, attach));
    if (writes.length) await writeWithNext(manager, writes, (results) => this.stored(manager, createdCustomers, attach.length > 0, results));
    return customers;
  }

  /** Completes the customers created by resolveIdentified from what their insert returned. */
  private stored(manager: EntityManager, created: Customer[], attached: boolean, results: Array<Array<Record<string, unknown>>>) {
    if (created.length) {
      const stored = new Map(results[0].map((row) => [row.id as string, row]));
      for (const customer of created) Object.assign(customer, customerFromRow(manager, stored.get(customer.id)!));
      // A new customer's identities are exactly those just written: a request answering with them reads nothing more (see remember).
      const readIdentity = entityReader(manager, CustomerIdentity);
      const written = (attached ? results[results.length - 1].map(readIdentity) : []).sort((a, b) => (a.id < b.id ? -1 : 1)); // uuidv7: creation order
      for (const customer of created)
        allIdentitiesOf.set(
          customer,
          written.filter((identity) => identity.customerId === customer.id),
        );
    }
  }

  /** Whether resolve() created this customer (in the caller's transaction): a customer with no tickets yet. */
  justCreated(customer: Customer): boolean {
    return createdByResolve.has(customer);
  }

  /**
   * The identity values of a customer resolveIdentified returned (all of them: those it had and
   * those just attached), so that a new ticket's search document needs no read of them; undefined
   * for a customer found another way.
   */
  knownIdentityValues(customer: Customer): readonly string[] | undefined {
    return identityValuesOf.get(customer);
  }

  /**
   * Adds identities not yet known; one already belonging to another customer stays with it. Under
   * the same locks as resolveIdentified: a customer it creates is written with the identities its
   * look-up found free, and a new ticket's search document names them before the insert has run.
   */
  private async attachIdentities(manager: EntityManager, ctx: RequestContext, attach: Array<{ customerId: string; identity: IdentityValue }>) {
    if (attach.length)
      await batch(manager, [
        identityLocks(
          ctx.tenantId,
          attach.map((a) => a.identity),
        ),
        this.attachStatement(ctx, attach),
      ]);
  }

  private attachStatement(ctx: RequestContext, attach: Array<{ customerId: string; identity: IdentityValue }>): Statement {
    return {
      sql: `INSERT INTO customer_identities (tenant_id, id, customer_id, kind, value)
            SELECT tenant_id, id, customer_id, kind, value FROM json_populate_recordset(null::customer_identities, $1) ON CONFLICT DO NOTHING RETURNING *`,
      parameters: [JSON.stringify(attach.map(({ customerId, identity }) => ({ tenant_id: ctx.tenantId, id: uuidv7(), customer_id: customerId, kind: identity.kind, value: identity.value })))],
    };
  }

  /**
   * A customer known by no identity yet: an anonymous chat visitor. What such a visitor types as
   * their email or phone is not attached as an identity (it is not verified: attaching it would
   * hand the visitor the conversations of whoever owns that address).
   */
  async createUnidentified(ctx: RequestContext, name: string | null): Promise<Customer> {
    return this.db.run(ctx, (m) => m.save(m.create(Customer, { tenantId: ctx.tenantId, id: uuidv7(), name, tier: CustomerTier.STANDARD })));
  }

  /** Names a customer who has no name yet (a chat visitor who typed one); a known name stays. */
  async nameIfUnnamed(ctx: RequestContext, customerId: string, name: string): Promise<void> {
    await this.db.run(ctx, (m) => m.query(`UPDATE customers SET name = $3 WHERE tenant_id = $1 AND id = $2 AND name IS NULL`, [ctx.tenantId, customerId, name]));
  }

  /** The customer of a verified identity (found, or created with it). */
  async resolveVerified(ctx: RequestContext, ref: CustomerRefInput): Promise<Customer> {
    return this.db.run(ctx, (m) => this.resolve(m, ctx, ref));
  }

  /** A customer by id within a GraphQL request: every customer the request asks for in one query. */
  loadById(loaders: LoaderRegistry, tenantId: string, id: string): Promise<Customer | null> {
    return this.loader(loaders, tenantId).load(id);
  }

  /** Hands the request's loaders a customer the request has just written (and, when it created it, its identities), so resolving them costs no query. */
  remember(loaders: LoaderRegistry, customer: Customer): void {
    this.loader(loaders, customer.tenantId).prime(customer.id, customer);
    const identities = allIdentitiesOf.get(customer);
    if (identities) this.identitiesLoader(loaders, customer.tenantId).prime(customer.id, identities);
  }

  /** Hands the request's loader customers it has just read with something else. */
  rememberAll(loaders: LoaderRegistry, customers: readonly Customer[]): void {
    for (const customer of customers) this.loader(loaders, customer.tenantId).prime(customer.id, customer);
  }

  /** A customer's identities within a GraphQL request: every customer's the request asks for in one query. */
  loadIdentities(loaders: LoaderRegistry, tenantId: string, customerId: string): Promise<CustomerIdentity[]> {
    return this.identitiesLoader(loaders, tenantId).load(customerId);
  }

  private identitiesLoader(loaders: LoaderRegistry, tenantId: string) {
    return loaders.get<string, CustomerIdentity[]>('identitiesByCustomer', async (ids) => groupByKeys(ids, await this.identitiesOf(loaders.scope(tenantId), ids), (i) => i.customerId));
  }

  private loader(loaders: LoaderRegistry, tenantId: string) {
    return loaders.get<string, Customer | null>('customerById', async (ids) => byKeys(ids, await this.byIds(loaders.scope(tenantId), ids), (c) => c.id));
  }

  async byIds(scope: TenantScope, ids: readonly string[]): Promise<Customer[]> {
    const tenantId = tenantOf(scope);
    return this.db.read(scope, (m) => selectEntities(m, Customer, 'WHERE tenant_id = $1 AND id = ANY($2)', [tenantId, ids]));
  }

  async get(ctx: RequestContext, id: string): Promise<Customer> {
    const customer = await this.db.read(ctx, (m) => m.findOneBy(Customer, { tenantId: ctx.tenantId, id }));
    if (!customer) throw notFound('Customer', id);
    return customer;
  }

  async identitiesOf(scope: TenantScope, customerIds: readonly string[]): Promise<CustomerIdentity[]> {
    const tenantId = tenantOf(scope);
    return this.db.read(scope, (m) => selectEntities(m, CustomerIdentity, 'WHERE tenant_id = $1 AND customer_id = ANY($2) ORDER BY created_at, id', [tenantId, customerIds]));
  }
}

/**
 * Transaction-scoped advisory locks on identities, so that concurrent writers of the same identity
 * (two first contacts, an identity attached to a known customer) take turns. Sorted, so two writers
 * wanting some of the same identities cannot deadlock.
 */
function identityLocks(tenantId: string, identities: readonly IdentityValue[]): Statement {
  return { sql: 'SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k', parameters: [identities.map((i) => `${tenantId}:${i.kind}:${i.value}`).sort()] };
}

/** Every column of a customer, as `customerFromRow` reads them. */
const CUSTOMER_COLUMNS = 'c.tenant_id, c.id, c.name, c.tier, c.tier_source, c.lifetime_value, c.order_count, c.merged_into_id, c.created_at, c.updated_at';

function customerFromRow(manager: EntityManager, row: Record<string, unknown>): Customer {
  return manager.create(Customer, {
    tenantId: row.tenant_id as string,
    id: row.id as string,
    name: row.name as string | null,
    tier: row.tier as CustomerTier,
    tierSource: row.tier_source as Customer['tierSource'],
    lifetimeValue: Number(row.lifetime_value),
    orderCount: row.order_count as number,
    mergedIntoId: row.merged_into_id as string | null,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  });
}
