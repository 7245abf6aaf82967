import { BusinessRuleError } from './domain-errors';

/**
 * How many days before today a loan may start: enough to capture a paper application signed over
 * a weekend or a short outage, not enough to backdate interest for weeks.
 */
export const START_DATE_DAYS_BEFORE_TODAY = 7;

/** The earliest and latest start dates allowed on `now`'s UTC day, `YYYY-MM-DD`. */
export function allowedStartDates(now: Date): { readonly earliest: string; readonly latest: string } {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const day = now.getUTCDate();
  return {
    earliest: isoDay(new Date(Date.UTC(year, month, day - START_DATE_DAYS_BEFORE_TODAY))),
    // One year after today; 29 February moves to 1 March.
    latest: isoDay(new Date(Date.UTC(year + 1, month, day))),
  };
}

/**
 * @throws BusinessRuleError (422) unless `startDate` (`YYYY-MM-DD`) is from 7 days before today
 * to one year after today (UTC).
 */
export function assertStartDateAllowed(startDate: string, now: Date): void {
  const { earliest, latest } = allowedStartDates(now);
  // ISO dates compare correctly as text.
  if (startDate >= earliest && startDate <= latest) return;
  throw new BusinessRuleError(
    `startDate ${startDate} is outside the allowed range (allowed: ${earliest} to ${latest}, ` +
      `that is from ${START_DATE_DAYS_BEFORE_TODAY} days before today to one year after today, UTC)`,
  );
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
