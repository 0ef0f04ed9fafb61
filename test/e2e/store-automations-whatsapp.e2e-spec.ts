import { StoreEventsService } from '../../src/channels/store-events/store-events.service';
import { FakeGraphApi } from '../fakes/meta-graph-api';
import { eventuallyPasses, TestApp, TestTenant } from './helpers/test-app';

const TOKEN = 'EAAG-automation-token-1';
const RECORD = `mutation($input: StoreEventInput!) { recordStoreEvent(input: $input) { customer { id } automations { id kind } } }`;
const MESSAGES = `query($c: ID!) { tickets(filter: { customerId: $c }) { edges { node { tags channel messages { body authorType deliveryStatus deliveryError } } } } }`;

/** Days after a delivery the customer's WhatsApp window is closed: automations go out as approved templates. */
describe('store automations on WhatsApp', () => {
  let t: TestApp;
  let fake: FakeGraphApi;
  let store: TestTenant;

  beforeAll(async () => {
    fake = await FakeGraphApi.start();
    fake.tokens.add(TOKEN);
    t = await TestApp.start({ WHATSAPP_API_BASE_URL: fake.baseUrl, CHANNEL_RETRY_DELAY_SECONDS: '1' });
    store = await t.createTenant();
    await t.gqlOk(store.key, `mutation($input: ConnectWhatsAppInput!) { connectWhatsApp(input: $input) { id } }`, {
      input: { phoneNumberId: '106540352242999', displayPhoneNumber: '+966 11 234 9999', accessToken: TOKEN, appSecret: 'automation-app-secret', verifyToken: 'verify-automation' },
    });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it("sends the follow-up as the store's approved template, while an automation without one is refused by the closed window", async () => {
    const settings = await t.gqlOk(store.key, `mutation($input: UpdateStoreSettingsInput!) { updateStoreSettings(input: $input) { whatsappTemplates { kind name language parameters } } }`, {
      input: { whatsappTemplates: [{ kind: 'DELIVERY_FOLLOW_UP', name: 'order_followup', language: 'ar', parameters: ['customer.name', 'order.id'] }] },
    });
    expect(settings.updateStoreSettings.whatsappTemplates).toEqual([{ kind: 'DELIVERY_FOLLOW_UP', name: 'order_followup', language: 'ar', parameters: ['customer.name', 'order.id'] }]);
    const bad = await t.gql(
      store.key,
      `mutation { updateStoreSettings(input: { whatsappTemplates: [{ kind: DELAY_NOTICE, name: "delay", language: "ar", parameters: ["survey.link"] }] }) { delayNotices } }`,
    );
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { whatsappTemplates: [expect.stringContaining('unknown parameter survey.link')] } });

    const delivered = (await t.gqlOk(store.key, RECORD, { input: { type: 'ORDER_DELIVERED', orderId: '7001', customer: { phone: '0551112222', name: 'خالد' }, totalAmount: 120 } })).recordStoreEvent;
    const automations = Object.fromEntries(delivered.automations.map((a: { id: string; kind: string }) => [a.kind, a.id]));
    const service = t.app.get(StoreEventsService);
    // Due in 48 hours and 7 days: run them now, as their jobs would.
    await service.runAutomation({ tenantId: store.id, automationId: automations.DELIVERY_FOLLOW_UP });
    await eventuallyPasses(() => expect(fake.sent((r) => r.body?.type === 'template')).toHaveLength(1));
    expect(fake.sent((r) => r.body?.type === 'template')[0].body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '966551112222',
      type: 'template',
      template: {
        name: 'order_followup',
        language: { code: 'ar' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'خالد' },
              { type: 'text', text: '7001' },
            ],
          },
        ],
      },
    });

    await service.runAutomation({ tenantId: store.id, automationId: automations.DELIVERY_CSAT });
    await eventuallyPasses(async () => {
      const tickets = (await t.gqlOk(store.key, MESSAGES, { c: delivered.customer.id })).tickets.edges.map((e: { node: any }) => e.node);
      const followUp = tickets.find((n: { tags: string[] }) => n.tags.includes('delivery-follow-up'));
      const survey = tickets.find((n: { tags: string[] }) => n.tags.includes('csat-after-delivery'));
      expect(followUp).toMatchObject({ channel: 'WHATSAPP', messages: [{ authorType: 'SYSTEM', deliveryStatus: 'SENT' }] });
      expect(followUp.messages[0].body).toContain('خالد');
      expect(survey.messages[0]).toMatchObject({ deliveryStatus: 'FAILED', deliveryError: expect.stringContaining('24 hours') });
    });
    expect(fake.sent()).toHaveLength(1);
  });

  it('moves a customer who last called to WhatsApp, where the follow-up can reach them', async () => {
    await t.gqlOk(store.key, `mutation($input: CreateTicketInput!) { createTicket(input: $input) { id } }`, {
      input: { subject: 'مكالمة', body: 'اتصل يسأل عن موعد التوصيل', channel: 'PHONE', customer: { phone: '0551113333', name: 'فيصل' } },
    });
    const delivered = (await t.gqlOk(store.key, RECORD, { input: { type: 'ORDER_DELIVERED', orderId: '7002', customer: { phone: '0551113333' }, totalAmount: 80 } })).recordStoreEvent;
    const followUp = delivered.automations.find((a: { kind: string }) => a.kind === 'DELIVERY_FOLLOW_UP');
    await t.app.get(StoreEventsService).runAutomation({ tenantId: store.id, automationId: followUp.id });
    await eventuallyPasses(() => expect(fake.sent((r) => r.body?.to === '966551113333')).toHaveLength(1));
    expect(fake.sent((r) => r.body?.to === '966551113333')[0].body.template.components[0].parameters[0].text).toBe('فيصل');
  });
});
