import { PlatformError } from '../../constructs/platform-error';
import { quartzCron } from '../../constructs/quartz-cron';

const WHERE = 'environments/production.ts: logging.snapshots.schedule';

function errorOf(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(PlatformError);
    return (error as Error).message;
  }
  throw new Error('expected a PlatformError');
}

describe('quartzCron', () => {
  test.each([
    ['15 * * * *', '0 15 * * * ?'],
    ['30 2 * * *', '0 30 2 * * ?'],
    ['30 * * * *', '0 30 * * * ?'],
    ['*/15 * * * *', '0 0,15,30,45 * * * ?'],
    ['5-59/20 */6 * * *', '0 5,25,45 0,6,12,18 * * ?'],
    ['0 3 * * 1-5', '0 0 3 ? * MON,TUE,WED,THU,FRI'],
    ['0 4 * * 0,7', '0 0 4 ? * SUN'],
    ['0 4 * * 6-7', '0 0 4 ? * SUN,SAT'],
    ['0 0 1,15 * *', '0 0 0 1,15 * ?'],
    ['45 23 * 1-3 *', '0 45 23 * 1,2,3 ?'],
  ])('%s -> %s', (cron, quartz) => {
    expect(quartzCron(cron, WHERE)).toBe(quartz);
  });

  test('refuses a schedule restricting both day-of-month and day-of-week, which cron runs on either day', () => {
    expect(errorOf(() => quartzCron('0 3 1 * 1', WHERE))).toBe(
      `${WHERE}: "0 3 1 * 1" restricts both day-of-month and day-of-week (allowed: a schedule with "*" in at least one of them; Elasticsearch's cron cannot run on either of two kinds of day)`,
    );
  });

  test('refuses what is no five-field cron, with the cron schedule message', () => {
    expect(errorOf(() => quartzCron('0 15 * * * ?', WHERE))).toBe(
      `${WHERE}: "0 15 * * * ?" is not a cron schedule (allowed: five fields "minute hour day-of-month month day-of-week" of numbers, ranges, lists, steps and *, each within its range, e.g. "0 * * * *")`,
    );
  });
});
