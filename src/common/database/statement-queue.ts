import { inlineParameters } from './batch';

export type PgResult = { rows: unknown[] };
export type PgClient = { query(text: string, values?: unknown[]): Promise<PgResult | PgResult[]> };

interface Waiting {
  text: string;
  values?: unknown[];
  resolve(result: PgResult | PgResult[]): void;
  reject(error: unknown): void;
}

/**
 * The statements of one tenant transaction, sent on its connection one round trip at a time:
 * - the transaction's opening statements (BEGIN, role, store) ride in front of its first statement;
 * - pg only queues overlapping queries on a client as a deprecated courtesy (pg 9 refuses them),
 *   and a request's DataLoader batches ask at once, so they wait their turn here;
 * - in a READ ONLY transaction, statements asked for in the same turn of the event loop (the
 *   customer, assignee and team batches of a ticket list) travel as one simple query, their
 *   parameters written as the literals pg would send (see batch). Not in a read-write one: there a
 *   failing statement must not take a neighbour that a savepoint would have kept.
 */
export class StatementQueue {
  private readonly waiting: Waiting[] = [];
  private busy = false;
  private opened = false;
  private sentOpening = false;

  constructor(
    private readonly client: PgClient,
    private readonly send: PgClient['query'],
    private readonly opening: string,
    private readonly gather: boolean,
  ) {}

  /** Whether anything was asked of the server (BEGIN went, or is on its way, with it). */
  get reachedServer(): boolean {
    return this.opened;
  }

  enqueue(text: string, values?: unknown[]): Promise<PgResult | PgResult[]> {
    this.opened = true;
    return new Promise((resolve, reject) => {
      this.waiting.push({ text, values, resolve, reject });
      this.wake();
    });
  }

  private wake() {
    if (this.busy) return;
    this.busy = true;
    if (this.gather) setImmediate(() => void this.flush());
    else void this.flush();
  }

  private async flush() {
    const group = this.nextGroup();
    const first = !this.sentOpening;
    this.sentOpening = true;
    try {
      if (group.length === 1 && !first) {
        group[0].resolve(await this.send.call(this.client, group[0].text, group[0].values));
      } else {
        const text = group.map((w) => (w.values ? inlineParameters(w.text, w.values) : w.text)).join(';\n');
        const results = await this.send.call(this.client, first ? `${this.opening};\n${text}` : text);
        const own = (Array.isArray(results) ? results : [results]).slice(first ? 2 : 0); // after BEGIN and the settings
        if (group.length === 1) group[0].resolve(own.length === 1 ? own[0] : own);
        else group.forEach((w, i) => w.resolve(own[i]));
      }
    } catch (error) {
      for (const w of group) w.reject(error);
    } finally {
      this.busy = false;
      if (this.waiting.length) this.wake();
    }
  }

  /** The next statement, and in a gathering queue every parameterised one (one statement each) behind it. */
  private nextGroup(): Waiting[] {
    const head = this.waiting.shift()!;
    const group = [head];
    if (!this.gather || !head.values) return group;
    while (this.waiting.length && this.waiting[0].values) group.push(this.waiting.shift()!);
    return group;
  }
}
