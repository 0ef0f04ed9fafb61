import fc from 'fast-check';
import { Candidate, chooseAgent } from './assignment';

const agent = (id: string, overrides: Partial<Candidate> = {}): Candidate => ({
  agentId: id,
  availability: 'ONLINE',
  active: true,
  role: 'agent',
  capacity: 5,
  openTickets: 0,
  skills: [],
  languages: ['ar'],
  ...overrides,
});
const ticket = { category: 'SHIPPING', vip: false, language: 'ar' };

describe('chooseAgent', () => {
  it('MANUAL never assigns', () => {
    expect(chooseAgent([agent('a')], ticket, { strategy: 'MANUAL', vipToSeniors: false, lastAssignedId: null })).toBeNull();
  });

  it('only online, active agents with free capacity and the skill', () => {
    const team = [
      agent('a', { availability: 'AWAY' }),
      agent('b', { openTickets: 5 }),
      agent('c', { skills: ['PAYMENT'] }),
      agent('d', { active: false }),
      agent('e', { skills: ['SHIPPING', 'RETURNS'], openTickets: 3 }),
    ];
    expect(chooseAgent(team, ticket, { strategy: 'LEAST_LOADED', vipToSeniors: false, lastAssignedId: null })).toBe('e');
    expect(chooseAgent(team.slice(0, 4), ticket, { strategy: 'ROUND_ROBIN', vipToSeniors: false, lastAssignedId: null })).toBeNull();
  });

  it("only agents who speak the customer's language", () => {
    const team = [agent('a', { openTickets: 0 }), agent('b', { languages: ['ar', 'en'], openTickets: 3 })];
    expect(chooseAgent(team, { ...ticket, language: 'en' }, { strategy: 'LEAST_LOADED', vipToSeniors: false, lastAssignedId: null })).toBe('b');
    expect(chooseAgent(team, ticket, { strategy: 'LEAST_LOADED', vipToSeniors: false, lastAssignedId: null })).toBe('a');
  });

  it('VIP tickets go to seniors when the team asks for it', () => {
    const team = [agent('a'), agent('b', { role: 'supervisor', openTickets: 4 })];
    expect(chooseAgent(team, { ...ticket, vip: true }, { strategy: 'LEAST_LOADED', vipToSeniors: true, lastAssignedId: null })).toBe('b');
    expect(chooseAgent(team, { ...ticket, vip: true }, { strategy: 'LEAST_LOADED', vipToSeniors: false, lastAssignedId: null })).toBe('a');
  });

  it('LEAST_LOADED picks the fewest open tickets', () => {
    const team = [agent('a', { openTickets: 3 }), agent('b', { openTickets: 1 }), agent('c', { openTickets: 2 })];
    expect(chooseAgent(team, ticket, { strategy: 'LEAST_LOADED', vipToSeniors: false, lastAssignedId: null })).toBe('b');
  });

  it('ROUND_ROBIN continues after the previous agent and wraps around, skipping the unavailable', () => {
    const team = [agent('a'), agent('b', { availability: 'OFFLINE' }), agent('c')];
    const opts = (last: string | null) => ({ strategy: 'ROUND_ROBIN' as const, vipToSeniors: false, lastAssignedId: last });
    expect(chooseAgent(team, ticket, opts(null))).toBe('a');
    expect(chooseAgent(team, ticket, opts('a'))).toBe('c');
    expect(chooseAgent(team, ticket, opts('c'))).toBe('a');
    expect(chooseAgent(team, ticket, opts('removed-agent'))).toBe('a');
  });

  it('ROUND_ROBIN spreads n tickets over k agents evenly (±1)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 200 }), (k, n) => {
        const team = Array.from({ length: k }, (_, i) => agent(`agent-${i}`, { capacity: 1000 }));
        const counts = new Map<string, number>();
        let last: string | null = null;
        for (let i = 0; i < n; i++) {
          last = chooseAgent(team, ticket, { strategy: 'ROUND_ROBIN', vipToSeniors: false, lastAssignedId: last })!;
          counts.set(last, (counts.get(last) ?? 0) + 1);
        }
        const values = team.map((a) => counts.get(a.agentId) ?? 0);
        expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('never chooses an agent at capacity', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ open: fc.integer({ min: 0, max: 6 }), cap: fc.integer({ min: 0, max: 6 }) }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom('ROUND_ROBIN' as const, 'LEAST_LOADED' as const),
        (specs, strategy) => {
          const team = specs.map((s, i) => agent(`a${i}`, { openTickets: s.open, capacity: s.cap }));
          const chosen = chooseAgent(team, ticket, { strategy, vipToSeniors: false, lastAssignedId: null });
          if (chosen) {
            const c = team.find((a) => a.agentId === chosen)!;
            expect(c.openTickets).toBeLessThan(c.capacity);
          } else {
            expect(team.every((a) => a.openTickets >= a.capacity)).toBe(true);
          }
        },
      ),
    );
  });
});
