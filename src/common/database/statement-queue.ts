import { inlineParameters, Statement, TRANSACTION_START } from './batch';
import { DEFAULT_PLANS, FORCE_GENERIC_PLANS, PreparedStatements } from './prepared-statements';

export type PgResult = { rows: unknown[] };
export type PgClient = { query(text: string, values?: unknown[]): Promise<PgResult | PgResult[]> };
/** When a deferred write goes: `atCommit`, with the transaction's COMMIT, behind every other deferred write. */
export interface DeferOptions {
  atCommit?: boolean;
}

/** The connection of an open tenant transaction: its statement queue's entries besides `query` (see batch, deferWrite, writeWithNext and transactionStart). */
export type DeferringClient = PgClient & {
  defer?(statement: Statement, options?: DeferOptions): void;
  deferForRows?(statements: readonly Statement[], stored: (results: PgResult[]) => void): void;
  runStatements?(statements: readonly Statement[]): Promise<PgResult[]>;
  transactionStart?(): Promise<Date>;
};

/** A deferred write; `answered`, for its results (the rows of the `count` statements deferred with it, in order) once sent. */
interface Deferred {
  statement: Statement;
  answered?: { count: number; results: PgResult[]; stored(results: PgResult[]): void };
}

interface Waiting {
  /** A statement as pg's query takes it (`values` for `$1`…), or '' with `statements` (a batch). */
  text: string;
  values?: unknown[];
  statements?: readonly Statement[];
  resolve(result: PgResult | PgResult[]): void;
  reject(error: unknown): void;
}

/**
 * What opens the transaction: `text` (its `results` statements) in front of the first round trip;
 * or, `everyTrip`, in front of each round trip, every one of them then a transaction of its own.
 */
export interface Opening {
  text: string;
  results: number;
  everyTrip: boolean;
  /** Sent in a round trip of its own, before the first statement (Citus: see tenant-transactions.ts). */
  alone?: boolean;
  /** The opening's last statement answers the transaction's start time, as `started_at` (see transactionStart). */
  answersStart?: boolean;
}

const ENDING = /^\s*(COMMIT|ROLLBACK)\b/i;

/** The statements a write deferred `atCommit` goes with (a savepoint's, so that rolling it back drops only its own). */
const TAKES_COMMIT_WRITES = /^\s*(COMMIT|SAVEPOINT|RELEASE)\b/i;

/** A plain read: it may share a round trip with other reads without changing what either sees or does. */
const READ = /^\s*SELECT\b/i;

/**
 * The statements of one tenant transaction, sent on its connection one round trip at a time:
 * - the transaction's opening statements (BEGIN, role, store) ride in front of its first statement;
 *   for plain reads (READ COMMITTED, read only) there is no BEGIN at all: the settings ride in
 *   front of every round trip, which PostgreSQL runs as one implicit transaction (a simple query's
 *   statements are one transaction), so each round trip sees what a statement of a READ COMMITTED
 *   transaction would, and no COMMIT is sent — COMMIT and ROLLBACK are answered here;
 * - pg only queues overlapping queries on a client as a deprecated courtesy (pg 9 refuses them),
 *   and a request's DataLoader batches ask at once, so they wait their turn here;
 * - reads asked for in the same turn of the event loop (the customer, assignee and team batches of
 *   a ticket list) travel as one simple query, their parameters written as the literals pg would
 *   send (see batch). In a READ ONLY transaction every statement is a read; in a read-write one
 *   only SELECTs are gathered: a failing write must not take a neighbour that a savepoint would
 *   have kept, while a failing read aborts the transaction wherever it is sent;
 * - deferred writes (whose outcome nobody waits for: a ticket's SLA columns, a NOTIFY) ride in
 *   front of the transaction's next statement — at the latest its COMMIT. Their error is that
 *   statement's error, so the transaction still fails as a whole; ROLLBACK (to a savepoint too)
 *   drops them, as it would have undone them. A write deferred `atCommit` (an update of a row that
 *   every request of a kind updates, such as a channel's counters) waits for the COMMIT itself and
 *   goes behind the other deferred writes, so that row's lock is held for the commit alone; a
 *   savepoint statement takes it along too, so a ROLLBACK TO SAVEPOINT drops only what was
 *   deferred inside the savepoint;
 * - writes deferred for their rows (deferForRows) ride the same way, and their rows are handed
 *   over when the round trip they rode in is answered, before its own statements' callers resume;
 * - hot statements (`prepare`, deferred or in a batch) go as `EXECUTE` of a statement the
 *   connection prepared once, its `PREPARE` riding in front of the round trip that first needs it
 *   (see PreparedStatements);
 * - a read-write transaction's opening answers its start time, kept for transactionStart.
 */
export class StatementQueue {
  private readonly waiting: Waiting[] = [];
  private deferred: Deferred[] = [];
  private deferredToCommit: Deferred[] = [];
  private busy = false;
  private opened = false;
  private sentOpening = false;
  private startedAt?: Date;

  constructor(
    private readonly client: PgClient,
    private readonly send: PgClient['query'],
    private readonly opening: Opening,
    private readonly readOnly: boolean,
  ) {}

  /** Whether anything was asked of the server (BEGIN went, or is on its way, with it). */
  get reachedServer(): boolean {
    return this.opened;
  }

  enqueue(text: string, values?: unknown[]): Promise<PgResult | PgResult[]> {
    return this.push({ text, values });
  }

  /** Several statements in one round trip (see batch), one result each. */
  enqueueStatements(statements: readonly Statement[]): Promise<PgResult[]> {
    return this.push({ text: '', statements }) as Promise<PgResult[]>;
  }

  private push(entry: Pick<Waiting, 'text' | 'values' | 'statements'>): Promise<PgResult | PgResult[]> {
    this.opened = true;
    return new Promise((resolve, reject) => {
      this.waiting.push({ ...entry, resolve, reject });
      this.wake();
    });
  }

  /** A write sent with the transaction's next statement (one statement, its result unused). */
  defer(statement: Statement, { atCommit = false }: DeferOptions = {}): void {
    if (this.readOnly) throw new Error('A read-only transaction has no writes to defer');
    this.opened = true;
    (atCommit ? this.deferredToCommit : this.deferred).push({ statement });
  }

  /**
   * Writes sent with the transaction's next statement whose results are wanted: `stored` is called
   * with them when that statement's round trip is answered, before its own caller hears of it (not
   * at all when the round trip fails or a ROLLBACK drops them: the error is that statement's).
   */
  deferForRows(statements: readonly Statement[], stored: (results: PgResult[]) => void): void {
    if (this.readOnly) throw new Error('A read-only transaction has no writes to defer');
    this.opened = true;
    const answered = { count: statements.length, results: [] as PgResult[], stored };
    for (const statement of statements) this.deferred.push({ statement, answered });
  }

  /** When the transaction began (PostgreSQL's now(), which every default of its rows takes): known once its first round trip is answered. */
  async transactionStart(): Promise<Date> {
    if (!this.startedAt) {
      const { rows } = (await this.enqueue(TRANSACTION_START)) as PgResult;
      this.startedAt ??= (rows[0] as { started_at: Date }).started_at;
    }
    return this.startedAt;
  }

  private gathers(waiting: Waiting): boolean {
    return waiting.values !== undefined && (this.readOnly || READ.test(waiting.text));
  }

  private wake() {
    if (this.busy) return;
    this.busy = true;
    if (this.gathers(this.waiting[0])) setImmediate(() => void this.flush());
    else void this.flush();
  }

  private async flush() {
    const group = this.nextGroup();
    if (/^\s*ROLLBACK\b/i.test(group[0].text)) [this.deferred, this.deferredToCommit] = [[], []];
    const openingAlone = !this.sentOpening && Boolean(this.opening.alone);
    const opening = !openingAlone && (this.opening.everyTrip || !this.sentOpening);
    const withCommitWrites = TAKES_COMMIT_WRITES.test(group[0].text);
    const deferred = [...this.deferred, ...(withCommitWrites ? this.deferredToCommit : [])];
    this.sentOpening = true;
    this.deferred = [];
    if (withCommitWrites) this.deferredToCommit = [];
    const prepared = new PreparedStatements(this.client);
    try {
      if (openingAlone) this.learnStart(await this.send.call(this.client, this.opening.text));
      if (this.opening.everyTrip && ENDING.test(group[0].text)) {
        group[0].resolve({ rows: [] }); // each round trip was its own transaction: nothing is left to end
      } else if (group.length === 1 && !group[0].statements && deferred.length === 0 && !opening) {
        group[0].resolve(await this.send.call(this.client, group[0].text, group[0].values));
      } else {
        await this.relearnPreparedIfUnsure([...deferred.map((d) => d.statement), ...group.flatMap((w) => w.statements ?? [])]);
        const deferredTexts = deferred.map((d) => prepared.text(d.statement));
        const deferredExecute = prepared.executes > 0;
        const own = group.flatMap((w) => (w.statements ? w.statements.map((s) => prepared.text(s)) : [w.values ? inlineParameters(w.text, w.values) : w.text]));
        const ownExecute = group.some((w) => w.statements?.some((s) => s.prepare));
        // The opening, the PREPAREs (as rida_app, in front of what executes them), generic plans on
        // for the statements executed by name and off behind the last of them, the deferred writes,
        // then the group (never COMMIT when it executes by name: a batch).
        const generic = deferredExecute || ownExecute;
        const head = [...(opening ? [this.opening.text] : []), ...prepared.preparing.values(), ...(generic ? [FORCE_GENERIC_PLANS] : [])];
        const tail = [...deferredTexts, ...(generic && !ownExecute ? [DEFAULT_PLANS] : [])];
        const suffix = generic && ownExecute ? [DEFAULT_PLANS] : [];
        // Results: the head's (the opening is several statements), then the deferred writes' in order.
        const firstDeferred = head.length + (opening ? this.opening.results - 1 : 0);
        const prefixResults = firstDeferred + tail.length;
        const results = await this.send.call(this.client, [...head, ...tail, ...own, ...suffix].join(';\n')).then(
          (answer) => {
            prepared.settle(true);
            return answer;
          },
          (error: unknown) => {
            prepared.settle(false);
            throw error;
          },
        );
        const all = Array.isArray(results) ? results : [results];
        if (opening) this.learnStart(all.slice(0, this.opening.results));
        // Every `stored` is called (one failing does not keep the others from their rows); the
        // first failure, a bug of its caller, is then this round trip's error.
        let storeFailure: unknown;
        deferred.forEach((d, i) => {
          if (!d.answered) return;
          d.answered.results.push(all[firstDeferred + i]);
          if (d.answered.results.length < d.answered.count) return;
          try {
            d.answered.stored(d.answered.results);
          } catch (error) {
            storeFailure ??= error;
          }
        });
        if (storeFailure) throw storeFailure;
        const answers = all.slice(prefixResults, all.length - suffix.length);
        // A batch, or one text of several statements, gets all its results; gathered reads (one statement each) one each.
        if (group.length === 1) group[0].resolve(group[0].statements || answers.length > 1 ? answers : answers[0]);
        else group.forEach((w, i) => w.resolve(answers[i]));
      }
    } catch (error) {
      for (const w of group) w.reject(error);
    } finally {
      this.busy = false;
      if (this.waiting.length) this.wake();
    }
  }

  private learnStart(openingResults: PgResult | PgResult[]) {
    if (!this.opening.answersStart) return;
    const results = Array.isArray(openingResults) ? openingResults : [openingResults];
    this.startedAt ??= (results[results.length - 1].rows[0] as { started_at: Date }).started_at;
  }

  /** After a failed round trip that carried PREPAREs, the connection's prepared statements are read back before a hot statement goes. */
  private async relearnPreparedIfUnsure(statements: readonly Statement[]) {
    if (!statements.some((s) => s.prepare) || !PreparedStatements.unsure(this.client)) return;
    const result = (await this.send.call(this.client, 'SELECT name FROM pg_prepared_statements')) as PgResult;
    PreparedStatements.relearn(
      this.client,
      (result.rows as Array<{ name: string }>).map((r) => r.name),
    );
  }

  /** The next statement, and when it may be gathered, every gatherable one (one statement each) behind it. */
  private nextGroup(): Waiting[] {
    const head = this.waiting.shift()!;
    const group = [head];
    if (!this.gathers(head)) return group;
    while (this.waiting.length && this.gathers(this.waiting[0])) group.push(this.waiting.shift()!);
    return group;
  }
}
