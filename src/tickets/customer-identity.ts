import { parsePhoneNumberFromString, CountryCode } from 'libphonenumber-js/max';
import { toAsciiDigits } from '../common/text/arabic-text';
import { IdentityKind } from './ticket-enums';

export interface IdentityValue {
  kind: IdentityKind;
  value: string;
}

export class InvalidIdentityError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * E.164 for any way a number arrives: "+966 50 123 4567", "0501234567" (national, with the
 * store's country), "966501234567" (WhatsApp's wa_id has no plus), "٠٥٠١٢٣٤٥٦٧".
 */
export function normalisePhone(raw: string, defaultCountry: string): string | undefined {
  const text = toAsciiDigits(raw).trim();
  const digitsOnly = text.replace(/[\s\-().]/g, '');
  const candidates = digitsOnly.startsWith('+') || digitsOnly.startsWith('00') ? [digitsOnly.replace(/^00/, '+')] : [digitsOnly, `+${digitsOnly}`];
  for (const candidate of candidates) {
    const parsed = candidate.startsWith('+') ? parsePhoneNumberFromString(candidate) : parsePhoneNumberFromString(candidate, defaultCountry as CountryCode);
    if (parsed?.isValid()) return parsed.number;
  }
  return undefined;
}

export function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

/** Social handles are case-insensitive on Instagram and X; the leading @ is decoration. */
export function normaliseHandle(raw: string): string {
  return raw.trim().replace(/^@/, '').toLowerCase();
}

export interface IdentityInput {
  email?: string | null;
  phone?: string | null;
  whatsapp?: string | null;
  instagram?: string | null;
  x?: string | null;
  facebook?: string | null;
  externalId?: string | null;
}

/**
 * The normalised identities of a customer reference, most specific first (the order in which an
 * existing customer is looked for). Throws InvalidIdentityError naming the field that cannot be used.
 */
export function identitiesOf(input: IdentityInput, defaultCountry: string): IdentityValue[] {
  const out: IdentityValue[] = [];
  const push = (kind: IdentityKind, value: string) => {
    if (value && !out.some((i) => i.kind === kind && i.value === value)) out.push({ kind, value });
  };
  if (input.externalId) push(IdentityKind.EXTERNAL, input.externalId.trim());
  if (input.email) push(IdentityKind.EMAIL, normaliseEmail(input.email));
  for (const field of ['whatsapp', 'phone'] as const) {
    const raw = input[field];
    if (!raw) continue;
    const e164 = normalisePhone(raw, defaultCountry);
    if (!e164) throw new InvalidIdentityError(field, `${field} "${raw}" is not a valid phone number`);
    push(IdentityKind.PHONE, e164);
  }
  if (input.instagram) push(IdentityKind.INSTAGRAM, normaliseHandle(input.instagram));
  if (input.x) push(IdentityKind.X, normaliseHandle(input.x));
  if (input.facebook) push(IdentityKind.FACEBOOK, input.facebook.trim());
  return out;
}
