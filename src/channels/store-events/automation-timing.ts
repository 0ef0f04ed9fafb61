/**
 * When an automation set off by a store event runs, pure. Events can arrive late (a platform's
 * retries, a store backfilling its history): an ORDER_DELIVERED dated ten days ago would otherwise
 * start the 48-hour follow-up and the 7-day survey in the same second.
 */

/** How late an automation may still run: a follow-up a few hours late is still welcome, one days late is not. */
export const AUTOMATION_GRACE_HOURS = 12;

export type AutomationTiming = { run: true } | { run: false; note: string };

/** Run (at once when already due) unless the due time is past by more than the grace period. */
export function automationTiming(dueAt: Date, now: Date): AutomationTiming {
  const lateMs = now.getTime() - dueAt.getTime();
  if (lateMs <= AUTOMATION_GRACE_HOURS * 3_600_000) return { run: true };
  const hours = Math.floor(lateMs / 3_600_000);
  return { run: false, note: `Skipped: due ${dueAt.toISOString()}, already ${hours} h past when the event arrived (more than the ${AUTOMATION_GRACE_HOURS} h grace)` };
}

/** The survey never goes before the order's follow-up: while that still waits, the survey is moved to this long after it. */
export const SURVEY_AFTER_FOLLOW_UP_MS = 3_600_000;
