/**
 * Choosing the agent for a ticket. Pure: the service locks the team, loads its members with their
 * open-ticket counts, calls this, and stores the choice in the same transaction.
 */
export type AssignmentStrategy = 'ROUND_ROBIN' | 'LEAST_LOADED' | 'MANUAL';

export interface Candidate {
  agentId: string;
  availability: string;
  active: boolean;
  role: string;
  capacity: number;
  openTickets: number;
  /** Categories handled; empty means any. */
  skills: string[];
  /** Languages spoken; empty means any. */
  languages: string[];
}

export interface TicketToAssign {
  category: string;
  vip: boolean;
  /** The customer's language (ar, en). */
  language: string;
}

export interface AssignmentOptions {
  strategy: AssignmentStrategy;
  /** VIP tickets only to supervisors and admins. */
  vipToSeniors: boolean;
  /** Round robin: the agent who got the previous ticket. */
  lastAssignedId: string | null;
}

const SENIOR_ROLES = ['admin', 'supervisor'];

export function eligible(candidate: Candidate, ticket: TicketToAssign, options: Pick<AssignmentOptions, 'vipToSeniors'>): boolean {
  return (
    candidate.active &&
    candidate.availability === 'ONLINE' &&
    candidate.openTickets < candidate.capacity &&
    (candidate.skills.length === 0 || candidate.skills.includes(ticket.category)) &&
    (candidate.languages.length === 0 || candidate.languages.includes(ticket.language)) &&
    (!ticket.vip || !options.vipToSeniors || SENIOR_ROLES.includes(candidate.role))
  );
}

/** The agent to assign, or null when nobody can take it now (the ticket waits in the team queue). */
export function chooseAgent(candidates: readonly Candidate[], ticket: TicketToAssign, options: AssignmentOptions): string | null {
  if (options.strategy === 'MANUAL') return null;
  const ordered = [...candidates].sort((a, b) => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0));
  const able = ordered.filter((c) => eligible(c, ticket, options));
  if (able.length === 0) return null;
  if (options.strategy === 'LEAST_LOADED') {
    // Fewest open tickets; ties go to the most spare capacity, then a stable order.
    return able.reduce((best, c) => (c.openTickets < best.openTickets || (c.openTickets === best.openTickets && c.capacity > best.capacity) ? c : best)).agentId;
  }
  // Round robin over the whole team in a fixed order, skipping who cannot take it now.
  const start = options.lastAssignedId ? ordered.findIndex((c) => c.agentId > options.lastAssignedId!) : 0;
  for (let i = 0; i < ordered.length; i++) {
    const candidate = ordered[((start < 0 ? 0 : start) + i) % ordered.length];
    if (able.includes(candidate)) return candidate.agentId;
  }
  return null;
}
