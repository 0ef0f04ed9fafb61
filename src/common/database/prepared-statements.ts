import { createHash } from 'node:crypto';
import { inlineParameters, literal, Statement } from './batch';

/**
 * What each connection has prepared. A prepared statement belongs to the session: it outlives the
 * transaction that prepared it, committed or rolled back, so the set lives as long as the
 * connection (the pg client object) does.
 */
const preparedOn = new WeakMap<object, Set<string>>();
/** Connections where a round trip carrying PREPAREs failed: which of them ran is not known. */
const unsureOn = new WeakSet<object>();

export const FORCE_GENERIC_PLANS = 'SET LOCAL plan_cache_mode = force_generic_plan';
export const DEFAULT_PLANS = 'SET LOCAL plan_cache_mode TO DEFAULT';

/** The statement's name on every connection: the same SQL, the same name (hashed once per text; the hot texts are a few constants). */
const names = new Map<string, string>();
function nameOf(sql: string): string {
  let name = names.get(sql);
  if (!name) {
    if (names.size >= 1000) names.clear();
    names.set(sql, (name = `rida_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`));
  }
  return name;
}

/**
 * The text of one round trip's statements, hot ones (`prepare`) written as `EXECUTE name(…)` and
 * preceded, the first time on a connection, by their `PREPARE`. pg prepares only through the
 * extended protocol, one round trip per statement, which the statement queue's simple queries
 * cannot carry; SQL's PREPARE and EXECUTE ride in a simple query like any statement, so a hot
 * statement costs no round trip of its own.
 *
 * Left to itself PostgreSQL plans a prepared statement for its values five times, then keeps a
 * generic plan only when that is estimated no costlier — and for `id = ANY($2::uuid[])` it never
 * is, so the KPI capture was planned afresh at every call. The hot statements look rows up by
 * store and key, where the generic plan is the plan: the round trip asks for it
 * (FORCE_GENERIC_PLANS) in front of them and sets the default back behind them, so statements
 * TypeORM sends later in the transaction are planned as before.
 */
export class PreparedStatements {
  private readonly prepared: Set<string>;
  /** The PREPAREs this round trip carries, each once. */
  readonly preparing = new Map<string, string>();
  /** How many statements this round trip executes by name. */
  executes = 0;

  constructor(private readonly connection: object) {
    let prepared = preparedOn.get(connection);
    if (!prepared) preparedOn.set(connection, (prepared = new Set()));
    this.prepared = prepared;
  }

  /** Whether the connection's prepared statements must be read back before a hot statement is sent on it. */
  static unsure(connection: object): boolean {
    return unsureOn.has(connection);
  }

  /** After a failed round trip that carried PREPAREs: what the session holds, read from the server. */
  static relearn(connection: object, names: readonly string[]): void {
    const prepared = preparedOn.get(connection) ?? new Set<string>();
    prepared.clear();
    for (const name of names) prepared.add(name);
    preparedOn.set(connection, prepared);
    unsureOn.delete(connection);
  }

  text(statement: Statement): string {
    const parameters = statement.parameters ?? [];
    if (!statement.prepare) return inlineParameters(statement.sql, parameters);
    const name = nameOf(statement.sql);
    if (!this.prepared.has(name)) this.preparing.set(name, `PREPARE ${name} AS ${statement.sql}`);
    this.executes++;
    return parameters.length ? `EXECUTE ${name}(${parameters.map(literal).join(', ')})` : `EXECUTE ${name}`;
  }

  /** The round trip's outcome: its PREPAREs ran, or (on failure) perhaps only some of them did. */
  settle(succeeded: boolean): void {
    if (this.preparing.size === 0) return;
    if (succeeded) for (const name of this.preparing.keys()) this.prepared.add(name);
    else unsureOn.add(this.connection);
  }
}
