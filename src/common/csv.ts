/**
 * CSV as spreadsheets read it (RFC 4180): fields with commas, quotes or line breaks are quoted.
 * Text that a spreadsheet would run as a formula (= + - @, tab, carriage return) is prefixed with
 * an apostrophe: tags and product names come from customers and integrators.
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvRow(values: ReadonlyArray<string | number | boolean | null | undefined>): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** Lets Excel open UTF-8 (Arabic) CSV correctly. */
export const UTF8_BOM = '\uFEFF';
