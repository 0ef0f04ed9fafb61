/**
 * `npm run bench:search`: ticket search latency on a seeded store, and the EXPLAIN of its query.
 *
 *   DATABASE_URL=… npm run seed -- --tickets 1000000   # once
 *   DATABASE_URL=… npm run bench:search               # builds the search documents on first run
 *
 * The seeder writes tickets without message rows; this bench gives every seeded ticket a search
 * document of its head (number, subject, customer name, order) and five customer/agent messages
 * drawn from a corpus of real support phrasing — the text of 5 messages per ticket — normalised by
 * the application's normaliser, as the live path does. It then times `searchTickets` as an agent
 * uses it and writes the SQL with EXPLAIN (ANALYZE, BUFFERS) to docs/queries/search-tickets.md.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DataSource, Logger } from 'typeorm';
import { APP_SCHEMA } from '../src/app-schema';
import { loadConfig } from '../src/common/config/app-config';
import { resolveDatabase } from '../src/common/database/database-bootstrap';
import { TenantTransactions } from '../src/common/database/tenant-transactions';
import { typeormOptions } from '../src/common/database/typeorm-options';
import { systemContext } from '../src/common/request-context';
import { searchDocument } from '../src/common/text/search-text';
import { TicketSearchService } from '../src/tickets/ticket-search.service';
import { TicketStatus } from '../src/tickets/ticket-enums';
import { latencies } from './latency';

const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const BATCH_DAYS = 15;

// What customers and agents write, as in the seeds (dialect, hamza forms, ta marbuta as typed).
const MESSAGES = [
  'السلام عليكم، طلبي متأخر وما وصلني لين الحين',
  'وين الشحنة؟ صار لي أسبوع أنتظر',
  'رقم التتبع ما يشتغل في موقع شركة الشحن',
  'أبغى ألغي الطلب وأسترد المبلغ',
  'تم خصم المبلغ مرتين من بطاقة مدى',
  'المنتج وصل مكسور، أبي استبدال',
  'هل يتوفر مقاس أكبر من هذا الموديل؟',
  'كود الخصم ما ينقبل عند الدفع',
  'أهلاً بك، نعتذر منك على التأخير، تواصلنا مع شركة الشحن',
  'تم إصدار كوبون اعتذار بقيمة ٥٠ ريال',
  'نرجو تزويدنا برقم الطلب وصورة المنتج',
  'سيتم استرجاع المبلغ خلال ٥ إلى ١٠ أيام عمل',
  'شكراً لتواصلك، سعدنا بخدمتك',
  'المندوب ما رد على الجوال',
  'التطبيق يعلق عند صفحة الدفع',
  'رمز التحقق ما يوصل على جوالي',
  'أبي فاتورة ضريبية للطلب',
  'The tracking link shows delivered but I did not receive it',
  'Payment failed with Apple Pay',
  'تقسيط تابي ما اكتمل والطلب معلق',
];

const CAPTURE: Array<{ query: string; parameters?: unknown[] }> = [];
const captureLogger: Logger = {
  logQuery: (query, parameters) => CAPTURE.push({ query, parameters }),
  logQueryError: () => undefined,
  logQuerySlow: () => undefined,
  logSchemaBuild: () => undefined,
  logMigration: () => undefined,
  log: () => undefined,
};

function required(captured: { query: string; parameters?: unknown[] }) {
  return { query: captured.query, parameters: captured.parameters ?? [] };
}

const time = (work: () => Promise<unknown>) => latencies(work, RUNS, [50, 95]);

async function buildDocuments(dataSource: DataSource, tenantId: string) {
  const subjects: Array<{ subject: string }> = await dataSource.query(`SELECT DISTINCT subject FROM tickets WHERE tenant_id = $1`, [tenantId]);
  const names: Array<{ name: string }> = await dataSource.query(`SELECT DISTINCT name FROM customers WHERE tenant_id = $1 AND name IS NOT NULL`, [tenantId]);
  const lookup = JSON.stringify([...subjects.map((s) => ({ k: `s:${s.subject}`, d: searchDocument(s.subject) })), ...names.map((n) => ({ k: `n:${n.name}`, d: searchDocument(n.name) }))]);
  const corpus = MESSAGES.map(searchDocument);
  const [{ first, last }] = await dataSource.query(`SELECT min(created_at) AS first, max(created_at) AS last FROM tickets WHERE tenant_id = $1`, [tenantId]);
  let done = 0;
  for (let from = new Date(first); from <= last; from = new Date(from.getTime() + BATCH_DAYS * 86_400_000)) {
    const to = new Date(from.getTime() + BATCH_DAYS * 86_400_000);
    await dataSource.query(
      `WITH docs AS (SELECT x.k, x.d FROM json_to_recordset($4) AS x(k text, d text))
       INSERT INTO ticket_search (tenant_id, ticket_id, created_at, document)
       SELECT t.tenant_id, t.id, t.created_at,
              setweight(to_tsvector('simple', concat_ws(' ', t.number, s.d, n.d, replace(lower(t.order_ref), '-', ' '))), 'A')
           || setweight(to_tsvector('simple', array_to_string(ARRAY(SELECT ($5::text[])[1 + floor(random() * array_length($5::text[], 1))::int] FROM generate_series(1, 5) WHERE t.id IS NOT NULL), ' ')), 'B')
         FROM tickets t
         JOIN customers c ON c.tenant_id = t.tenant_id AND c.id = t.customer_id
         JOIN docs s ON s.k = 's:' || t.subject
         LEFT JOIN docs n ON n.k = 'n:' || c.name
        WHERE t.tenant_id = $1 AND t.created_at >= $2 AND t.created_at < $3
       ON CONFLICT DO NOTHING`,
      [tenantId, from, to, lookup, corpus],
    );
    [{ done }] = await dataSource.query(`SELECT count(*)::int AS done FROM ticket_search WHERE tenant_id = $1`, [tenantId]);
    process.stdout.write(`\rsearch documents: ${done.toLocaleString('en')}`);
  }
  process.stdout.write('\n');
}

async function main() {
  const { values } = parseArgs({ options: { tenant: { type: 'string' } } });
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
  const database = await resolveDatabase(config, () => undefined);
  const dataSource = await new DataSource({ ...typeormOptions(database.url, APP_SCHEMA, 4), logging: ['query'], logger: captureLogger }).initialize();
  try {
    const [tenant]: Array<{ id: string; slug: string; tickets: number }> = await dataSource.query(
      values.tenant
        ? `SELECT n.id, n.slug, (SELECT count(*) FROM tickets t WHERE t.tenant_id = n.id)::int AS tickets FROM tenants n WHERE n.slug = $1`
        : `SELECT n.id, n.slug, c.tickets FROM (SELECT tenant_id, count(*)::int AS tickets FROM tickets GROUP BY 1 ORDER BY 2 DESC LIMIT 1) c JOIN tenants n ON n.id = c.tenant_id`,
      values.tenant ? [values.tenant] : [],
    );
    if (!tenant) throw new Error('No seeded store found: run `npm run seed -- --tickets 1000000` first');
    const [{ indexed }] = await dataSource.query(`SELECT count(*)::int AS indexed FROM ticket_search WHERE tenant_id = $1`, [tenant.id]);
    if (indexed < tenant.tickets) {
      const started = Date.now();
      await buildDocuments(dataSource, tenant.id);
      console.log(`Built search documents in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
      await dataSource.query(`VACUUM ANALYZE ticket_search`);
    }
    const [sample]: Array<{ number: number; order_ref: string; name: string }> = await dataSource.query(
      `SELECT t.number, t.order_ref, c.name FROM tickets t JOIN customers c ON c.tenant_id = t.tenant_id AND c.id = t.customer_id
        WHERE t.tenant_id = $1 AND t.order_ref IS NOT NULL ORDER BY t.created_at LIMIT 1 OFFSET 1000`,
      [tenant.id],
    );
    const search = new TicketSearchService(new TenantTransactions(dataSource));
    const ctx = systemContext(tenant.id);
    console.log(`Store ${tenant.slug}: ${tenant.tickets.toLocaleString('en')} tickets, each with a document of 5 messages; ${RUNS} runs each.\n`);

    const scenarios: Array<[string, string, Record<string, unknown>?]> = [
      ['a common word (in ~1 of 4 tickets)', 'الشحنه'],
      ['two words, as typed with hamza', 'تأخر الشحن'],
      ['prefix while typing', 'استر'],
      ['a less common phrase', 'فاتوره ضريبيه'],
      ['customer name', sample.name],
      ['order id', sample.order_ref],
      ['ticket number', `#${sample.number}`],
      ['a word + filter status OPEN', 'الدفع', { status: [TicketStatus.OPEN] }],
      ['no match', 'زززز'],
    ];
    const rows: Array<Record<string, string | number>> = [];
    for (const [scenario, query, filter] of scenarios) {
      const { p50, p95 } = await time(() => search.search(ctx, query, filter ?? {}, 20));
      const page = await search.search(ctx, query, filter ?? {}, 20);
      rows.push({ scenario, query, results: page.edges.length, 'p50 ms': Math.round(p50 * 10) / 10, 'p95 ms': Math.round(p95 * 10) / 10 });
    }
    console.table(rows);

    // The SQL a search sends, and its plans on this data.
    CAPTURE.length = 0;
    await search.search(ctx, 'تأخر الشحن', {}, 20);
    const sent = (marker: string) => CAPTURE.find((c) => c.query.includes(marker))!;
    const [{ tagged }]: Array<{ tagged: string }> = await dataSource.query(
      `SELECT regexp_replace($1::tsquery::text, '''((?:[^'']|'''')*)''', '''' || search_tag($2, search_week(max(created_at))) || '\\1''', 'g') AS tagged FROM tickets WHERE tenant_id = $2`,
      [sent('ticket_search_matches').parameters![0], tenant.id],
    );
    const steps: Array<{ title: string; query: string; parameters: unknown[]; asOwner?: boolean }> = [
      {
        title: 'Inside ticket_search_matches(): the newest week’s matches (as the table owner, with the store’s tag on each lexeme)',
        query: `SELECT s.ticket_id, s.created_at FROM ticket_search s WHERE s.tenant_id = $1 AND search_keys(s.tenant_id, s.created_at, s.document) @@ $2 ORDER BY s.created_at DESC, s.ticket_id DESC LIMIT $3`,
        parameters: [tenant.id, tagged, 1000],
        asOwner: true,
      },
      { title: 'The ticket filters over those matches', ...required(sent('ANY(')) },
      { title: 'Ranking the newest matches', ...required(sent('ts_rank_cd')) },
    ];
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    let doc = `# searchTickets — SQL and plans\n\nWritten by \`npm run bench:search\` on a store of ${tenant.tickets.toLocaleString('en')} seeded tickets (each with a document of 5 messages), query "تأخر الشحن", first page of 20.\n`;
    try {
      for (const step of steps) {
        await runner.query(step.asOwner ? 'BEGIN READ ONLY' : `BEGIN READ ONLY; SET LOCAL role rida_app; SET LOCAL app.tenant_id = '${tenant.id}'`);
        const explained: Array<{ 'QUERY PLAN': string }> = await runner.query(`EXPLAIN (ANALYZE, BUFFERS) ${step.query}`, step.parameters);
        await runner.query('ROLLBACK');
        doc += `\n## ${step.title}\n\n\`\`\`sql\n${step.query.trim()}\n\`\`\`\n\nParameters: \`${JSON.stringify(step.parameters).slice(0, 300)}\`\n\n\`\`\`\n${explained.map((r) => r['QUERY PLAN']).join('\n')}\n\`\`\`\n`;
      }
    } finally {
      await runner.release();
    }
    mkdirSync('docs/queries', { recursive: true });
    writeFileSync('docs/queries/search-tickets.md', doc);
    console.log('\nWrote docs/queries/search-tickets.md');
  } finally {
    await dataSource.destroy();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
