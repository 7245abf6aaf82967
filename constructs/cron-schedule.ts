import { Duration } from './duration';
import { PlatformError, formatValue } from './platform-error';

/** The fields of a five-field cron schedule, with their ranges (day of week 7 is Sunday, as 0). */
const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day-of-week', min: 0, max: 7 },
] as const;

const ITEM = /^(\*|([0-9]{1,2})(?:-([0-9]{1,2}))?)(?:\/([0-9]{1,2}))?$/;

export const CRON_ALLOWED =
  'five fields "minute hour day-of-month month day-of-week" of numbers, ranges, lists, steps and *, each within its range, e.g. "0 * * * *"';

/** Days the longest-gap search covers: eight years from 2024, two leap years and every weekday of every date. */
const SEARCH_DAYS = 8 * 366;
const SEARCH_START = Date.UTC(2024, 0, 1);

/**
 * A five-field cron schedule as Kubernetes CronJobs read it (minute hour day-of-month month
 * day-of-week), with the longest time between two of its runs (the most a job on this
 * schedule can be behind) and the shortest (the longest a run may take without delaying the next).
 */
export class CronSchedule {
  /**
   * Parses `"*\/15 * * * *"`; throws a {@link PlatformError} naming `where` for anything else.
   * @param where what the schedule is, for the error: `VaultSnapshots x: schedule`
   */
  public static parse(text: string, where: string): CronSchedule {
    const fail = () => new PlatformError(`${where}: ${formatValue(text)} is not a cron schedule (allowed: ${CRON_ALLOWED})`);
    if (typeof text !== 'string') throw fail();
    const parts = text.split(' ');
    if (parts.length !== 5) throw fail();
    const sets = parts.map((part, index) => {
      const values = parseField(part, FIELDS[index].min, FIELDS[index].max);
      if (values === undefined) throw fail();
      return values;
    });
    const times = [...sets[1]].sort((a, b) => a - b).flatMap((hour) => [...sets[0]].sort((a, b) => a - b).map((minute) => hour * 60 + minute));
    const daysOfWeek = new Set([...sets[4]].map((day) => day % 7));
    const domRestricted = !parts[2].startsWith('*');
    const dowRestricted = !parts[4].startsWith('*');
    let longest = 0;
    let shortest = Number.MAX_SAFE_INTEGER;
    let runs = 0;
    let previousDay: number | undefined;
    for (let day = 0; day < SEARCH_DAYS; day++) {
      const date = new Date(SEARCH_START + day * 86_400_000);
      const domMatch = sets[2].has(date.getUTCDate());
      const dowMatch = daysOfWeek.has(date.getUTCDay());
      // Cron's rule: with both day fields restricted, either may match.
      const dayMatches = domRestricted && dowRestricted ? domMatch || dowMatch : domMatch && dowMatch;
      if (!sets[3].has(date.getUTCMonth() + 1) || !dayMatches) continue;
      if (previousDay !== undefined) {
        const gap = (day - previousDay) * 1440 + times[0] - times[times.length - 1];
        longest = Math.max(longest, gap);
        shortest = Math.min(shortest, gap);
      }
      previousDay = day;
      runs += times.length;
    }
    for (let index = 1; index < times.length; index++) {
      longest = Math.max(longest, times[index] - times[index - 1]);
      shortest = Math.min(shortest, times[index] - times[index - 1]);
    }
    if (runs < 2) {
      throw new PlatformError(`${where}: ${formatValue(text)} runs ${runs === 0 ? 'never' : 'once'} in eight years (allowed: a cron schedule that repeats, e.g. "0 * * * *")`);
    }
    return new CronSchedule(text, Duration.minutes(longest), Duration.minutes(shortest));
  }

  /**
   * The schedule that runs every `interval`, starting `offsetMinutes` past the hour (or past
   * midnight UTC for intervals of whole hours): `"*\/15 * * * *"`, `"5-59/15 * * * *"`,
   * `"45 *\/6 * * *"`, `"30 1 * * *"`. Only intervals that divide an hour or a day evenly
   * make a cron schedule with equal gaps.
   * @throws PlatformError naming `where` for any other interval or an offset not inside it
   */
  public static every(interval: Duration, where: string, offsetMinutes = 0): CronSchedule {
    const minutes = interval.totalSeconds / 60;
    const fail = (allowed: string) => new PlatformError(`${where}: ${formatValue(interval.toString())} ${allowed}`);
    if (!Number.isInteger(minutes)) throw fail('is not a whole number of minutes (allowed: an interval that divides an hour or a day evenly, e.g. "15m", "6h", "1d")');
    if (!Number.isInteger(offsetMinutes) || offsetMinutes < 0 || offsetMinutes >= Math.min(minutes, 60)) {
      throw new PlatformError(`${where}: offset ${formatValue(offsetMinutes)} minutes is not allowed (allowed: a whole number of minutes below ${Math.min(minutes, 60)})`);
    }
    if (minutes < 60 && 60 % minutes === 0) {
      return CronSchedule.parse(minutes === 1 ? '* * * * *' : offsetMinutes === 0 ? `*/${minutes} * * * *` : `${offsetMinutes}-59/${minutes} * * * *`, where);
    }
    const hours = minutes / 60;
    if (Number.isInteger(hours) && hours < 24 && 24 % hours === 0) {
      return CronSchedule.parse(`${offsetMinutes} ${hours === 1 ? '*' : `*/${hours}`} * * *`, where);
    }
    if (hours === 24) return CronSchedule.parse(`${offsetMinutes} 0 * * *`, where);
    throw fail('does not divide an hour or a day evenly (allowed: 1m, 2m, 3m, 4m, 5m, 6m, 10m, 12m, 15m, 20m, 30m, 1h, 2h, 3h, 4h, 6h, 8h, 12h or 1d)');
  }

  private constructor(
    /** The schedule as written: what the CronJob carries. */
    public readonly expression: string,
    /** The longest time between two consecutive runs. */
    public readonly longestInterval: Duration,
    /** The shortest time between two consecutive runs. */
    public readonly shortestInterval: Duration,
  ) {}

  public toString(): string {
    return this.expression;
  }
}

/** The values a field allows, or undefined when it is not a valid field. */
function parseField(field: string, min: number, max: number): Set<number> | undefined {
  const values = new Set<number>();
  for (const item of field.split(',')) {
    const match = ITEM.exec(item);
    if (!match) return undefined;
    const step = match[4] === undefined ? 1 : Number(match[4]);
    const from = match[1] === '*' ? min : Number(match[2]);
    const to = match[1] === '*' ? max : match[3] !== undefined ? Number(match[3]) : match[4] !== undefined ? max : from;
    if (step < 1 || from < min || to > max || from > to) return undefined;
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return values;
}
