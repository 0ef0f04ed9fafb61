/**
 * Hijri (Umm al-Qura, the calendar of Saudi Arabia) to Gregorian dates, with the
 * `islamic-umalqura` calendar built into Node's Intl — so holidays such as Eid can be entered as
 * 1 Shawwal 1447 instead of looking the Gregorian date up every year.
 */
const formatter = new Intl.DateTimeFormat('en-u-ca-islamic-umalqura', { timeZone: 'UTC', year: 'numeric', month: 'numeric', day: 'numeric' });

function hijriOf(ms: number): [number, number, number] {
  const parts = Object.fromEntries(formatter.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return [Number.parseInt(parts.year, 10), Number(parts.month), Number(parts.day)];
}

const DAY_MS = 86_400_000;
/** 1 Muharram 1 AH in the proleptic Gregorian calendar (16 July 622). */
const EPOCH_MS = Date.UTC(622, 6, 16);
const MEAN_YEAR_DAYS = 354.36667;
const MEAN_MONTH_DAYS = 29.530589;

export class HijriDateError extends Error {}

/** ISO Gregorian date (YYYY-MM-DD) of a Hijri date; month 1–12 (9 = Ramadan, 10 = Shawwal, 12 = Dhu al-Hijjah). */
export function hijriToGregorian(year: number, month: number, day: number): string {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day) || month < 1 || month > 12 || day < 1 || day > 30) {
    throw new HijriDateError(`Not a Hijri date: ${year}-${month}-${day}`);
  }
  const estimate = EPOCH_MS + Math.round((year - 1) * MEAN_YEAR_DAYS + (month - 1) * MEAN_MONTH_DAYS + (day - 1)) * DAY_MS;
  for (let offset = 0; offset <= 20; offset++) {
    for (const candidate of offset === 0 ? [estimate] : [estimate + offset * DAY_MS, estimate - offset * DAY_MS]) {
      const [y, m, d] = hijriOf(candidate);
      if (y === year && m === month && d === day) return new Date(candidate).toISOString().slice(0, 10);
    }
  }
  throw new HijriDateError(`No such day in the Umm al-Qura calendar: ${year}-${month}-${day}`);
}
