import type { EntityManager } from 'typeorm';
import { deferWrite, Statement } from '../common/database/batch';
import type { TenantTransactions } from '../common/database/tenant-transactions';

/** The ticket columns a ticket's KPI facts are made of, in kpi_facts' argument order (see the DistributableSchema migration). */
const TICKET_FACT_COLUMNS = [
  'created_at',
  'solved_at',
  'closed_at',
  'channel',
  'category',
  'priority',
  'team_id',
  'assignee_id',
  'tags',
  'product_ref',
  'keywords',
  'reopen_count',
  'public_agent_reply_count',
  'sla',
  'message_count',
  'csat_sent',
  'csat_rating',
  'order_ref',
  'opens_order',
  'first_response_at',
  'first_response_business_seconds',
  'customer_tier',
  'nps_score',
];

/** A ticket's KPI facts, in the order kpi_facts returns them and kpi_deltas and kpi_ticket_facts store them. */
export const KPI_FACT_NAMES = [
  'day',
  'solved_day',
  'channel',
  'category',
  'priority',
  'team_id',
  'assignee_id',
  'tags',
  'product_ref',
  'keywords',
  'solved',
  'reopened',
  'fcr',
  'frs_met',
  'frs_breached',
  'sla_breached',
  'messages',
  'csat_sent',
  'csat_responses',
  'csat_satisfied',
  'with_order',
  'opens_order',
  'frt',
  'frt_business',
  'resolution',
  'customer_tier',
  'next_met',
  'next_breached',
  'resolution_met',
  'resolution_breached',
  'nps_responses',
  'nps_promoters',
  'nps_detractors',
];

/** `kpi_facts(…)` of the ticket row `alias`, in time zone `tz` (an SQL expression). Functions take columns: on Citus each shard has a row type of its own. */
export function kpiFactsOf(alias: string, tz: string): string {
  return `kpi_facts(${TICKET_FACT_COLUMNS.map((c) => `${alias}.${c}`).join(', ')}, ${tz})`;
}

/** `kpi_expand(…)` or `kpi_histogram_rows(…)` of the facts row `alias` (a kpi_deltas row, or kpi_facts' output), with `sign`. */
export function kpiExpansionOf(fn: 'kpi_expand' | 'kpi_histogram_rows', alias: string, sign: string, wanted = 'NULL'): string {
  return `${fn}(${sign}::smallint, ${KPI_FACT_NAMES.map((c) => `${alias}.${c}`).join(', ')}, ${wanted}::text)`;
}

const FACTS = (alias: string) => KPI_FACT_NAMES.map((c) => `${alias}.${c}`).join(', ');

/** The facts `n` of the tickets `t` read from `tickets` (a table, or a row expression of its type), in their store's time zone. */
const factsOf = (tickets: string) => `${tickets} t JOIN tenants s ON s.id = t.tenant_id CROSS JOIN LATERAL ${kpiFactsOf('t', 's.timezone')} n`;

/**
 * Whether each ticket is the first of its order (the "tickets per order" KPI): set from the
 * ticket's own order and creation time, where it changed.
 */
export function orderFlagsStatement(tenantId: string, ticketIds: readonly string[]): Statement {
  return {
    sql: `UPDATE tickets t SET opens_order = x.opens
            FROM (SELECT c.id, c.order_ref IS NOT NULL AND NOT EXISTS (
                    SELECT 1 FROM tickets o WHERE o.tenant_id = $1 AND o.order_ref IS NOT NULL AND o.order_ref = c.order_ref AND o.id <> c.id
                       AND (o.created_at, o.id) < (c.created_at, c.id)) AS opens
                    FROM tickets c WHERE c.tenant_id = $1 AND c.id = ANY($2::uuid[])) x
           WHERE t.tenant_id = $1 AND t.id = x.id AND t.opens_order IS DISTINCT FROM x.opens`,
    parameters: [tenantId, ticketIds],
    prepare: true,
  };
}

/**
 * The KPI capture of changed tickets, the app's write in the transaction that changed them: the
 * contribution each ticket counts for (kpi_ticket_facts) is compared with its facts now; where
 * they differ the old one is retracted (sign -1) and the new one appended (+1) to kpi_deltas, and
 * kept as the ticket's contribution. A deleted ticket's contribution is retracted. Running it
 * twice, or for a ticket that did not change, writes nothing: it may be run for any ticket.
 *
 * Four statements, in this order, each within one store and co-located (every INSERT … SELECT
 * takes tenant_id from the rows it reads), in shapes Citus runs: retract the changed, forget and
 * retract the deleted, append the new, keep the new. (Citus moves an
 * INSERT … SELECT it cannot push down through the coordinator, with COPY unless the INSERT has an
 * ON CONFLICT clause — and COPY refuses row-level security; kpi_deltas never conflicts, so its
 * ON CONFLICT DO NOTHING changes nothing but that.)
 */
export function kpiCaptureStatements(tenantId: string, ticketIds: readonly string[]): Statement[] {
  const parameters = [tenantId, ticketIds];
  return CAPTURE_SQL.map((sql) => ({ sql, parameters, prepare: true }));
}

// The capture's SQL is the same for every call: written once, not at each change (nor hashed to its prepared name each time).
const NAMES = KPI_FACT_NAMES.join(', ');
const CAPTURE_SQL = [
  `INSERT INTO kpi_deltas (tenant_id, sign, ${NAMES})
   SELECT o.tenant_id, -1, ${FACTS('o')} FROM kpi_ticket_facts o JOIN ${factsOf('tickets')} ON t.tenant_id = o.tenant_id AND t.id = o.ticket_id
    WHERE o.tenant_id = $1 AND o.ticket_id = ANY($2::uuid[]) AND (${FACTS('n')}) IS DISTINCT FROM (${FACTS('o')})
   ON CONFLICT DO NOTHING`,
  `WITH gone AS (
     DELETE FROM kpi_ticket_facts k WHERE k.tenant_id = $1 AND k.ticket_id = ANY($2::uuid[])
        AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.tenant_id = k.tenant_id AND t.id = k.ticket_id)
     RETURNING k.*)
   INSERT INTO kpi_deltas (tenant_id, sign, ${NAMES}) SELECT o.tenant_id, -1, ${FACTS('o')} FROM gone o
   ON CONFLICT DO NOTHING`,
  `INSERT INTO kpi_deltas (tenant_id, sign, ${NAMES})
   SELECT t.tenant_id, 1, ${FACTS('n')} FROM ${factsOf('tickets')} LEFT JOIN kpi_ticket_facts o ON o.tenant_id = t.tenant_id AND o.ticket_id = t.id
    WHERE t.tenant_id = $1 AND t.id = ANY($2::uuid[]) AND (o.ticket_id IS NULL OR (${FACTS('n')}) IS DISTINCT FROM (${FACTS('o')}))
   ON CONFLICT DO NOTHING`,
  `INSERT INTO kpi_ticket_facts AS o (tenant_id, ticket_id, ${NAMES})
   SELECT t.tenant_id, t.id, ${FACTS('n')} FROM ${factsOf('tickets')} WHERE t.tenant_id = $1 AND t.id = ANY($2::uuid[])
   ON CONFLICT (tenant_id, ticket_id) DO UPDATE SET ${KPI_FACT_NAMES.map((c) => `${c} = excluded.${c}`).join(', ')}
    WHERE (${FACTS('o')}) IS DISTINCT FROM (${FACTS('excluded')})`,
];

/**
 * The KPI capture of a ticket about to be inserted, computed from its row (as `entityRow` gives
 * it) rather than from the table: its contribution appended to kpi_deltas and kept in
 * kpi_ticket_facts — what kpiCaptureStatements would write for it at COMMIT. Sent before the
 * ticket's numbered INSERT, it runs before the store's counter row is taken, instead of while that
 * row is held until COMMIT (every create of the store queues on it). Null for a ticket that names
 * an order: whether it is the first of its order is decided against the stored tickets, at COMMIT.
 */
export function newTicketCaptureStatements(row: Record<string, unknown>): Statement[] | null {
  if (row.order_ref != null) return null;
  // Every column kpi_facts reads, as the INSERT stores it (a column left out would read as NULL here, not as its default).
  const stored: Record<string, unknown> = { ...row, opens_order: false };
  for (const column of TICKET_FACT_COLUMNS) stored[column] ??= null;
  const parameters = [JSON.stringify(stored)];
  return NEW_TICKET_CAPTURE_SQL.map((sql) => ({ sql, parameters, prepare: true }));
}

const NEW_TICKET_FACTS = factsOf('json_populate_record(null::tickets, $1)');
const NEW_TICKET_CAPTURE_SQL = [
  `INSERT INTO kpi_deltas (tenant_id, sign, ${NAMES}) SELECT t.tenant_id, 1, ${FACTS('n')} FROM ${NEW_TICKET_FACTS} ON CONFLICT DO NOTHING`,
  `INSERT INTO kpi_ticket_facts (tenant_id, ticket_id, ${NAMES}) SELECT t.tenant_id, t.id, ${FACTS('n')} FROM ${NEW_TICKET_FACTS}`,
];

/**
 * Before COMMIT of a transaction that changed tickets: their order flags, then their KPI capture,
 * as deferred writes (they ride in front of the transaction's next statement, at the latest its
 * COMMIT: no round trip of their own).
 */
export async function captureTicketFacts(manager: EntityManager, changed: ReadonlyMap<string, readonly string[]>): Promise<void> {
  for (const [tenantId, ids] of changed) {
    if (ids.length === 0) continue;
    for (const statement of [orderFlagsStatement(tenantId, ids), ...kpiCaptureStatements(tenantId, ids)]) await deferWrite(manager, statement);
  }
}

/**
 * The capture for every ticket of a store (and every ticket it counted that is gone): after
 * tickets were written outside the app's paths (a bulk load, a repair by hand).
 */
export async function captureStoreTicketFacts(db: TenantTransactions, tenantId: string): Promise<void> {
  await db.run(tenantId, async (manager) => {
    const rows: Array<{ id: string }> = await manager.query(`SELECT id FROM tickets WHERE tenant_id = $1 UNION SELECT ticket_id FROM kpi_ticket_facts WHERE tenant_id = $1`, [tenantId]);
    const ids = rows.map((r) => r.id);
    for (const statement of [orderFlagsStatement(tenantId, ids), ...kpiCaptureStatements(tenantId, ids)]) await manager.query(statement.sql, statement.parameters as unknown[]);
  });
}
