import { DateTime } from 'luxon';
import { DEFAULT_CALENDAR } from './business-hours';
import { DEFAULT_POLICIES } from './sla-policy';
import { applySlaEvent, earliestDue, EMPTY_SLA, firstResponseDue, nextCheckAt, PolicyForState, replyDue, slaHealth, SlaState, sweep } from './sla-state';

const at = (iso: string) => DateTime.fromISO(iso, { zone: 'Asia/Riyadh' }).toJSDate();
const local = (iso: string | null | undefined) => (iso ? DateTime.fromISO(iso, { zone: 'Asia/Riyadh' }).toFormat('ccc HH:mm') : iso);
const email: PolicyForState = { ...DEFAULT_POLICIES.find((p) => p.conditions.channels?.includes('EMAIL'))!, id: 'email' };
const cal = DEFAULT_CALENDAR;

function created(iso: string): SlaState {
  return applySlaEvent(EMPTY_SLA, { type: 'CREATED', at: at(iso) }, email, cal);
}

describe('SLA state of a ticket', () => {
  it('starts first reply and resolution clocks when created (Sunday 10:00 email)', () => {
    const state = created('2026-11-29T10:00');
    expect(state.policyId).toBe('email');
    expect(local(state.targets.FIRST_RESPONSE?.dueAt)).toBe('Sun 11:00');
    expect(local(state.targets.FIRST_RESPONSE?.warnAt)).toBe('Sun 10:48');
    expect(local(state.targets.RESOLUTION?.dueAt)).toBe('Tue 10:00');
    expect(state.targets.NEXT_RESPONSE).toBeUndefined();
    expect(local(nextCheckAt(state)?.toISOString())).toBe('Sun 10:48');
    expect(slaHealth(state)).toBe('OK');
  });

  it('no policy, no clocks', () => {
    expect(applySlaEvent(EMPTY_SLA, { type: 'CREATED', at: new Date() }, undefined, cal)).toEqual(EMPTY_SLA);
  });

  it('an agent reply meets the first reply; the next customer message starts next reply', () => {
    let state = created('2026-11-29T10:00');
    state = applySlaEvent(state, { type: 'AGENT_REPLY', at: at('2026-11-29T10:30') }, email, cal);
    expect(state.targets.FIRST_RESPONSE).toMatchObject({ status: 'MET' });
    state = applySlaEvent(state, { type: 'CUSTOMER_MESSAGE', at: at('2026-11-29T12:00') }, email, cal);
    expect(local(state.targets.NEXT_RESPONSE?.dueAt)).toBe('Sun 16:00');
    // A second customer message before the answer keeps the running clock.
    const again = applySlaEvent(state, { type: 'CUSTOMER_MESSAGE', at: at('2026-11-29T13:00') }, email, cal);
    expect(again.targets.NEXT_RESPONSE?.dueAt).toBe(state.targets.NEXT_RESPONSE?.dueAt);
    state = applySlaEvent(again, { type: 'AGENT_REPLY', at: at('2026-11-29T14:00') }, email, cal);
    expect(state.targets.NEXT_RESPONSE?.status).toBe('MET');
  });

  it('the reply a customer waits for is the running first reply, else the running next reply', () => {
    let state = created('2026-11-29T10:00');
    expect(replyDue(state)?.toISOString()).toBe(state.targets.FIRST_RESPONSE?.dueAt);
    state = applySlaEvent(state, { type: 'AGENT_REPLY', at: at('2026-11-29T10:30') }, email, cal);
    expect(replyDue(state)).toBeNull();
    state = applySlaEvent(state, { type: 'CUSTOMER_MESSAGE', at: at('2026-11-29T12:00') }, email, cal);
    expect(local(replyDue(state)?.toISOString())).toBe('Sun 16:00');
    expect(replyDue(null)).toBeNull();
  });

  it('each round of next reply is counted: earlier rounds met or breached travel with the running one', () => {
    let state = created('2026-11-29T10:00');
    state = applySlaEvent(state, { type: 'AGENT_REPLY', at: at('2026-11-29T10:30') }, email, cal);
    state = applySlaEvent(state, { type: 'CUSTOMER_MESSAGE', at: at('2026-11-29T11:00') }, email, cal);
    expect(state.targets.NEXT_RESPONSE?.status).toBe('ACTIVE');
    expect(state.targets.NEXT_RESPONSE).not.toHaveProperty('earlierMet');
    state = applySlaEvent(state, { type: 'AGENT_REPLY', at: at('2026-11-29T11:30') }, email, cal); // round 1 met
    state = applySlaEvent(state, { type: 'CUSTOMER_MESSAGE', at: at('2026-11-29T12:00') }, email, cal);
    state = sweep(state, at('2026-11-29T17:00')).state; // round 2 breached (due 16:00)
    state = applySlaEvent(state, { type: 'AGENT_REPLY', at: at('2026-11-29T17:30') }, email, cal);
    state = applySlaEvent(state, { type: 'CUSTOMER_MESSAGE', at: at('2026-11-30T09:00') }, email, cal); // round 3 runs
    expect(state.targets.NEXT_RESPONSE).toMatchObject({ status: 'ACTIVE', earlierMet: 1, earlierBreached: 1 });
    state = applySlaEvent(state, { type: 'AGENT_REPLY', at: at('2026-11-30T09:10') }, email, cal);
    expect(state.targets.NEXT_RESPONSE).toMatchObject({ status: 'MET', earlierMet: 1, earlierBreached: 1 }); // 2 met, 1 breached in all
  });

  it('customer messages before the first reply do not start next reply', () => {
    const state = applySlaEvent(created('2026-11-29T10:00'), { type: 'CUSTOMER_MESSAGE', at: at('2026-11-29T10:10') }, email, cal);
    expect(state.targets.NEXT_RESPONSE).toBeUndefined();
  });

  it('the sweep warns once, then breaches once; a late reply keeps the breach on record', () => {
    let state = created('2026-11-29T10:00');
    const first = sweep(state, at('2026-11-29T10:50'));
    expect(first.warned).toEqual(['FIRST_RESPONSE']);
    expect(sweep(first.state, at('2026-11-29T10:55')).warned).toEqual([]);
    expect(slaHealth(first.state)).toBe('AT_RISK');
    expect(local(nextCheckAt(first.state)?.toISOString())).toBe('Sun 11:00');
    const second = sweep(first.state, at('2026-11-29T11:01'));
    expect(second.breached).toEqual(['FIRST_RESPONSE']);
    expect(sweep(second.state, at('2026-11-29T11:30')).breached).toEqual([]);
    expect(slaHealth(second.state)).toBe('BREACHED');
    state = applySlaEvent(second.state, { type: 'AGENT_REPLY', at: at('2026-11-29T11:40') }, email, cal);
    expect(state.targets.FIRST_RESPONSE).toMatchObject({ status: 'BREACHED', metAt: expect.any(String) });
    expect(slaHealth(state)).toBe('OK');
  });

  it('pending pauses every clock; resuming keeps the time that was left', () => {
    let state = created('2026-11-29T10:00');
    state = applySlaEvent(state, { type: 'STATUS_CHANGED', from: 'NEW', to: 'PENDING', at: at('2026-11-29T10:30') }, email, cal);
    expect(state.targets.FIRST_RESPONSE?.status).toBe('PAUSED');
    expect(nextCheckAt(state)).toBeNull();
    expect(sweep(state, at('2026-12-01T00:00')).breached).toEqual([]);
    state = applySlaEvent(state, { type: 'STATUS_CHANGED', from: 'PENDING', to: 'OPEN', at: at('2026-11-30T09:00') }, email, cal);
    // 30 min of the hour were left at the pause.
    expect(local(state.targets.FIRST_RESPONSE?.dueAt)).toBe('Mon 09:30');
    expect(state.targets.FIRST_RESPONSE?.status).toBe('ACTIVE');
    expect(earliestDue(state)?.toISOString()).toBe(state.targets.FIRST_RESPONSE?.dueAt);
    expect(firstResponseDue(state)?.toISOString()).toBe(state.targets.FIRST_RESPONSE?.dueAt);
    expect(firstResponseDue(EMPTY_SLA)).toBeNull();
    expect(firstResponseDue(null)).toBeNull();
  });

  it('solving meets resolution; reopening restarts it', () => {
    let state = created('2026-11-29T10:00');
    state = applySlaEvent(state, { type: 'STATUS_CHANGED', from: 'OPEN', to: 'SOLVED', at: at('2026-11-29T12:00') }, email, cal);
    expect(state.targets.RESOLUTION?.status).toBe('MET');
    state = applySlaEvent(state, { type: 'STATUS_CHANGED', from: 'SOLVED', to: 'OPEN', at: at('2026-11-30T10:00') }, email, cal);
    expect(state.targets.RESOLUTION?.status).toBe('ACTIVE');
    expect(local(state.targets.RESOLUTION?.dueAt)).toBe('Wed 10:00');
  });
});
