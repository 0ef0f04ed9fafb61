import { AuthorType, TicketStatus } from './ticket-enums';

const { NEW, OPEN, PENDING, ON_HOLD, SOLVED, CLOSED } = TicketStatus;

/**
 * Status changes a person or integration may make. CLOSED is terminal (a closed ticket is
 * immutable; new contact starts a follow-up ticket), and only a solved ticket can be closed.
 */
const ALLOWED: Record<TicketStatus, readonly TicketStatus[]> = {
  NEW: [OPEN, PENDING, ON_HOLD, SOLVED],
  OPEN: [PENDING, ON_HOLD, SOLVED],
  PENDING: [OPEN, ON_HOLD, SOLVED],
  ON_HOLD: [OPEN, PENDING, SOLVED],
  SOLVED: [OPEN, CLOSED],
  CLOSED: [],
};

export function allowedTransitions(from: TicketStatus): readonly TicketStatus[] {
  return ALLOWED[from];
}

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return ALLOWED[from].includes(to);
}

/** A move out of SOLVED back to work counts as a reopen (a KPI). */
export function isReopen(from: TicketStatus, to: TicketStatus): boolean {
  return from === SOLVED && to !== CLOSED && to !== SOLVED;
}

export interface MessageEffect {
  /** The status after the message, or undefined when it does not change. */
  status?: TicketStatus;
  reopened: boolean;
  /** A public agent reply: counts towards first response and first contact resolution. */
  publicAgentReply: boolean;
  /** A customer writing to a closed ticket starts a follow-up ticket instead. */
  startsFollowUp: boolean;
}

/**
 * What a new message does to a ticket, as in common help-desk practice:
 * a customer reply brings a pending or solved ticket back to OPEN (solved → reopen),
 * an agent's first public reply moves NEW to OPEN, internal notes change nothing.
 */
export function effectOfMessage(status: TicketStatus, author: AuthorType, internal: boolean): MessageEffect {
  const none: MessageEffect = { reopened: false, publicAgentReply: false, startsFollowUp: false };
  if (author === AuthorType.CUSTOMER) {
    if (status === CLOSED) return { ...none, startsFollowUp: true };
    if (status === SOLVED) return { ...none, status: OPEN, reopened: true };
    if (status === PENDING) return { ...none, status: OPEN };
    return none;
  }
  if (internal) return none;
  if (author === AuthorType.AGENT) {
    return { ...none, status: status === NEW ? OPEN : undefined, publicAgentReply: true };
  }
  return none;
}
