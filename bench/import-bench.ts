/**
 * `npm run bench:import [-- --tickets 100000]`: writes a Zendesk-shaped JSON Lines export (users,
 * tickets with three comments each, Arabic text), imports it into a new store with the CLI's
 * importer, and reports tickets and rows per second and the peak resident memory of the process.
 */
import 'reflect-metadata';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { APP_SCHEMA } from '../src/app-schema';
import { AllStores } from '../src/common/database/all-stores';
import { TenantTransactions } from '../src/common/database/tenant-transactions';
import { AuthService } from '../src/auth/auth.service';
import { loadConfig } from '../src/common/config/app-config';
import { resolveDatabase } from '../src/common/database/database-bootstrap';
import { runMigrations, typeormOptions } from '../src/common/database/typeorm-options';
import { TicketImporter } from '../src/tickets/import/ticket-importer';

const SUBJECTS = ['تأخر الشحنة', 'أبغى أرجع المنتج', 'انخصم المبلغ مرتين', 'كود الخصم ما يشتغل', 'المقاس ما ضبط', 'وين طلبي؟'];
const CUSTOMER = ['السلام عليكم، طلبي متأخر وما وصلني لين الحين', 'المنتج وصل مكسور، أبي استبدال', 'تم خصم المبلغ مرتين من بطاقة مدى'];
const AGENT = ['أهلاً بك، نعتذر منك على التأخير، تواصلنا مع شركة الشحن', 'سيتم استرجاع المبلغ خلال ٥ إلى ١٠ أيام عمل'];

async function writeExport(path: string, tickets: number) {
  const out = createWriteStream(path);
  const write = async (record: unknown) => {
    if (!out.write(JSON.stringify(record) + '\n')) await once(out, 'drain');
  };
  await write({ type: 'user', id: 1, name: 'سارة الشهري', role: 'agent' });
  const start = Date.parse('2024-01-01T00:00:00Z');
  for (let i = 0; i < tickets; i++) {
    const requester = 1000 + (i % Math.ceil(tickets / 3));
    if (i < Math.ceil(tickets / 3)) await write({ type: 'user', id: requester, name: `عميل ${requester}`, email: `c${requester}@example.sa`, role: 'end-user' });
    const at = start + i * 60_000;
    await write({
      type: 'ticket',
      id: i + 1,
      subject: SUBJECTS[i % SUBJECTS.length],
      status: i % 5 === 0 ? 'open' : 'solved',
      via: { channel: i % 2 ? 'whatsapp' : 'email' },
      tags: ['مستورد'],
      requester_id: requester,
      created_at: new Date(at).toISOString(),
      updated_at: new Date(at + 7_200_000).toISOString(),
      comments: [
        { id: i * 3 + 1, author_id: requester, body: CUSTOMER[i % CUSTOMER.length], created_at: new Date(at).toISOString() },
        { id: i * 3 + 2, author_id: 1, body: AGENT[i % AGENT.length], public: true, created_at: new Date(at + 1_800_000).toISOString() },
        { id: i * 3 + 3, author_id: requester, body: 'شكراً لكم', created_at: new Date(at + 3_600_000).toISOString() },
      ],
    });
  }
  out.end();
  await once(out, 'finish');
}

async function main() {
  const { values } = parseArgs({ options: { tickets: { type: 'string' } } });
  const tickets = Number(values.tickets ?? 100_000);
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
  const database = await resolveDatabase(config, () => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'rida-import-bench-'));
  try {
    await runMigrations(database.url, APP_SCHEMA);
    const dataSource = await new DataSource(typeormOptions(database.url, APP_SCHEMA, 4)).initialize();
    try {
      const file = join(dir, 'export.jsonl');
      await writeExport(file, tickets);
      const tenant = await new AuthService(new AllStores(dataSource), new TenantTransactions(dataSource)).createTenant({ name: 'متجر الاستيراد', slug: `import-${Date.now().toString(36)}` });
      let peak = process.memoryUsage().rss;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
      const started = Date.now();
      const job = await new TicketImporter(new TenantTransactions(dataSource)).run(tenant.id, file);
      const seconds = (Date.now() - started) / 1000;
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      console.table([
        {
          tickets: job.ticketsImported,
          messages: job.messagesImported,
          refused: job.errorCount,
          seconds: Math.round(seconds),
          'tickets/s': Math.round(job.ticketsImported / seconds),
          'rows/s (tickets + messages)': Math.round((job.ticketsImported + job.messagesImported) / seconds),
          'peak RSS MB': Math.round(peak / 1024 / 1024),
        },
      ]);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
