import fc from 'fast-check';
import { toAsciiDigits } from '../common/text/arabic-text';
import { identitiesOf, InvalidIdentityError, normaliseHandle, normalisePhone } from './customer-identity';
import { IdentityKind } from './ticket-enums';

describe('normalisePhone', () => {
  it.each([
    ['+966501234567', '+966501234567'],
    ['+966 50 123 4567', '+966501234567'],
    ['00966501234567', '+966501234567'],
    ['0501234567', '+966501234567'],
    ['966501234567', '+966501234567'], // WhatsApp wa_id: digits, no plus
    ['٠٥٠١٢٣٤٥٦٧', '+966501234567'], // Arabic-Indic digits
    ['(050) 123-4567', '+966501234567'],
    ['201001234567', '+201001234567'], // an Egyptian wa_id read with a Saudi store's default
    ['+971501234567', '+971501234567'],
  ])('%s → %s', (raw, e164) => {
    expect(normalisePhone(raw, 'SA')).toBe(e164);
  });

  it('reads national numbers with the store country', () => {
    expect(normalisePhone('01001234567', 'EG')).toBe('+201001234567');
  });

  it.each(['12', 'abc', '', '+1', '05'])('refuses %j', (raw) => {
    expect(normalisePhone(raw, 'SA')).toBeUndefined();
  });

  it('is idempotent: an E.164 result normalises to itself', () => {
    fc.assert(
      fc.property(fc.integer({ min: 50_000_000, max: 59_999_999 }), (n) => {
        const e164 = normalisePhone(`05${String(n).slice(1)}`, 'SA');
        if (e164) expect(normalisePhone(e164, 'SA')).toBe(e164);
      }),
    );
  });
});

describe('identitiesOf', () => {
  it('normalises and orders identities, merging phone and WhatsApp into one PHONE identity', () => {
    expect(identitiesOf({ email: ' Sara@Example.COM ', whatsapp: '966501234567', phone: '0501234567', instagram: '@Sara.Shop', x: 'SaraX', externalId: 'salla-77' }, 'SA')).toEqual([
      { kind: IdentityKind.EXTERNAL, value: 'salla-77' },
      { kind: IdentityKind.EMAIL, value: 'sara@example.com' },
      { kind: IdentityKind.PHONE, value: '+966501234567' },
      { kind: IdentityKind.INSTAGRAM, value: 'sara.shop' },
      { kind: IdentityKind.X, value: 'sarax' },
    ]);
  });

  it('names the field of an unusable phone number', () => {
    expect(() => identitiesOf({ whatsapp: '123' }, 'SA')).toThrow(InvalidIdentityError);
    try {
      identitiesOf({ phone: 'call me' }, 'SA');
    } catch (error) {
      expect((error as InvalidIdentityError).field).toBe('phone');
    }
  });

  it('returns nothing for an empty reference', () => {
    expect(identitiesOf({}, 'SA')).toEqual([]);
  });
});

describe('small normalisers', () => {
  it('converts Arabic-Indic and Persian digits', () => {
    expect(toAsciiDigits('٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789 0123456789');
  });

  it('strips @ and case from handles', () => {
    expect(normaliseHandle(' @Noura_Store ')).toBe('noura_store');
  });
});
