import type { Statement } from '../common/database/batch';
import { searchDocument } from '../common/text/search-text';

/**
 * What a ticket is found by, besides its messages: weighted above the conversation when ranking.
 * Not its number: a ticket number is looked up in `tickets.number` (the exact one leads a search),
 * so a new ticket's document can be written before its number is taken (see TicketsService).
 */
interface TicketSearchHead {
  subject: string;
  tags: readonly string[];
  orderRef: string | null;
  productRef: string | null;
  customerName: string | null;
  /** Email addresses, E.164 phones, handles, store ids. */
  identities: readonly string[];
}

/** The indexed text of a ticket's head: its subject, tags, order, product and customer. */
function ticketSearchHead(head: TicketSearchHead): string {
  return searchDocument([head.subject, ...head.tags, head.orderRef ?? '', head.productRef ?? '', head.customerName ?? '', ...head.identities].join(' '));
}

type Query = (sql: string, parameters: unknown[]) => Promise<unknown>;

type SourceRow = {
  id: string;
  created_at: string;
  subject: string;
  tags: string[];
  order_ref: string | null;
  product_ref: string | null;
  name: string | null;
  identities: string[];
  bodies: string[];
};

/**
 * (Re)writes the stored documents of tickets of one store from what is stored: head fields,
 * customer and every message, normalised here — the one place documents are built whole (the
 * live path and the migration that indexed existing tickets both call it).
 */
export async function writeTicketDocuments(query: Query, tenantId: string, ticketIds: readonly string[]): Promise<void> {
  if (ticketIds.length === 0) return;
  const sources = ticketDocumentSources(tenantId, ticketIds);
  const write = ticketDocumentsWrite(tenantId, (await query(sources.sql, [...sources.parameters!])) as Array<Record<string, unknown>>);
  if (write) await query(write.sql, [...write.parameters!]);
}

/** What the documents of tickets are made of (the first half of writeTicketDocuments, to send with other statements). */
export function ticketDocumentSources(tenantId: string, ticketIds: readonly string[]): Statement {
  return {
    sql: `SELECT t.id, t.created_at::text AS created_at, t.subject, t.tags, t.order_ref, t.product_ref, c.name,
                 (SELECT coalesce(array_agg(i.value), '{}') FROM customer_identities i WHERE i.tenant_id = t.tenant_id AND i.customer_id = t.customer_id) AS identities,
                 (SELECT coalesce(array_agg(m.body ORDER BY m.created_at, m.id), '{}') FROM messages m WHERE m.tenant_id = t.tenant_id AND m.ticket_id = t.id) AS bodies
            FROM tickets t JOIN customers c ON c.tenant_id = t.tenant_id AND c.id = t.customer_id
           WHERE t.tenant_id = $1 AND t.id = ANY($2)`,
    parameters: [tenantId, ticketIds],
  };
}

/** The documents written from ticketDocumentSources' rows (the second half of writeTicketDocuments); null when there is none. */
export function ticketDocumentsWrite(tenantId: string, sourceRows: ReadonlyArray<SourceRow | Record<string, unknown>>): Statement | null {
  const rows = sourceRows as SourceRow[];
  if (rows.length === 0) return null;
  const docs = rows.map((r) => ({
    ticket_id: r.id,
    created_at: r.created_at,
    head: ticketSearchHead({ subject: r.subject, tags: r.tags, orderRef: r.order_ref, productRef: r.product_ref, customerName: r.name, identities: r.identities }),
    body: searchDocument(r.bodies.join('\n')),
  }));
  // The head ranks above the conversation.
  return {
    sql: `INSERT INTO ticket_search (tenant_id, ticket_id, created_at, document)
          SELECT $1, d.ticket_id, d.created_at, setweight(to_tsvector('simple', d.head), 'A') || setweight(to_tsvector('simple', d.body), 'B')
            FROM json_to_recordset($2) AS d(ticket_id uuid, created_at timestamptz, head text, body text)
          ON CONFLICT (tenant_id, ticket_id) DO UPDATE SET document = excluded.document`,
    parameters: [tenantId, JSON.stringify(docs)],
  };
}
