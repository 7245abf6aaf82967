import type { RepaymentFrequency } from './repayment-frequency';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Due date of instalment `instalmentNumber` (1-based) for a loan starting on `startDate`
 * (`YYYY-MM-DD`, UTC calendar date). Weekly and fortnightly add 7 or 14 days per instalment;
 * monthly adds calendar months and clamps to the month's last day (31 Jan -> 28/29 Feb -> 31 Mar),
 * always counting from the start date so a short month does not shift later instalments.
 */
export function dueDate(startDate: string, frequency: RepaymentFrequency, instalmentNumber: number): string {
  const match = ISO_DATE.exec(startDate);
  if (match === null) throw new RangeError(`startDate "${startDate}" is not a YYYY-MM-DD date`);
  const year = Number(match[1]);
  const monthIndex = Number(match[2]) - 1;
  const day = Number(match[3]);
  if (frequency === 'monthly') {
    const targetMonth = monthIndex + instalmentNumber;
    const lastDayOfTargetMonth = new Date(Date.UTC(year, targetMonth + 1, 0)).getUTCDate();
    return formatDate(new Date(Date.UTC(year, targetMonth, Math.min(day, lastDayOfTargetMonth))));
  }
  const daysPerInstalment = frequency === 'weekly' ? 7 : 14;
  return formatDate(new Date(Date.UTC(year, monthIndex, day + daysPerInstalment * instalmentNumber)));
}

/** Whether `value` is a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (match === null) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return formatDate(date) === value;
}

function formatDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
