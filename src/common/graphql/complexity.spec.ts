import { buildSchema, parse } from 'graphql';
import { DEFAULT_LIST_SIZE, estimateComplexity } from './complexity';

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
