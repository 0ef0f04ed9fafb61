import { CREATE_TICKET, TestApp, TestTenant } from './helpers/test-app';

describe('KPI CSV export and Prometheus metrics', () => {
  let t: TestApp;
  let store: TestTenant;
  let reporting: string;
  const from = new Date(Date.now() - 86_400_000).toISOString();
  const to = new Date(Date.now() + 60_000).toISOString();

  beforeAll(async () => {
    t = await TestApp.start({ METRICS_TOKEN: 'metrics-token-0123456789' });
    store = await t.createTenant();
    reporting = await t.createKey(store.id, 'reporting');
    for (const [i, channel] of ['WHATSAPP', 'WHATSAPP', 'EMAIL'].entries()) {
      await t.gqlOk(store.key, CREATE_TICKET, { input: { subject: 'الطلب تأخر', body: 'وين طلبي', channel, tags: i === 0 ? ['=cmd()'] : [], customer: { email: `c${i}@x.sa` } } });
    }
  });
  afterAll(() => t.close());

  it('streams the kpis query as CSV with a header row, UTF-8 with BOM, one row per group', async () => {
    const res = await t.http.get('/api/v1/kpis.csv').query({ from, to, groupBy: 'CHANNEL' }).set('authorization', `Bearer ${reporting}`).buffer(true);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="kpis-channel-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = res.text;
    expect(text.startsWith('\uFEFFkey,created,solved,')).toBe(true);
    const lines = text.slice(1).trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2))).toEqual([
      ['EMAIL', '1'],
      ['WHATSAPP', '2'],
    ]);
  });

  it('filters like kpis (lists as a,b) and defuses spreadsheet formulas in keys', async () => {
    const res = await t.http.get('/api/v1/kpis.csv').query({ from, to, groupBy: 'TAG', channel: 'WHATSAPP,EMAIL' }).set('authorization', `Bearer ${reporting}`).buffer(true);
    expect(res.status).toBe(200);
    expect(res.text.trim().split('\r\n')[1]).toMatch(/^'=cmd\(\),1,/);
  });

  it('refuses bad parameters with 400 and a missing key with 401', async () => {
    const bad = await t.http.get('/api/v1/kpis.csv').query({ from, to, channel: 'PIGEON' }).set('authorization', `Bearer ${reporting}`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('channel');
    const reversed = await t.http.get('/api/v1/kpis.csv').query({ from: to, to: from }).set('authorization', `Bearer ${reporting}`);
    expect(reversed.status).toBe(400);
    const anonymous = await t.http.get('/api/v1/kpis.csv').query({ from, to });
    expect(anonymous.status).toBe(401);
    const agentKey = await t.createKey(store.id, 'agent');
    const forbidden = await t.http.get('/api/v1/kpis.csv').query({ from, to }).set('authorization', `Bearer ${agentKey}`);
    expect(forbidden.status).toBe(403);
  });

  it('without from and to, reports the last 30 days in the store zone, today included (the README examples as written)', async () => {
    for (const path of ['/api/v1/kpis.csv', '/api/v1/friction.csv?dimension=CHANNEL', '/api/v1/scorecards.csv?by=AGENT']) {
      const res = await t.http.get(path).set('authorization', `Bearer ${reporting}`).buffer(true);
      expect(res.status).toBe(200);
      const [, first, last] = /(\d{4}-\d{2}-\d{2})-(\d{4}-\d{2}-\d{2})\.csv"$/.exec(res.headers['content-disposition'])!;
      expect((Date.parse(last) - Date.parse(first)) / 86_400_000).toBe(30);
    }
    const kpis = await t.http.get('/api/v1/kpis.csv').set('authorization', `Bearer ${reporting}`).buffer(true);
    expect(kpis.text.slice(1).trim().split('\r\n')[1]).toMatch(/^,3,/); // the three tickets of today
    const fromOnly = await t.http.get('/api/v1/kpis.csv').query({ from }).set('authorization', `Bearer ${reporting}`).buffer(true);
    expect(fromOnly.status).toBe(200);
  });

  it('exports friction points and scorecards as CSV too', async () => {
    const friction = await t.http.get('/api/v1/friction.csv').query({ from, to, dimension: 'CHANNEL', rankBy: 'TICKETS' }).set('authorization', `Bearer ${reporting}`).buffer(true);
    expect(friction.status).toBe(200);
    expect(friction.headers['content-disposition']).toMatch(/^attachment; filename="friction-channel-/);
    expect(friction.text.slice(1).trim().split('\r\n')).toEqual(['key,tickets,previous_tickets,growth', 'WHATSAPP,2,0,', 'EMAIL,1,0,']);
    const badDimension = await t.http.get('/api/v1/friction.csv').query({ from, to, dimension: 'COLOUR' }).set('authorization', `Bearer ${reporting}`);
    expect(badDimension.status).toBe(400);

    const agent = (await t.gqlOk(store.key, `mutation { createAgent(input: { name: "سلمى", email: "salma@x.sa" }) { id } }`)).createAgent;
    const ticket = (await t.gqlOk(store.key, CREATE_TICKET, { input: { subject: 'مقاس', body: 'المقاس صغير', channel: 'CHAT', customer: { email: 'size@x.sa' } } })).createTicket;
    await t.gqlOk(store.key, `mutation($id: ID!, $a: ID!) { updateTicket(id: $id, input: { assigneeId: $a }) { id } }`, { id: ticket.id, a: agent.id });
    const cards = await t.http.get('/api/v1/scorecards.csv').query({ from, to, by: 'AGENT' }).set('authorization', `Bearer ${reporting}`).buffer(true);
    expect(cards.status).toBe(200);
    const [header, row] = cards.text.slice(1).trim().split('\r\n');
    expect(header.startsWith('id,name,open_tickets,open_breached,created,solved,')).toBe(true);
    expect(row.startsWith(`${agent.id},سلمى,1,0,1,0,`)).toBe(true);
    const agentKey = await t.createKey(store.id, 'agent');
    expect((await t.http.get('/api/v1/scorecards.csv').query({ from, to, by: 'AGENT' }).set('authorization', `Bearer ${agentKey}`)).status).toBe(403);
  });

  it('exposes counters, queue sizes and request latency in the Prometheus text format', async () => {
    expect((await t.http.get('/metrics')).status).toBe(401);
    const res = await t.http.get('/metrics').set('authorization', 'Bearer metrics-token-0123456789');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toMatch(/^rida_tickets_created_total\{channel="WHATSAPP"\} 2$/m);
    expect(res.text).toMatch(/^rida_tickets_created_total\{channel="EMAIL"\} 1$/m);
    expect(res.text).toMatch(/^rida_sla_breaches_total 0$/m);
    expect(res.text).toMatch(/^rida_tickets_waiting \d+$/m);
    expect(res.text).toMatch(/^rida_kpi_deltas_pending \d+$/m);
    expect(res.text).toMatch(/^rida_http_request_duration_seconds_count\{method="POST",route="\/graphql",status="200"\} \d+$/m);
    expect(res.text).toContain('rida_process_cpu_user_seconds_total');
  });
});
