import { TestApp, TestTenant } from './helpers/test-app';

describe('REST ingest, health and OpenAPI', () => {
  let t: TestApp;
  let store: TestTenant;

  beforeAll(async () => {
    t = await TestApp.start();
    store = await t.createTenant();
  });
  afterAll(() => t.close());

  const post = (body: object, headers: Record<string, string> = {}) => {
    const req = t.http.post('/api/v1/tickets').set('authorization', `Bearer ${store.key}`);
    for (const [k, v] of Object.entries(headers)) req.set(k, v);
    return req.send(body);
  };

  it('creates a ticket with the same fields as createTicket and shows it in GraphQL', async () => {
    const res = await post({
      subject: 'طلب استرجاع مبلغ',
      body: 'أرجو استرجاع المبلغ لأن المنتج وصل تالفاً',
      channel: 'WEB_FORM',
      category: 'RETURNS',
      priority: 'HIGH',
      tags: ['استرجاع'],
      orderRef: '88231',
      customer: { email: 'layla@example.sa', name: 'ليلى' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ number: 1001, status: 'NEW', priority: 'HIGH', category: 'RETURNS', channel: 'WEB_FORM' });
    const data = await t.gqlOk(store.key, `query($id: ID!) { ticket(id: $id) { subject orderRef tags customer { name } messages { body } } }`, { id: res.body.id });
    expect(data.ticket).toEqual({
      subject: 'طلب استرجاع مبلغ',
      orderRef: '88231',
      tags: ['استرجاع'],
      customer: { name: 'ليلى' },
      messages: [{ body: 'أرجو استرجاع المبلغ لأن المنتج وصل تالفاً' }],
    });
  });

  it('Idempotency-Key: 201 then 200 with the same ticket; a different body is 409', async () => {
    const body = { subject: 'سؤال', body: 'متى يتوفر المقاس الكبير؟', customer: { phone: '+966 55 123 4567' } };
    const first = await post(body, { 'idempotency-key': 'zid-event-991' });
    const second = await post(body, { 'idempotency-key': 'zid-event-991' });
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(second.body.id).toBe(first.body.id);
    const changed = await post({ ...body, body: 'سؤال آخر' }, { 'idempotency-key': 'zid-event-991' });
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe('CONFLICT');
  });

  it('validates the body and names the fields', async () => {
    const res = await post({ subject: 'x', customer: { email: 'bad' }, extra: true });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['body', 'customer.email', 'extra']);
  });

  it('GET /health reports the database; /health/live answers without one', async () => {
    const ready = await t.http.get('/health');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    expect((await t.http.get('/health/live')).body).toEqual({ status: 'ok' });
  });

  it('documents the REST API with OpenAPI at /api/docs', async () => {
    const doc = await t.http.get('/api/docs/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.paths['/api/v1/tickets'].post).toBeDefined();
    expect(doc.body.components.schemas.CreateTicketInput.required).toEqual(expect.arrayContaining(['subject', 'body', 'customer']));
    const ui = await t.http.get('/api/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
  });
});
