import { TestApp, TestTenant, UPDATE_TICKET } from './helpers/test-app';

const CREATE = `mutation($input: CreateTicketInput!) { createTicket(input: $input) { id number category messageCount messages { body channel } } }`;

describe('omnichannel continuity', () => {
  let t: TestApp;
  let store: TestTenant;

  beforeAll(async () => {
    t = await TestApp.start();
    store = await t.createTenant();
  });
  afterAll(() => t.close());

  const message = (body: string, channel: string, customer: Record<string, string>, extra: Record<string, unknown> = {}) =>
    t.gqlOk(store.key, CREATE, { input: { subject: 'رسالة', body, channel, customer, joinOpenTicket: true, ...extra } }).then((d) => d.createTicket);

  it('a message on another channel joins the open ticket of the same category, keeping one history', async () => {
    const first = await message('متى يوصل الشحن؟ رقم الطلب 7781', 'WHATSAPP', { whatsapp: '966511112222', email: 'huda@example.sa' });
    expect(first).toMatchObject({ category: 'SHIPPING', messageCount: 1 });
    const second = await message('أرسلت لكم على الواتساب، وين الشحنة؟', 'EMAIL', { email: 'huda@example.sa' });
    expect(second.id).toBe(first.id);
    expect(second.messages).toEqual([
      { body: 'متى يوصل الشحن؟ رقم الطلب 7781', channel: 'WHATSAPP' },
      { body: 'أرسلت لكم على الواتساب، وين الشحنة؟', channel: 'EMAIL' },
    ]);
  });

  it('another category, a solved ticket, or no flag opens a new ticket', async () => {
    const customer = { phone: '0533334444' };
    const shipping = await message('تأخر توصيل طلبي', 'WHATSAPP', customer);
    const payment = await message('انخصم المبلغ من البطاقة مرتين', 'WHATSAPP', customer);
    expect(payment.id).not.toBe(shipping.id);
    expect(payment.category).toBe('PAYMENT');
    const explicit = await t.gqlOk(store.key, CREATE, { input: { subject: 'x', body: 'تأخر التوصيل مرة ثانية', channel: 'API', customer } });
    expect(explicit.createTicket.id).not.toBe(shipping.id);
    await t.gqlOk(store.key, UPDATE_TICKET, { id: shipping.id, input: { status: 'SOLVED' } });
    await t.gqlOk(store.key, UPDATE_TICKET, { id: explicit.createTicket.id, input: { status: 'SOLVED' } });
    const afterSolve = await message('التوصيل تأخر مرة ثانية', 'WHATSAPP', customer);
    expect([shipping.id, explicit.createTicket.id]).not.toContain(afterSolve.id);
  });

  it('the window is a store setting; 0 turns continuity off', async () => {
    const settings = await t.gqlOk(store.key, `{ routingSettings { continuityWindowHours } }`);
    expect(settings.routingSettings.continuityWindowHours).toBe(72);
    await t.gqlOk(store.key, `mutation { updateRoutingSettings(input: { continuityWindowHours: 0 }) { continuityWindowHours } }`);
    const customer = { email: 'off@example.sa' };
    const a = await message('وين طلبي؟ الشحن متأخر', 'WHATSAPP', customer);
    const b = await message('الشحن متأخر جداً', 'CHAT', customer);
    expect(b.id).not.toBe(a.id);
  });
});
