import { buildSchema, parse } from 'graphql';
import { DEFAULT_LIST_SIZE, estimateComplexity, TOTAL_COUNT_COST } from './complexity';

const schema = buildSchema(`
  type Query { agents: [Agent!]! tickets(first: Int): TicketConnection! }
  type Agent { id: ID! teams: [Team!]! }
  type Team { id: ID! }
  type TicketConnection { edges: [TicketEdge!]! totalCount: Int! }
  type TicketEdge { node: Ticket! }
  type Ticket { id: ID! }
`);
const cost = (query: string, variables: Record<string, unknown> = {}) => estimateComplexity(schema, parse(query), undefined, variables);

describe('estimateComplexity', () => {
  it('counts a list without `first` as DEFAULT_LIST_SIZE items, nested lists multiplying', () => {
    expect(cost('{ agents { id } }')).toBe(1 + DEFAULT_LIST_SIZE);
    expect(cost('{ agents { teams { id } } }')).toBe(1 + DEFAULT_LIST_SIZE * (1 + DEFAULT_LIST_SIZE));
  });

  it('counts aliases each', () => {
    expect(cost('{ a: agents { id } b: agents { id } }')).toBe(2 * (1 + DEFAULT_LIST_SIZE));
  });

  it("counts a connection's items by `first`, and its edges once", () => {
    expect(cost('query($n: Int) { tickets(first: $n) { edges { node { id } } } }', { n: 50 })).toBe(1 + 50 * (1 + 1 + 1));
  });
});

describe('totalCount', () => {
  it('costs what a page of ten costs, so hundreds of aliased counts are refused before they run', () => {
    const schema = buildSchema(`type Ticket { id: ID! } type TicketConnection { totalCount: Int! edges: [Ticket!]! } type Query { tickets(first: Int): TicketConnection! }`);
    const one = estimateComplexity(schema, parse(`{ tickets(first: 1) { totalCount } }`), undefined, {});
    expect(one).toBeGreaterThanOrEqual(TOTAL_COUNT_COST);
    const aliases = Array.from({ length: 500 }, (_, i) => `a${i}: tickets(first: 1) { totalCount }`).join(' ');
    expect(estimateComplexity(schema, parse(`{ ${aliases} }`), undefined, {})).toBeGreaterThan(2000);
  });
});
