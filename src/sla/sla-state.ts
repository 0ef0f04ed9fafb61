import { BusinessCalendar } from './business-hours';
import { dueAt, resumeDue, SlaClock, SlaPolicySpec, SlaTargetKind, SlaTargetStatus, TargetSpec, warningAt } from './sla-policy';

/**
 * The SLA state of one ticket and how events move it. Pure; stored as JSON on the ticket, with the
 * instants the sweep and the queues need copied into indexed columns.
 */
export interface TargetState {
  status: SlaTargetStatus;
  clock: SlaClock;
  dueAt: string;
  warnAt: string;
  warned: boolean;
  breachedAt: string | null;
  metAt: string | null;
  /** Next reply only: how the earlier rounds of this ticket ended (each customer message after an answer starts a round). */
  earlierMet?: number;
  earlierBreached?: number;
}

export interface SlaState {
  policyId: string | null;
  pausedAt: string | null;
  targets: Partial<Record<SlaTargetKind, TargetState>>;
}

export type SlaEvent = { type: 'CREATED'; at: Date } | { type: 'CUSTOMER_MESSAGE'; at: Date } | { type: 'AGENT_REPLY'; at: Date } | { type: 'STATUS_CHANGED'; from: string; to: string; at: Date };

export type PolicyForState = Pick<SlaPolicySpec, 'firstResponse' | 'nextResponse' | 'resolution' | 'warnAtPercent' | 'pauseWhile'> & { id: string };

export const EMPTY_SLA: SlaState = { policyId: null, pausedAt: null, targets: {} };

const iso = (d: Date) => d.toISOString();
const DONE = new Set(['SOLVED', 'CLOSED']);

function start(spec: TargetSpec, at: Date, policy: PolicyForState, cal: BusinessCalendar): TargetState {
  return {
    status: 'ACTIVE',
    clock: spec.clock,
    dueAt: iso(dueAt(at, spec, cal)),
    warnAt: iso(warningAt(at, spec, policy.warnAtPercent, cal)),
    warned: false,
    breachedAt: null,
    metAt: null,
  };
}

/** A target is met now, or stays breached (a late answer is still late). */
function meet(target: TargetState | undefined, at: Date): TargetState | undefined {
  if (!target || target.status === 'MET') return target;
  if (target.status === 'BREACHED') return { ...target, metAt: target.metAt ?? iso(at) };
  return { ...target, status: 'MET', metAt: iso(at) };
}

function withTargets(state: SlaState, changes: Partial<Record<SlaTargetKind, TargetState | undefined>>): SlaState {
  const targets = { ...state.targets };
  for (const [kind, target] of Object.entries(changes) as Array<[SlaTargetKind, TargetState | undefined]>) {
    if (target) targets[kind] = target;
    else delete targets[kind];
  }
  return { ...state, targets };
}

/** How an event changes the SLA state under a policy (undefined policy: no SLA). */
export function applySlaEvent(state: SlaState, event: SlaEvent, policy: PolicyForState | undefined, cal: BusinessCalendar): SlaState {
  if (!policy) return EMPTY_SLA;
  switch (event.type) {
    case 'CREATED':
      return {
        policyId: policy.id,
        pausedAt: null,
        targets: {
          ...(policy.firstResponse ? { FIRST_RESPONSE: start(policy.firstResponse, event.at, policy, cal) } : {}),
          ...(policy.resolution ? { RESOLUTION: start(policy.resolution, event.at, policy, cal) } : {}),
        },
      };
    case 'AGENT_REPLY':
      return withTargets(state, { FIRST_RESPONSE: meet(state.targets.FIRST_RESPONSE, event.at), NEXT_RESPONSE: meet(state.targets.NEXT_RESPONSE, event.at) });
    case 'CUSTOMER_MESSAGE': {
      // Next reply runs once the first reply is done; an unanswered next reply keeps its clock.
      const first = state.targets.FIRST_RESPONSE;
      const waiting = state.targets.NEXT_RESPONSE;
      if (!policy.nextResponse || (first && first.status !== 'MET' && !first.metAt)) return state;
      if (waiting && (waiting.status === 'ACTIVE' || waiting.status === 'PAUSED' || (waiting.status === 'BREACHED' && !waiting.metAt))) return state;
      const round = start(policy.nextResponse, event.at, policy, cal);
      if (waiting) {
        round.earlierMet = (waiting.earlierMet ?? 0) + (waiting.status === 'MET' ? 1 : 0);
        round.earlierBreached = (waiting.earlierBreached ?? 0) + (waiting.status === 'BREACHED' ? 1 : 0);
      }
      return withTargets(state, { NEXT_RESPONSE: round });
    }
    case 'STATUS_CHANGED':
      return statusChanged(state, event.from, event.to, event.at, policy, cal);
  }
}

function statusChanged(state: SlaState, from: string, to: string, at: Date, policy: PolicyForState, cal: BusinessCalendar): SlaState {
  let next = state;
  if (DONE.has(to) && !DONE.has(from)) {
    next = withTargets(next, { RESOLUTION: meet(next.targets.RESOLUTION, at) });
  }
  if (from === 'SOLVED' && !DONE.has(to) && policy.resolution) {
    // A reopen restarts the resolution clock.
    next = withTargets(next, { RESOLUTION: start(policy.resolution, at, policy, cal) });
  }
  const pausedBefore = policy.pauseWhile.includes(from);
  const pausedNow = policy.pauseWhile.includes(to) && !DONE.has(to);
  if (!pausedBefore && pausedNow) return pause(next, at);
  if (pausedBefore && !pausedNow) return resume(next, at, cal);
  return next;
}

/**
 * A ticket now falls under another policy (its category, priority, tags or tier changed): clocks
 * restart under the new policy from the ticket's creation, keeping targets already met or breached.
 */
export function reclassify(old: SlaState, policy: PolicyForState | undefined, createdAt: Date, cal: BusinessCalendar): SlaState {
  if (!policy) return EMPTY_SLA;
  const fresh = applySlaEvent(EMPTY_SLA, { type: 'CREATED', at: createdAt }, policy, cal);
  const targets = { ...fresh.targets };
  for (const [kind, target] of Object.entries(old.targets) as Array<[SlaTargetKind, TargetState]>) {
    if (target.status === 'MET' || target.status === 'BREACHED' || kind === 'NEXT_RESPONSE') targets[kind] = target;
  }
  const state: SlaState = { policyId: policy.id, pausedAt: null, targets };
  return old.pausedAt ? pause(state, new Date(old.pausedAt)) : state;
}

function pause(state: SlaState, at: Date): SlaState {
  const targets = Object.fromEntries(Object.entries(state.targets).map(([kind, t]) => [kind, t.status === 'ACTIVE' ? { ...t, status: 'PAUSED' as const } : t]));
  return { ...state, pausedAt: iso(at), targets };
}

function resume(state: SlaState, at: Date, cal: BusinessCalendar): SlaState {
  if (!state.pausedAt) return state;
  const pausedAt = new Date(state.pausedAt);
  const targets = Object.fromEntries(
    Object.entries(state.targets).map(([kind, t]) => {
      if (t.status !== 'PAUSED') return [kind, t];
      const due = resumeDue(pausedAt, new Date(t.dueAt), at, t.clock, cal);
      const warn = t.warned ? new Date(t.warnAt) : resumeDue(pausedAt, new Date(t.warnAt), at, t.clock, cal);
      return [kind, { ...t, status: 'ACTIVE' as const, dueAt: iso(due), warnAt: iso(warn) }];
    }),
  );
  return { ...state, pausedAt: null, targets };
}

export interface SweepResult {
  state: SlaState;
  warned: SlaTargetKind[];
  breached: SlaTargetKind[];
}

/** Warnings and breaches that have come due by `now`; each fires once (flags in the state). */
export function sweep(state: SlaState, now: Date): SweepResult {
  const warned: SlaTargetKind[] = [];
  const breached: SlaTargetKind[] = [];
  const targets = { ...state.targets };
  for (const [kind, t] of Object.entries(state.targets) as Array<[SlaTargetKind, TargetState]>) {
    if (t.status !== 'ACTIVE') continue;
    if (new Date(t.dueAt) <= now) {
      targets[kind] = { ...t, status: 'BREACHED', warned: true, breachedAt: iso(now) };
      breached.push(kind);
    } else if (!t.warned && new Date(t.warnAt) <= now) {
      targets[kind] = { ...t, warned: true };
      warned.push(kind);
    }
  }
  return { state: { ...state, targets }, warned, breached };
}

/** When the sweep must next look at this ticket: the earliest pending warning or breach. */
export function nextCheckAt(state: SlaState): Date | null {
  let next: number | null = null;
  for (const t of Object.values(state.targets)) {
    if (t.status !== 'ACTIVE') continue;
    const at = new Date(t.warned ? t.dueAt : t.warnAt).getTime();
    if (next === null || at < next) next = at;
  }
  return next === null ? null : new Date(next);
}

/** When the first reply is due, from a ticket's stored SLA state (null without a first-response target). */
export function firstResponseDue(state: Partial<SlaState> | null): Date | null {
  const due = state?.targets?.FIRST_RESPONSE?.dueAt;
  return due ? new Date(due) : null;
}

/**
 * When the reply the customer is waiting for is due: the first response while it runs, else the
 * next reply's round (a customer who writes again after an answer). Null when neither runs.
 */
export function replyDue(state: Partial<SlaState> | null): Date | null {
  for (const kind of ['FIRST_RESPONSE', 'NEXT_RESPONSE'] as const) {
    const target = state?.targets?.[kind];
    if (target?.status === 'ACTIVE') return new Date(target.dueAt);
  }
  return null;
}

/** The earliest due time among running targets (queues sort by it). */
export function earliestDue(state: SlaState): Date | null {
  const dues = Object.values(state.targets)
    .filter((t) => t.status === 'ACTIVE')
    .map((t) => new Date(t.dueAt).getTime());
  return dues.length ? new Date(Math.min(...dues)) : null;
}

/** BREACHED if any target is breached and unanswered, AT_RISK if a running target was warned. */
export function slaHealth(state: SlaState): 'OK' | 'AT_RISK' | 'BREACHED' | null {
  const targets = Object.values(state.targets);
  if (!targets.length) return null;
  if (targets.some((t) => t.status === 'BREACHED' && !t.metAt)) return 'BREACHED';
  if (targets.some((t) => (t.status === 'ACTIVE' || t.status === 'PAUSED') && t.warned)) return 'AT_RISK';
  return 'OK';
}
