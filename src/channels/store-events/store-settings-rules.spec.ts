import { CustomerTier } from '../../tickets/ticket-enums';
import { checkAutomationMessage, checkAutomationTemplates, checkTierRules } from './store-settings-rules';

describe('checkAutomationMessage', () => {
  it('accepts the placeholders of its message, spaced or not', () => {
    expect(checkAutomationMessage('delayMessage', 'مرحباً {{ customer.name }}، طلبك {{order.id}} يصل {{order.expectedDeliveryAt}}')).toBeNull();
    expect(checkAutomationMessage('followUpMessage', 'شكراً لك')).toBeNull();
  });

  it('names placeholders another message owns or nobody does', () => {
    expect(checkAutomationMessage('followUpMessage', 'قيّمنا {{survey.link}} {{survey.link}} {{ticket.number}}')).toBe(
      'unknown placeholders {{survey.link}}, {{ticket.number}}; allowed: {{customer.name}}, {{order.id}}',
    );
  });

  it('requires the survey link in the survey message', () => {
    expect(checkAutomationMessage('csatMessage', 'قيّمنا من فضلك')).toBe('must contain {{survey.link}}');
    expect(checkAutomationMessage('csatMessage', 'قيّمنا: {{survey.link}}')).toBeNull();
  });
});

describe('checkTierRules', () => {
  it('accepts an empty set (every customer STANDARD) and thresholds by value, orders or both', () => {
    expect(checkTierRules([])).toBeNull();
    expect(
      checkTierRules([
        { tier: CustomerTier.GOLD, minOrders: 20 },
        { tier: CustomerTier.VIP, minLifetimeValue: 40000, minOrders: null },
      ]),
    ).toBeNull();
  });

  it('refuses a rule for STANDARD, a tier twice, or a rule without a threshold', () => {
    expect(checkTierRules([{ tier: CustomerTier.STANDARD, minOrders: 1 }])).toMatch(/STANDARD/);
    expect(
      checkTierRules([
        { tier: CustomerTier.GOLD, minOrders: 1 },
        { tier: CustomerTier.GOLD, minOrders: 2 },
      ]),
    ).toBe('one rule per tier: GOLD appears twice');
    expect(checkTierRules([{ tier: CustomerTier.VIP, minLifetimeValue: null, minOrders: null }])).toBe('the VIP rule needs minLifetimeValue or minOrders');
  });
});

describe('checkAutomationTemplates', () => {
  const followUp = { kind: 'DELIVERY_FOLLOW_UP' as const, name: 'order_followup', language: 'ar', parameters: ['customer.name', 'order.id'] };

  it('accepts one template per automation with its message placeholders as parameters', () => {
    expect(checkAutomationTemplates([followUp, { kind: 'DELIVERY_CSAT', name: 'csat_link', language: 'en_US', parameters: ['survey.link'] }])).toBeNull();
  });

  it('refuses a second template for an automation, a name or language Meta would not have, or a foreign placeholder', () => {
    expect(checkAutomationTemplates([followUp, followUp])).toBe('one template per automation: DELIVERY_FOLLOW_UP appears twice');
    expect(checkAutomationTemplates([{ ...followUp, name: 'Order Followup' }])).toMatch(/lower-case/);
    expect(checkAutomationTemplates([{ ...followUp, language: 'arabic' }])).toMatch(/language/);
    expect(checkAutomationTemplates([{ ...followUp, parameters: ['survey.link'] }])).toBe('DELIVERY_FOLLOW_UP: unknown parameter survey.link; allowed: customer.name, order.id');
  });
});
