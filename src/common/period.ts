import { badInput } from './errors/domain-error';

/** Longest period a report over stored rows may span. */
export const MAX_PERIOD_DAYS = 400;

/** Refuses a report period that is empty, reversed or longer than MAX_PERIOD_DAYS. */
export function checkReportPeriod(period: { from: Date; to: Date }): void {
  if (!(period.from < period.to)) throw badInput('from must be before to', { from: ['must be before to'] });
  if (period.to.getTime() - period.from.getTime() > MAX_PERIOD_DAYS * 86_400_000) {
    throw badInput(`At most ${MAX_PERIOD_DAYS} days`, { to: [`at most ${MAX_PERIOD_DAYS} days after from`] });
  }
}
