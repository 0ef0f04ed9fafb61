import { registerDecorator, ValidationOptions } from 'class-validator';

/** A plain JSON object whose serialised size stays under `maxBytes`. */
export function IsJsonObject(maxBytes: number, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isJsonObject',
      target: target.constructor,
      propertyName,
      options: { message: `$property must be a JSON object of at most ${maxBytes} bytes`, ...options },
      validator: {
        validate(value: unknown) {
          if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
          return Buffer.byteLength(JSON.stringify(value), 'utf8') <= maxBytes;
        },
      },
    });
}

/**
 * A sum of money as stored (numeric with 2 decimal places): finite, from 0 to `max`, in whole
 * hundredths. Refuses what class-validator's maxDecimalPlaces lets through in exponent form
 * (5e-324) and what overflows the column (1e20).
 */
export function IsMoneyAmount(max: number, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isMoneyAmount',
      target: target.constructor,
      propertyName,
      options: { message: `$property must be an amount from 0 to ${max} with at most 2 decimal places`, ...options },
      validator: {
        validate: (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= max && Math.round(value * 100) / 100 === value,
      },
    });
}

/** Text that is not only whitespace (an Arabic subject of spaces is as empty as an English one). */
export function IsNotBlank(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isNotBlank',
      target: target.constructor,
      propertyName,
      options: { message: '$property must not be blank', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && value.trim().length > 0 },
    });
}

export const LIMITS = {
  subject: 500,
  body: 100_000,
  tags: 20,
  tag: 50,
  customFieldsBytes: 16_384,
  ref: 200,
  name: 200,
  idempotencyKey: 200,
} as const;
