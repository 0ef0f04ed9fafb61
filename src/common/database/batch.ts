import type { EntityManager } from 'typeorm';
import type { DeferOptions, DeferringClient } from './statement-queue';
// pg's own conversions: what it would send for a parameter, and how it quotes a literal.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { escapeLiteral, prepareValue } = require('pg/lib/utils') as { escapeLiteral(value: string): string; prepareValue(value: unknown): unknown };

export interface Statement {
  /** `$1`, `$2` … stand for `parameters`; they must not appear inside the statement's own string literals. */
  sql: string;
  parameters?: readonly unknown[];
  /**
   * A statement of a hot path whose planning costs more than its running (the KPI capture's
   * statements take 1–2 ms to plan and a tenth of that to run): inside a tenant transaction it is
   * prepared once per connection and executed by name, so PostgreSQL keeps its plan (see
   * PreparedStatements). Its parameters' types must follow from the statement, as for PREPARE.
   */
  prepare?: boolean;
}

/**
 * Sends several statements in ONE round trip and returns each one's rows, in order.
 *
 * PostgreSQL's extended protocol (what `pg` uses for parameters) costs a round trip per
 * statement, and `pg` cannot pipeline it; a simple query may carry many statements but no
 * parameters. So each parameter is written into the text as the literal `pg` itself would have
 * sent — the same text, quoted by pg's escapeLiteral, of unknown type, so the server infers its
 * type from the context exactly as it does for a parameter. Each statement still takes its own
 * snapshot (a statement after a lock sees what the lock waited for), and the first error aborts
 * the rest and the transaction, as separate statements would.
 */
export async function batch(manager: EntityManager, statements: readonly Statement[]): Promise<Array<Array<Record<string, unknown>>>> {
  if (statements.length === 0) return [];
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) throw new Error('Batched statements run inside a transaction');
  const connection = (await runner.connect()) as DeferringClient;
  // Inside a tenant transaction its statement queue sends them (and prepares the hot ones).
  const results = connection.runStatements ? await connection.runStatements(statements) : await connection.query(statements.map((s) => `${inlineParameters(s.sql, s.parameters ?? [])};`).join('\n'));
  const list = (Array.isArray(results) ? results : [results]) as Array<{ rows: Array<Record<string, unknown>> }>;
  return list.map((result) => result.rows);
}

/**
 * A write whose outcome nothing waits for (no rows, no count), sent with the transaction's next
 * statement instead of a round trip of its own (see StatementQueue). An error still fails the
 * transaction, at that next statement or at COMMIT.
 */
export async function deferWrite(manager: EntityManager, statement: Statement, options: DeferOptions = {}): Promise<void> {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) throw new Error('Deferred writes run inside a transaction');
  const client = (await runner.connect()) as DeferringClient;
  if (client.defer) client.defer(statement, options);
  else await manager.query(statement.sql, statement.parameters as unknown[]);
}

/**
 * Writes sent with the transaction's next statement, like deferWrite, whose rows are wanted:
 * `stored` is called with them as soon as they come back — before the answer of the statement they
 * rode with reaches its caller. Every later statement of the transaction sees them written; what
 * changes is that their rows, and their error, arrive with that statement — so the caller's work
 * must go on to another statement of the same transaction (COMMIT counts) before it relies on
 * them, and their error fails whatever that statement is.
 */
export async function writeWithNext(manager: EntityManager, statements: readonly Statement[], stored: (rows: Array<Array<Record<string, unknown>>>) => void): Promise<void> {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) throw new Error('Deferred writes run inside a transaction');
  const client = (await runner.connect()) as DeferringClient;
  if (client.deferForRows) client.deferForRows(statements, (results) => stored(results.map((r) => r.rows as Array<Record<string, unknown>>)));
  else stored(await batch(manager, statements));
}

/** The transaction's start (its now()), answered as `started_at`: by a read-write transaction's opening, or asked for alone. */
export const TRANSACTION_START = 'SELECT transaction_timestamp() AS started_at';

/** When the transaction of `manager` began: PostgreSQL's now(), the value every `DEFAULT now()` of its rows takes. */
export async function transactionStart(manager: EntityManager): Promise<Date> {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) throw new Error('Only a transaction has a start');
  const client = (await runner.connect()) as DeferringClient;
  if (client.transactionStart) return client.transactionStart();
  const [{ started_at }] = (await manager.query(TRANSACTION_START)) as Array<{ started_at: Date }>;
  return started_at;
}

export function inlineParameters(sql: string, parameters: readonly unknown[]): string {
  return sql.replace(/\$(\d+)\b/g, (_, index: string) => {
    const position = Number(index) - 1;
    if (position >= parameters.length) throw new Error(`Statement refers to $${index} but has ${parameters.length} parameters`);
    return literal(parameters[position]);
  });
}

export function literal(value: unknown): string {
  const prepared = prepareValue(value);
  if (prepared === null || prepared === undefined) return 'NULL';
  if (Buffer.isBuffer(prepared)) return escapeLiteral(`\\x${prepared.toString('hex')}`);
  return escapeLiteral(String(prepared));
}
