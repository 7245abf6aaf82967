import { CronSchedule } from './cron-schedule';
import { PlatformError, formatValue } from './platform-error';

/**
 * Five-field cron (what the environments and Kubernetes CronJobs use) turned into the
 * Quartz-style cron Elasticsearch's schedulers read (snapshot lifecycle policies, Watcher):
 * a seconds field first, and `?` in whichever of day-of-month and day-of-week is unrestricted.
 * @see https://www.elastic.co/guide/en/elasticsearch/reference/current/cron-expressions.html
 */

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day-of-week', min: 0, max: 7 },
] as const;
const ITEM = /^(\*|([0-9]{1,2})(?:-([0-9]{1,2}))?)(?:\/([0-9]{1,2}))?$/;
/** Quartz numbers days of the week 1-7 from Sunday, cron 0-7 from Sunday: names mean the same in both. */
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

/**
 * `"15 * * * *"` -> `"0 15 * * * ?"`, `"0 3 * * 1-5"` -> `"0 0 3 ? * MON,TUE,WED,THU,FRI"`.
 * A restricted field becomes the explicit list of its values (steps and ranges written out),
 * so nothing depends on how Quartz reads steps; `*` stays `*`. The result runs at exactly the
 * same minutes, second 0.
 * @param where what the schedule is, for errors: `environments/production.ts: logging.snapshots.schedule`
 * @throws PlatformError for a schedule `CronSchedule.parse` refuses, and for one restricting both
 *   day-of-month and day-of-week (cron runs on either day; Quartz cannot say that)
 */
export function quartzCron(schedule: string, where: string): string {
  CronSchedule.parse(schedule, where);
  const parts = schedule.split(' ');
  if (parts[2] !== '*' && parts[4] !== '*') {
    throw new PlatformError(
      `${where}: ${formatValue(schedule)} restricts both day-of-month and day-of-week (allowed: a schedule with "*" in at least one of them; Elasticsearch's cron cannot run on either of two kinds of day)`,
    );
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = parts.map((part, index) => (part === '*' ? '*' : [...fieldValues(part, FIELDS[index].min, FIELDS[index].max)]));
  const list = (values: '*' | number[]) => (values === '*' ? '*' : values.join(','));
  const days =
    dayOfWeek === '*'
      ? { dayOfMonth: list(dayOfMonth), dayOfWeek: '?' }
      : { dayOfMonth: '?', dayOfWeek: [...new Set(dayOfWeek.map((day) => day % 7))].sort((a, b) => a - b).map((day) => DAY_NAMES[day]).join(',') };
  return ['0', list(minute), list(hour), days.dayOfMonth, list(month), days.dayOfWeek].join(' ');
}

/** The sorted values of a field `CronSchedule.parse` accepted. */
function fieldValues(field: string, min: number, max: number): number[] {
  const values = new Set<number>();
  for (const item of field.split(',')) {
    const match = ITEM.exec(item)!;
    const step = match[4] === undefined ? 1 : Number(match[4]);
    const from = match[1] === '*' ? min : Number(match[2]);
    const to = match[1] === '*' ? max : match[3] !== undefined ? Number(match[3]) : match[4] !== undefined ? max : from;
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}
