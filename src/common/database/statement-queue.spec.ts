import { PgResult, StatementQueue } from './statement-queue';

/** A client that answers each statement of a simple query with a row naming it, and records what it was sent. */
function fakeClient() {
  const sent: Array<{ text: string; values?: unknown[] }> = [];
  let inFlight = 0;
  let overlapped = false;
  const client = {
    async query(text: string, values?: unknown[]): Promise<PgResult | PgResult[]> {
      sent.push({ text, values });
      if (++inFlight > 1) overlapped = true;
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
      if (text.includes('fail')) throw new Error('statement failed');
      const statements = values ? [text] : text.split(';\n').flatMap((part) => (part.startsWith('BEGIN') ? ['BEGIN', 'settings'] : [part]));
      const results = statements.map((statement) => ({ rows: [statement.includes('transaction_timestamp()') ? { started_at: STARTED_AT } : { statement }] }));
      return results.length === 1 ? results[0] : results;
    },
  };
  return { client, sent, overlapped: () => overlapped };
}

const STARTED_AT = new Date('2026-12-06T06:00:00.123Z');
const OPENING = { text: "BEGIN; SELECT set_config('role', 'rida_app', true)", results: 2, everyTrip: false };
const EVERY_TRIP = { text: "SELECT set_config('role', 'rida_app', true)", results: 1, everyTrip: true };

describe('StatementQueue', () => {
  it('sends the opening with the first statement and answers that statement only', async () => {
    const { client, sent } = fakeClient();
    const queue = new StatementQueue(client, client.query, OPENING, false);
    expect(queue.reachedServer).toBe(false);
    const result = (await queue.enqueue('SELECT a FROM t WHERE id = $1', ['x'])) as PgResult;
    expect(queue.reachedServer).toBe(true);
    expect(sent[0].text).toBe(`${OPENING.text};\nSELECT a FROM t WHERE id = 'x'`);
    expect(result.rows).toEqual([{ statement: "SELECT a FROM t WHERE id = 'x'" }]);
    await queue.enqueue('SELECT b FROM t WHERE id = $1', ['y']);
    expect(sent[1]).toEqual({ text: 'SELECT b FROM t WHERE id = $1', values: ['y'] });
  });

  it('never has two statements on the connection at once', async () => {
    const { client, overlapped } = fakeClient();
    const queue = new StatementQueue(client, client.query, OPENING, false);
    await Promise.all(['a', 'b', 'c', 'd'].map((n) => queue.enqueue(`SELECT ${n} WHERE $1`, [n])));
    expect(overlapped()).toBe(false);
  });

  it('in a read-only transaction, sends the statements asked for in one turn as one query and gives each its own result', async () => {
    const { client, sent } = fakeClient();
    const queue = new StatementQueue(client, client.query, OPENING, true);
    const [a, b, c] = (await Promise.all([queue.enqueue('SELECT a WHERE $1', [1]), queue.enqueue('SELECT b WHERE $1', [2]), queue.enqueue('SELECT c WHERE $1', [3])])) as PgResult[];
    expect(sent).toHaveLength(1);
    expect([a.rows, b.rows, c.rows]).toEqual([[{ statement: "SELECT a WHERE '1'" }], [{ statement: "SELECT b WHERE '2'" }], [{ statement: "SELECT c WHERE '3'" }]]);
  });

  it('sends a statement without parameters (COMMIT, a batch) on its own', async () => {
    const { client, sent } = fakeClient();
    const queue = new StatementQueue(client, client.query, OPENING, true);
    await Promise.all([queue.enqueue('SELECT a WHERE $1', [1]), queue.enqueue('COMMIT')]);
    expect(sent.map((s) => s.text)).toEqual([`${OPENING.text};\nSELECT a WHERE '1'`, 'COMMIT']);
  });

  it('rejects every statement of a group that failed, and goes on with the next', async () => {
    const { client } = fakeClient();
    const queue = new StatementQueue(client, client.query, OPENING, true);
    const outcomes = await Promise.allSettled([queue.enqueue('SELECT ok WHERE $1', [1]), queue.enqueue('SELECT fail WHERE $1', [2])]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    await expect(queue.enqueue('ROLLBACK')).resolves.toBeDefined();
  });

  it('in a read-write transaction, gathers the reads asked for in one turn but sends each write on its own', async () => {
    const { client, sent } = fakeClient();
    const queue = new StatementQueue(client, client.query, OPENING, false);
    await queue.enqueue('UPDATE t SET a = $1', [0]);
    await Promise.all([queue.enqueue('SELECT a WHERE $1', [1]), queue.enqueue('SELECT b WHERE $1', [2]), queue.enqueue('UPDATE t SET c = $1', [3])]);
    expect(sent.map((s) => s.text)).toEqual([`${OPENING.text};\nUPDATE t SET a = '0'`, "SELECT a WHERE '1';\nSELECT b WHERE '2'", 'UPDATE t SET c = $1']);
  });

  it('sends a deferred write in front of the next statement and answers that statement only', async () => {
    const { client, sent } = fakeClient();
    const queue = new StatementQueue(client, client.query, OPENING, false);
    await queue.enqueue('SELECT a WHERE $1', [1]);
    queue.defer({ sql: 'UPDATE t SET b = $1', parameters: ['x'] });
    queue.defer({ sql: 'UPDATE t SET c = $1', parameters: ['y'] });
    expect(sent).toHaveLength(1);
    const result = (await queue.enqueue('COMMIT')) as PgResult;
    expect(sent[1].text).toBe("UPDATE t SET b = 'x';\nUPDATE t SET c = 'y';\nCOMMIT");
    expect(result.rows).toEqual([{ statement: 'COMMIT' }]);
  });

  it('keeps a write deferred to COMMIT for the COMMIT, behind the writes deferred after it', async () => {
    const { client, sent } = fakeClient();
    const queue = new StatementQueue(client, client.query, OPENING, false);
    await queue.enqueue('SELECT a WHERE $1', [1]);
    queue.defer({ sql: 'UPDATE hot SET n = n + 1' }, { atCommit: true });
    queue.defer({ sql: 'UPDATE t SET b = $1', parameters: ['x'] });
    await queue.enqueue('SELECT c WHERE $1', [2]);
    queue.defer({ sql: 'UPDATE t SET c = $1', parameters: ['y'] });
    await queue.enqueue('COMMIT');
    expect(sent.map((s) => s.text)).toEqual([
      "BEGIN; SELECT set_config('role', 'rida_app', true);\nSELECT a WHERE '1'",
      "UPDATE t SET b = 'x';\nSELECT c WHERE '2'",
      "UPDATE t SET c = 'y';\nUPDATE hot SET n = n + 1;\nCOMMIT",
    ]);
  });

  it('sends writes deferred to COMMIT with a savepoint, so rolling the savepoint back drops only its own', async () => {
    const { client, sent } = fakeClient();
    const queue = new StatementQueue(client, client.query, OPENING, false);
    await queue.enqueue('SELECT a WHERE $1', [1]);
    queue.defer({ sql: 'UPDATE hot SET n = n + 1' }, { atCommit: true });
    await queue.enqueue('SAVEPOINT typeorm_1');
    queue.defer({ sql: 'UPDATE hot SET n = n + 2' }, { atCommit: true });
    await queue.enqueue('ROLLBACK TO SAVEPOINT typeorm_1');
    await queue.enqueue('COMMIT');
    expect(sent.slice(1).map((s) => s.text)).toEqual(['UPDATE hot SET n = n + 1;\nSAVEPOINT typeorm_1', 'ROLLBACK TO SAVEPOINT typeorm_1', 'COMMIT']);
  });

  it('a deferred write that fails fails the statement it rode with', async () => {
    const { client } = fakeClient();
    const queue = new StatementQueue(client, client.query, OPENING, false);
    queue.defer({ sql: 'UPDATE fail SET b = $1', parameters: ['x'] });
    expect(queue.reachedServer).toBe(true);
    await expect(queue.enqueue('SELECT a WHERE $1', [1])).rejects.toThrow('statement failed');
  });

  it('drops deferred writes at ROLLBACK, which would undo them', async () => {
    const { client, sent } = fakeClient();
    const queue = new StatementQueue(client, client.query, OPENING, false);
    await queue.enqueue('SELECT a WHERE $1', [1]);
    queue.defer({ sql: 'UPDATE t SET b = $1', parameters: ['x'] });
    await queue.enqueue('ROLLBACK TO SAVEPOINT typeorm_1');
    expect(sent[1].text).toBe('ROLLBACK TO SAVEPOINT typeorm_1');
  });

  it('hands over the rows of writes deferred for their rows when the statement they rode with is answered, before its caller hears of it', async () => {
    const { client, sent } = fakeClient();
    const queue = new StatementQueue(client, client.query, OPENING, false);
    await queue.enqueue('SELECT a WHERE $1', [1]);
    const stored: PgResult[][] = [];
    queue.deferForRows(
      [
        { sql: 'INSERT INTO c VALUES ($1) RETURNING *', parameters: ['x'] },
        { sql: 'INSERT INTO i VALUES ($1) RETURNING *', parameters: ['y'] },
      ],
      (results) => stored.push(results),
    );
    queue.defer({ sql: 'UPDATE t SET b = 1' });
    expect(stored).toEqual([]);
    // A hot statement in the batch puts a PREPARE and the plan setting in front of the deferred writes.
    const batchDone = queue.enqueueStatements([{ sql: 'SELECT n FROM t WHERE id = $1', parameters: ['z'], prepare: true }]).then(() => stored.length);
    expect(await batchDone).toBe(1);
    expect(sent[1].text).toMatch(
      /^PREPARE \w+ AS SELECT n FROM t WHERE id = \$1;\nSET LOCAL plan_cache_mode = force_generic_plan;\nINSERT INTO c VALUES \('x'\) RETURNING \*;\nINSERT INTO i VALUES \('y'\) RETURNING \*;\nUPDATE t SET b = 1;\nEXECUTE/,
    );
    expect(stored[0].map((r) => r.rows)).toEqual([[{ statement: "INSERT INTO c VALUES ('x') RETURNING *" }], [{ statement: "INSERT INTO i VALUES ('y') RETURNING *" }]]);
  });

  it('hands every deferred group its rows even when one group’s handler throws, and fails the round trip with that error', async () => {
    const { client } = fakeClient();
    const queue = new StatementQueue(client, client.query, OPENING, false);
    const second = jest.fn();
    queue.deferForRows([{ sql: 'INSERT INTO a VALUES (1)' }], () => {
      throw new Error('handler bug');
    });
    queue.deferForRows([{ sql: 'INSERT INTO b VALUES (1)' }], second);
    await expect(queue.enqueue('SELECT a WHERE $1', [1])).rejects.toThrow('handler bug');
    expect(second).toHaveBeenCalledTimes(1);
  });

  it('never hands over the rows of deferred writes that a ROLLBACK dropped or whose round trip failed', async () => {
    const { client } = fakeClient();
    const queue = new StatementQueue(client, client.query, OPENING, false);
    const stored = jest.fn();
    queue.deferForRows([{ sql: 'INSERT INTO c VALUES (1) RETURNING *' }], stored);
    await expect(queue.enqueue('SELECT fail WHERE $1', [1])).rejects.toThrow('statement failed');
    queue.deferForRows([{ sql: 'INSERT INTO c VALUES (2) RETURNING *' }], stored);
    await queue.enqueue('ROLLBACK');
    await queue.enqueue('SELECT a WHERE $1', [1]);
    expect(stored).not.toHaveBeenCalled();
  });

  it("learns the transaction's start from its opening, and asks for it only when nothing has been sent yet", async () => {
    const withStart = { text: "BEGIN; SELECT set_config('role', 'rida_app', true);\nSELECT transaction_timestamp() AS started_at", results: 3, everyTrip: false, answersStart: true };
    const { client, sent } = fakeClient();
    const queue = new StatementQueue(client, client.query, withStart, false);
    const [a] = await queue.enqueueStatements([{ sql: 'SELECT a' }]);
    expect(a.rows).toEqual([{ statement: 'SELECT a' }]);
    expect(await queue.transactionStart()).toEqual(STARTED_AT);
    expect(sent).toHaveLength(1);

    const fresh = new StatementQueue(client, client.query, withStart, false);
    expect(await fresh.transactionStart()).toEqual(STARTED_AT);
    expect(sent).toHaveLength(2);
  });

  it('refuses to defer a write in a read-only transaction', () => {
    const { client } = fakeClient();
    expect(() => new StatementQueue(client, client.query, OPENING, true).defer({ sql: 'UPDATE t SET b = 1' })).toThrow('read-only');
  });

  it('for plain reads, sends the settings in front of every round trip and answers COMMIT itself', async () => {
    const { client, sent } = fakeClient();
    const queue = new StatementQueue(client, client.query, EVERY_TRIP, true);
    const first = (await queue.enqueue('SELECT a WHERE $1', [1])) as PgResult;
    await Promise.all([queue.enqueue('SELECT b WHERE $1', [2]), queue.enqueue('SELECT c WHERE $1', [3])]);
    await queue.enqueue('COMMIT');
    expect(sent.map((s) => s.text)).toEqual([`${EVERY_TRIP.text};\nSELECT a WHERE '1'`, `${EVERY_TRIP.text};\nSELECT b WHERE '2';\nSELECT c WHERE '3'`]);
    expect(first.rows).toEqual([{ statement: "SELECT a WHERE '1'" }]);
  });

  describe('hot statements (prepare)', () => {
    const hot = (id: string) => ({ sql: 'SELECT n FROM t WHERE id = $1', parameters: [id], prepare: true });

    it('prepares a hot statement once per connection, executes it by name with generic plans on around it, and answers each statement', async () => {
      const { client, sent } = fakeClient();
      const first = new StatementQueue(client, client.query, OPENING, false);
      const [plain, executed] = await first.enqueueStatements([{ sql: 'SELECT a WHERE $1', parameters: [1] }, hot('x')]);
      const [name] = /PREPARE (\w+) AS/.exec(sent[0].text)!.slice(1);
      expect(sent[0].text).toBe(
        [
          OPENING.text,
          `PREPARE ${name} AS SELECT n FROM t WHERE id = $1`,
          'SET LOCAL plan_cache_mode = force_generic_plan',
          "SELECT a WHERE '1'",
          `EXECUTE ${name}('x')`,
          'SET LOCAL plan_cache_mode TO DEFAULT',
        ].join(';\n'),
      );
      expect([plain.rows, executed.rows]).toEqual([[{ statement: "SELECT a WHERE '1'" }], [{ statement: `EXECUTE ${name}('x')` }]]);
      await first.enqueue('COMMIT');

      // The next transaction on the same connection executes it without preparing it again.
      const second = new StatementQueue(client, client.query, OPENING, false);
      second.defer(hot('y'));
      await second.enqueue('COMMIT');
      expect(sent[2].text).toBe([OPENING.text, 'SET LOCAL plan_cache_mode = force_generic_plan', `EXECUTE ${name}('y')`, 'SET LOCAL plan_cache_mode TO DEFAULT', 'COMMIT'].join(';\n'));
    });

    it('after a failed round trip that carried a PREPARE, reads back what the connection holds before preparing again', async () => {
      const { client, sent } = fakeClient();
      let held: string[] = [];
      const query = async (text: string, values?: unknown[]) => {
        if (text === 'SELECT name FROM pg_prepared_statements') return { rows: held.map((name) => ({ name })) };
        return client.query(text, values);
      };
      const failing = new StatementQueue(client, query, OPENING, false);
      await expect(failing.enqueueStatements([hot('x'), { sql: 'SELECT fail WHERE $1', parameters: [1] }])).rejects.toThrow('statement failed');
      const name = /PREPARE (\w+) AS/.exec(sent[0].text)![1];
      held = [name]; // the PREPARE ran before the failing statement

      const next = new StatementQueue(client, query, OPENING, false);
      await next.enqueueStatements([hot('y')]);
      expect(sent.at(-1)!.text).not.toContain('PREPARE');
      expect(sent.at(-1)!.text).toContain(`EXECUTE ${name}('y')`);
    });
  });
});
