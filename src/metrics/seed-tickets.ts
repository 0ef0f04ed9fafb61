import type { AllStores } from '../common/database/all-stores';
import { v7 as uuidv7 } from 'uuid';
import { insertRows } from '../common/database/insert-rows';
import { orderFlagsStatement } from './kpi-capture';
import { extractKeywords } from '../common/text/keywords';
import { businessTimeBetween, DEFAULT_CALENDAR } from '../sla/business-hours';

/**
 * Realistic support history for one store, written straight to the database for benchmarks and
 * demos: Arabic subjects by category, a Saudi channel mix (WhatsApp first), daily and weekly
 * rhythm in Riyadh time, first replies and resolutions drawn from log-normal distributions per
 * channel, SLA outcomes, CSAT answers, orders and products. Tickets carry their facts (counts,
 * times) but no message rows. KPI capture is off while loading; the caller rebuilds the rollups.
 */
export interface SeedOptions {
  tenantId: string;
  tickets: number;
  /** History length, ending now. */
  days: number;
  now?: Date;
  seed?: number;
  onProgress?: (done: number) => void;
}

const BATCH = 5_000;

const CHANNELS: Array<[string, number, { medianFrt: number; target: number }]> = [
  ['WHATSAPP', 45, { medianFrt: 480, target: 4 * 3600 }],
  ['CHAT', 20, { medianFrt: 90, target: 300 }],
  ['EMAIL', 12, { medianFrt: 2700, target: 3600 }],
  ['INSTAGRAM', 8, { medianFrt: 1800, target: 4 * 3600 }],
  ['X', 5, { medianFrt: 1500, target: 4 * 3600 }],
  ['PHONE', 6, { medianFrt: 30, target: 300 }],
  ['WEB_FORM', 4, { medianFrt: 3600, target: 6 * 3600 }],
];

const CATEGORIES: Array<[string, number, string[]]> = [
  ['SHIPPING', 35, ['متى يصل طلبي؟', 'تأخر الشحن أكثر من أسبوع', 'رقم التتبع لا يعمل', 'الطلب وصل ناقص', 'أبغى أغير عنوان التوصيل']],
  ['PAYMENT', 15, ['تم خصم المبلغ مرتين', 'الدفع بمدى لا يعمل', 'أبي فاتورة ضريبية', 'مشكلة في الدفع عند الاستلام', 'تقسيط تابي لم يكتمل']],
  ['RETURNS', 15, ['أبغى أرجع المنتج', 'متى يرجع المبلغ؟', 'استبدال المقاس', 'المنتج وصل تالف', 'سياسة الاسترجاع']],
  ['PRODUCT', 12, ['المنتج لا يعمل', 'هل المنتج أصلي؟', 'اللون مختلف عن الصورة', 'طريقة استخدام الجهاز', 'الضمان على المنتج']],
  ['PRE_SALES', 10, ['هل يتوفر مقاس أكبر؟', 'متى يرجع المنتج للمخزون؟', 'كود الخصم لا يعمل', 'هل يوجد توصيل لجدة؟', 'عرض الجمعة البيضاء']],
  ['TECHNICAL', 6, ['التطبيق يعلق عند الدفع', 'لا أستطيع تسجيل الدخول', 'رمز التحقق لا يصل', 'الموقع بطيء', 'خطأ في السلة']],
  ['ACCOUNT', 4, ['تغيير رقم الجوال', 'حذف الحساب', 'نقاط الولاء لم تضف', 'تحديث البريد الإلكتروني']],
  ['GENERAL', 3, ['استفسار عام', 'شكوى على المندوب', 'اقتراح لتحسين الخدمة']],
];
const CATEGORY_PRIORITY: Record<string, number> = { PAYMENT: 2, SHIPPING: 1, RETURNS: 1, TECHNICAL: 2, PRODUCT: 1, PRE_SALES: 1, ACCOUNT: 1, GENERAL: 0 };
const TEAMS: Array<[string, string[]]> = [
  ['فريق الشحن', ['SHIPPING']],
  ['فريق المدفوعات', ['PAYMENT']],
  ['فريق الاسترجاع', ['RETURNS', 'PRODUCT']],
  ['فريق المبيعات', ['PRE_SALES', 'GENERAL']],
  ['الدعم الفني', ['TECHNICAL', 'ACCOUNT']],
];
const FIRST_NAMES = ['محمد', 'أحمد', 'عبدالله', 'فهد', 'سارة', 'نورة', 'ريم', 'خالد', 'لمى', 'هند', 'سلطان', 'منيرة', 'تركي', 'جواهر', 'فيصل', 'عبير'];
const LAST_NAMES = ['العتيبي', 'القحطاني', 'الشمري', 'الحربي', 'الغامدي', 'الزهراني', 'الدوسري', 'المطيري', 'السبيعي', 'العنزي'];
const TAGS = ['vip', 'تأخير', 'استرداد', 'شكوى', 'متكرر', 'black-friday'];
// Riyadh local hour weights: quiet nights, an evening peak.
const HOUR_WEIGHTS = [2, 1, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 7, 7, 7, 7, 8, 9, 10, 11, 11, 10, 7, 4];
const RIYADH_OFFSET_MS = 3 * 3_600_000;

/** mulberry32: small, fast and reproducible. */
function randomSource(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)],
    weighted: <T extends readonly unknown[]>(items: readonly T[], weightIndex = 1): T => {
      const total = items.reduce((s, item) => s + (item[weightIndex] as number), 0);
      let r = next() * total;
      for (const item of items) if ((r -= item[weightIndex] as number) < 0) return item;
      return items[items.length - 1];
    },
    /** Log-normal with this median; sigma 1 gives a long right tail, as response times have. */
    logNormal: (median: number, sigma = 1) => median * Math.exp(sigma * normal()),
  };
}

/**
 * Demo and benchmark history for one store, written through the cross-store door: bulk loading
 * (no KPI capture — rebuild the rollups after it — and ANALYZE as the table grows) is owner work, like migrations.
 */
export async function seedTickets(allStores: AllStores, options: SeedOptions): Promise<void> {
  const random = randomSource(options.seed ?? 42);
  const now = (options.now ?? new Date()).getTime();
  const start = now - options.days * 86_400_000;
  const { tenantId } = options;

  // The same teams and agents on every run into a store (inserted once, then looked up).
  await insertRows(
    allStores,
    'teams',
    TEAMS.map(([name, categories]) => ({ tenant_id: tenantId, id: uuidv7(), name, categories, assignment_strategy: 'LEAST_LOADED' })),
    true,
  );
  const teams: Array<{ id: string; categories: string[] }> = await allStores.query(`SELECT id, categories FROM teams WHERE tenant_id = $1 AND name = ANY($2)`, [tenantId, TEAMS.map(([name]) => name)]);
  await insertRows(
    allStores,
    'agents',
    Array.from({ length: 30 }, (_, i) => ({
      tenant_id: tenantId,
      id: uuidv7(),
      name: `${FIRST_NAMES[i % FIRST_NAMES.length]} ${LAST_NAMES[i % LAST_NAMES.length]}`,
      email: `agent${i}@seed.rida.test`,
      skills: teams[i % teams.length].categories,
      role: 'agent',
    })),
    true,
  );
  const agents: Array<{ id: string; skills: string[] }> = await allStores.query(`SELECT id, skills FROM agents WHERE tenant_id = $1 AND email LIKE '%@seed.rida.test'`, [tenantId]);
  const teamOf = (category: string) => teams.find((t) => t.categories.includes(category))!;
  const agentsByCategory = new Map<string, typeof agents>();
  for (const agent of agents) for (const c of agent.skills) agentsByCategory.set(c, [...(agentsByCategory.get(c) ?? []), agent]);

  const customerCount = Math.max(1, Math.ceil(options.tickets / 3));
  const customerIds: string[] = [];
  const tierOf = new Map<string, string>();
  for (let offset = 0; offset < customerCount; offset += BATCH) {
    const rows = Array.from({ length: Math.min(BATCH, customerCount - offset) }, () => ({
      tenant_id: tenantId,
      id: uuidv7(),
      name: `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`,
      tier: random.weighted([
        ['STANDARD', 80],
        ['SILVER', 10],
        ['GOLD', 7],
        ['VIP', 3],
      ] as const)[0],
    }));
    await insertRows(allStores, 'customers', rows);
    for (const row of rows) {
      customerIds.push(row.id);
      tierOf.set(row.id, row.tier);
    }
  }

  const [{ last }] = await allStores.query(`SELECT coalesce(max(number), 1000) AS last FROM tickets WHERE tenant_id = $1`, [tenantId]);
  let number = Number(last);
  let orders = 0;
  for (let offset = 0; offset < options.tickets; offset += BATCH) {
    const count = Math.min(BATCH, options.tickets - offset);
    const rows: Array<Record<string, unknown>> = [];
    for (let i = 0; i < count; i++) {
      // A day in the history (more recent days a little busier), then an hour by the daily rhythm.
      const day = Math.floor(Math.sqrt(random.next()) * options.days);
      const hour = random.weighted(HOUR_WEIGHTS.map((w, h) => [h, w] as const))[0];
      const localMidnight = Math.floor((start + RIYADH_OFFSET_MS) / 86_400_000 + day) * 86_400_000 - RIYADH_OFFSET_MS;
      const createdAt = Math.min(now - 60_000, localMidnight + hour * 3_600_000 + random.int(3_600_000));
      const [channel, , profile] = random.weighted(CHANNELS);
      const [category, , subjects] = random.weighted(CATEGORIES);
      const subject = random.pick(subjects);
      const age = now - createdAt;
      const frt = age > 3_600_000 || random.chance(0.5) ? Math.min(random.logNormal(profile.medianFrt), age / 1000) : null;
      const replies = frt === null ? 0 : random.chance(0.72) ? 1 : 2 + random.int(3);
      const resolution = frt !== null && age > 2 * 86_400_000 && random.chance(0.9) ? Math.max(frt + 60, random.logNormal(6 * 3600, 1.2)) : null;
      const solvedAt = resolution !== null && createdAt + resolution * 1000 < now ? createdAt + resolution * 1000 : null;
      const reopens = solvedAt !== null && random.chance(0.06) ? 1 : 0;
      const assignee = frt === null && random.chance(0.5) ? null : random.pick(agentsByCategory.get(category)!);
      const orderRef = random.chance(0.6) ? `ORD-${random.chance(0.15) && orders > 0 ? 100000 + random.int(orders) : 100000 + orders++}` : null;
      const productRef = random.chance(0.4) ? `SKU-${1000 + Math.floor(200 * random.next() ** 3)}` : null;
      const surveyed = solvedAt !== null && random.chance(0.4);
      const rating =
        surveyed && random.chance(0.6)
          ? random.weighted([
              [5, 62],
              [4, 24],
              [3, 7],
              [2, 3],
              [1, 4],
            ] as const)[0]
          : null;
      const frsStatus = frt === null ? (age / 1000 > profile.target ? 'BREACHED' : 'ACTIVE') : frt <= profile.target ? 'MET' : 'BREACHED';
      const dueAt = new Date(createdAt + profile.target * 1000).toISOString();
      const status = solvedAt !== null ? (now - solvedAt > 4 * 86_400_000 ? 'CLOSED' : 'SOLVED') : frt === null ? 'NEW' : random.pick(['OPEN', 'PENDING']);
      const tags = random.chance(0.15) ? [random.pick(TAGS)] : [];
      const customerId = random.pick(customerIds);
      rows.push({
        tenant_id: tenantId,
        id: uuidv7(),
        number: ++number,
        subject,
        status,
        priority: Math.min(3, CATEGORY_PRIORITY[category] + (random.chance(0.05) ? 1 : 0)),
        category,
        channel,
        customer_id: customerId,
        customer_tier: tierOf.get(customerId),
        assignee_id: assignee?.id ?? null,
        team_id: teamOf(category).id,
        tags,
        custom_fields: {},
        order_ref: orderRef,
        product_ref: productRef,
        message_count: 1 + replies + (replies > 1 ? replies - 1 : 0) + reopens,
        public_agent_reply_count: replies + reopens,
        reopen_count: reopens,
        first_response_at: frt === null ? null : new Date(createdAt + frt * 1000).toISOString(),
        first_response_business_seconds: frt === null ? null : Math.round(businessTimeBetween(new Date(createdAt), new Date(createdAt + frt * 1000), DEFAULT_CALENDAR)),
        last_customer_message_at: new Date(createdAt).toISOString(),
        solved_at: solvedAt === null ? null : new Date(solvedAt).toISOString(),
        closed_at: status === 'CLOSED' ? new Date(solvedAt! + 4 * 86_400_000).toISOString() : null,
        sla: {
          policyId: 'seed',
          pausedAt: null,
          targets: {
            FIRST_RESPONSE: {
              status: frsStatus,
              clock: 'CALENDAR',
              dueAt,
              warnAt: dueAt,
              warned: frsStatus === 'BREACHED',
              breachedAt: frsStatus === 'BREACHED' ? dueAt : null,
              metAt: frt === null ? null : new Date(createdAt + frt * 1000).toISOString(),
            },
          },
        },
        sla_health: frsStatus === 'BREACHED' && frt === null ? 'BREACHED' : 'OK',
        csat_sent: surveyed,
        csat_rating: rating,
        keywords: extractKeywords(subject),
        created_at: new Date(createdAt).toISOString(),
        updated_at: new Date(solvedAt ?? createdAt).toISOString(),
      });
    }
    // No KPI capture here: the caller rebuilds the store's rollups after a bulk load (rebuildKpiRollups).
    await insertRows(allStores, 'tickets', rows);
    const flags = orderFlagsStatement(
      tenantId,
      rows.map((r) => r.id as string),
    );
    await allStores.query(flags.sql, flags.parameters as unknown[]);
    // Fresh statistics as the table grows, so the order flags' look-ups use indexes.
    if (offset % (BATCH * 20) === 0) await allStores.query(`ANALYZE tickets`);
    options.onProgress?.(offset + count);
  }
  await allStores.query(`INSERT INTO ticket_counters (tenant_id, last_number) VALUES ($1, $2) ON CONFLICT (tenant_id) DO UPDATE SET last_number = greatest(ticket_counters.last_number, $2)`, [
    tenantId,
    number,
  ]);
}
