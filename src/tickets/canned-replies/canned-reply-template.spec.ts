import fc from 'fast-check';
import { checkTemplate, firstName, placeholdersOf, renderTemplate } from './canned-reply-template';

describe('canned reply templates', () => {
  const template = 'أهلاً {{customer.firstName}}، بخصوص طلبك {{order.id}} (تذكرة #{{ticket.number}}) سنرد قبل {{sla.expectedReplyAt}}. {{agent.name}}';

  it('accepts the known placeholders and lists them in order', () => {
    expect(checkTemplate(template)).toEqual([]);
    expect(placeholdersOf(template)).toEqual(['customer.firstName', 'order.id', 'ticket.number', 'sla.expectedReplyAt', 'agent.name']);
  });

  it('names an unknown placeholder', () => {
    const problems = checkTemplate('مرحبا {{customer.phone}} و {{order.id}}');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('{{customer.phone}}');
  });

  it('refuses sections, inverted sections, partials and broken tags', () => {
    expect(checkTemplate('{{#customer}}x{{/customer}}')[0]).toContain('not allowed');
    expect(checkTemplate('{{^order.id}}لا طلب{{/order.id}}')[0]).toContain('not allowed');
    expect(checkTemplate('{{> header}}')[0]).toContain('not allowed');
    expect(checkTemplate('{{customer.name')[0]).toContain('does not parse');
  });

  it('renders plain text: nothing escaped, Arabic and emoji intact, missing values reported', () => {
    const { text, missing } = renderTemplate(template, {
      'customer.firstName': 'نورة',
      'ticket.number': '1042',
      'agent.name': 'سارة <فريق الشحن> & co',
      'sla.expectedReplyAt': 'الأحد ٣٠ نوفمبر ٢٠٢٦ ١٠:٠٠ ص',
    });
    expect(text).toBe('أهلاً نورة، بخصوص طلبك  (تذكرة #1042) سنرد قبل الأحد ٣٠ نوفمبر ٢٠٢٦ ١٠:٠٠ ص. سارة <فريق الشحن> & co');
    expect(missing).toEqual(['order.id']);
  });

  it('never evaluates what a value contains', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        expect(renderTemplate('[{{customer.name}}]', { 'customer.name': value }).text).toBe(`[${value}]`);
      }),
    );
  });

  it('takes the first word of a name', () => {
    expect(firstName('  نورة العتيبي ')).toBe('نورة');
    expect(firstName(null)).toBeNull();
    expect(firstName('  ')).toBeNull();
  });
});
