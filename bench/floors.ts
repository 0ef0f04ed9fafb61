/**
 * The raw-SQL floors of the bench's scenarios: the rows each operation reads or writes, in plain
 * SQL through `pg`, as a hand-written app would send them. The bench runs them on their own (the
 * floor) and behind the same HTTP and GraphQL stack as the app, with nothing of the app in between
 * (the stack's ceiling, `stack-ceiling-server.ts`), so both use exactly these statements.
 */
import { randomUUID } from 'node:crypto';
import type { ClientBase } from 'pg';

/** What the floors need of the bench's store. */
export interface FloorWorld {
  tenantId: string;
  /** The ticket the detail scenario reads. */
  detailTicketId: string;
  /** Open tickets the reply floor writes to. */
  replyTicketIds: string[];
}

/** Runs `work` in a transaction: BEGIN, the statements, COMMIT (each its own round trip, as `pg` sends them). */
export async function inTransaction<T>(client: ClientBase, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/**
 * A ticket opened with a new customer — customer, identity, first message, CREATED event, the
 * store's counter (upsert returning the number, taken late as the app does) and the ticket — in
 * one transaction.
 */
export function newConversation(client: ClientBase, tenantId: string, phone: string, externalId?: string): Promise<{ id: string; number: number }> {
  return inTransaction(client, async () => {
    const customer = randomUUID();
    const ticket = randomUUID();
    await client.query(`INSERT INTO customers (tenant_id, id, name) VALUES ($1, $2, 'عميل')`, [tenantId, customer]);
    await client.query(`INSERT INTO customer_identities (tenant_id, id, customer_id, kind, value) VALUES ($1, $2, $3, 'PHONE', $4)`, [tenantId, randomUUID(), customer, `+${phone}`]);
    await client.query(`INSERT INTO messages (tenant_id, id, ticket_id, author_type, body, channel, external_id) VALUES ($1, $2, $3, 'CUSTOMER', 'السلام عليكم، طلبي تأخر', 'WHATSAPP', $4)`, [
      tenantId,
      randomUUID(),
      ticket,
      externalId ?? null,
    ]);
    await client.query(`INSERT INTO ticket_events (tenant_id, id, ticket_id, type, actor_type, data) VALUES ($1, $2, $3, 'CREATED', 'SYSTEM', $4)`, [
      tenantId,
      randomUUID(),
      ticket,
      JSON.stringify({ channel: 'WHATSAPP', category: 'SHIPPING', priority: 1 }),
    ]);
    const { rows } = await client.query<{ last_number: number }>(
      `INSERT INTO ticket_counters (tenant_id, last_number) VALUES ($1, 1001) ON CONFLICT (tenant_id) DO UPDATE SET last_number = ticket_counters.last_number + 1 RETURNING last_number`,
      [tenantId],
    );
    await client.query(
      `INSERT INTO tickets (tenant_id, id, number, subject, status, priority, category, channel, customer_id, message_count, last_customer_message_at)
       VALUES ($1, $2, $3, 'تأخر توصيل الطلب', 'NEW', 1, 'SHIPPING', 'WHATSAPP', $4, 1, now())`,
      [tenantId, ticket, rows[0].last_number, customer],
    );
    return { id: ticket, number: rows[0].last_number };
  });
}

export interface ListRow {
  id: string;
  number: number;
  subject: string;
  status: string;
  priority: number;
  created_at: Date;
  customer_id: string;
  customer_name: string;
}

/** A list page: the 21 rows (page + 1 for `hasNextPage`) of open tickets joined to their customers, in one query. */
export async function listPage(client: ClientBase, tenantId: string): Promise<ListRow[]> {
  const { rows } = await client.query<ListRow>(
    `SELECT t.id, t.number, t.subject, t.status, t.priority, t.created_at, c.id AS customer_id, c.name AS customer_name
       FROM tickets t JOIN customers c ON c.tenant_id = t.tenant_id AND c.id = t.customer_id
      WHERE t.tenant_id = $1 AND t.status IN ('OPEN', 'NEW')
      ORDER BY t.created_at DESC, t.id DESC LIMIT 21`,
    [tenantId],
  );
  return rows;
}

/** A ticket with its messages and events: three selects. */
export async function ticketDetail(client: ClientBase, tenantId: string, id: string) {
  const ticket = await client.query(`SELECT id, number, subject, status, priority FROM tickets WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
  const messages = await client.query(`SELECT id, body, author_type, created_at FROM messages WHERE tenant_id = $1 AND ticket_id = $2 ORDER BY created_at, id`, [tenantId, id]);
  const events = await client.query(`SELECT type, created_at FROM ticket_events WHERE tenant_id = $1 AND ticket_id = $2 ORDER BY created_at, id`, [tenantId, id]);
  return ticket.rows[0] ? { ...ticket.rows[0], messages: messages.rows, events: events.rows } : null;
}

/** A customer's reply on an open ticket: the message, its MESSAGE_ADDED event and the ticket's counts, in one transaction. */
export function replyOnTicket(client: ClientBase, tenantId: string, ticket: string, externalId: string): Promise<void> {
  return inTransaction(client, async () => {
    const message = randomUUID();
    await client.query(`INSERT INTO messages (tenant_id, id, ticket_id, author_type, body, channel, external_id) VALUES ($1, $2, $3, 'CUSTOMER', 'شكراً', 'WHATSAPP', $4)`, [
      tenantId,
      message,
      ticket,
      externalId,
    ]);
    await client.query(`INSERT INTO ticket_events (tenant_id, id, ticket_id, type, actor_type, data) VALUES ($1, $2, $3, 'MESSAGE_ADDED', 'CUSTOMER', $4)`, [
      tenantId,
      randomUUID(),
      ticket,
      JSON.stringify({ messageId: message, authorType: 'CUSTOMER', internal: false }),
    ]);
    await client.query(`UPDATE tickets SET message_count = message_count + 1, last_customer_message_at = now(), updated_at = now() WHERE tenant_id = $1 AND id = $2`, [tenantId, ticket]);
  });
}
