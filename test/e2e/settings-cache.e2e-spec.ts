import { redisAvailable, TestRedisServer } from './helpers/redis-server';
import { CREATE_TICKET, TestApp, TestTenant } from './helpers/test-app';

/**
 * Store settings are cached on every instance and dropped on every instance when a change
 * commits. Two app instances on one database: an admin's change on A is used by B's next ticket
 * within a second — over PostgreSQL LISTEN/NOTIFY, and over Redis when REDIS_URL is set.
 */
const transports: Array<[string, boolean]> = [['PostgreSQL NOTIFY', false], ...(redisAvailable ? [['Redis', true] as [string, boolean]] : [])];

describe.each(transports)('Store settings cache across instances (%s)', (_transport, useRedis) => {
  let a: TestApp;
  let b: TestApp;
  let redis: TestRedisServer | undefined;
  let store: TestTenant;
  let n = 0;

  beforeAll(async () => {
    redis = useRedis ? await TestRedisServer.start() : undefined;
    // A long TTL for everything else cached per credential, so only the change notice can explain a fresh read.
    const env = { API_KEY_CACHE_SECONDS: '300', ...(redis ? { REDIS_URL: redis.url } : {}) };
    a = await TestApp.start(env);
    b = await TestApp.start(env, undefined, a.databaseUrl);
    store = await a.createTenant();
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await redis?.stop();
  });

  const categoryOnB = async (body: string) => {
    n++;
    const input = { subject: `سؤال ${n}`, body, channel: 'API', customer: { email: `c${n}-${useRedis}@example.sa` } };
    return (await b.gqlOk(store.key, CREATE_TICKET, { input })).createTicket.category as string;
  };

  /** Polls B's next tickets for up to a second: the change must arrive within it. */
  const eventuallyOnB = async (body: string, expected: string) => {
    const deadline = Date.now() + 1000;
    let category = await categoryOnB(body);
    while (category !== expected && Date.now() < deadline) category = await categoryOnB(body);
    return category;
  };

  it("uses a routing rule added on A for B's next ticket within a second, and stops using it once A deletes it", async () => {
    const phrase = `كود الخصم ${useRedis ? 'ر' : 'ب'}`;
    expect(await categoryOnB(`${phrase} لا يعمل`)).not.toBe('PAYMENT'); // B has cached the store's rules
    const { createRoutingRule: rule } = await a.gqlOk(store.key, `mutation($input: RoutingRuleInput!) { createRoutingRule(input: $input) { id } }`, {
      input: { name: 'كوبونات', category: 'PAYMENT', phrases: [phrase], position: 1 },
    });
    expect(await eventuallyOnB(`${phrase} لا يعمل`, 'PAYMENT')).toBe('PAYMENT');

    await a.gqlOk(store.key, `mutation($id: ID!) { deleteRoutingRule(id: $id) }`, { id: rule.id });
    const deadline = Date.now() + 1000;
    let category = await categoryOnB(`${phrase} لا يعمل`);
    while (category === 'PAYMENT' && Date.now() < deadline) category = await categoryOnB(`${phrase} لا يعمل`);
    expect(category).not.toBe('PAYMENT');
  });

  it("uses an SLA calendar changed on A for B's next ticket's deadline", async () => {
    const dueOnB = async () => {
      n++;
      const input = { subject: 'موعد', body: 'متى يصل الطلب؟', channel: 'EMAIL', customer: { email: `d${n}-${useRedis}@example.sa` } };
      return (await b.gqlOk(store.key, `mutation($input: CreateTicketInput!) { createTicket(input: $input) { firstResponseDueAt } }`, { input })).createTicket.firstResponseDueAt as string;
    };
    await dueOnB(); // cached on B
    const weekly = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'].map((day) => ({ day, hours: [{ start: '00:00', end: '24:00' }] }));
    await a.gqlOk(store.key, `mutation($w: [WeekdayHoursInput!]) { updateBusinessCalendar(input: { weekly: $w }) { timeZone } }`, { w: weekly });
    // Open around the clock: the first reply is due one hour after creation, whatever the time now.
    const deadline = Date.now() + 1000;
    let hours = Infinity;
    while (Date.now() < deadline) {
      const due = new Date(await dueOnB()).getTime();
      hours = (due - Date.now()) / 3_600_000;
      if (hours < 1.01) break;
    }
    expect(hours).toBeGreaterThan(0.9);
    expect(hours).toBeLessThan(1.01);
  });
});
