import { searchDocument } from '../common/text/search-text';

/** What a ticket is found by, besides its messages: weighted above the conversation when ranking. */
export interface TicketSearchHead {
  number: number;
  subject: string;
  tags: readonly string[];
  orderRef: string | null;
  productRef: string | null;
  customerName: string | null;
  /** Email addresses, E.164 phones, handles, store ids. */
  identities: readonly string[];
}

/** The indexed text of a ticket's head: its number, subject, tags, order, product and customer. */
export function ticketSearchHead(head: TicketSearchHead): string {
  return searchDocument(
    [String(head.number), head.subject, ...head.tags, head.orderRef ?? '', head.productRef ?? '', head.customerName ?? '', ...head.identities].join(' '),
  );
}

/** SQL for the stored document from a head ($head) and a conversation ($body) text; the head ranks first. */
export const TICKET_DOCUMENT_SQL = (head: string, body: string) => `setweight(to_tsvector('simple', ${head}), 'A') || setweight(to_tsvector('simple', ${body}), 'B')`;
