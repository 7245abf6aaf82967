import { CronSchedule } from '../../constructs/cron-schedule';
import { Duration } from '../../constructs/duration';
import { RECOVERY_SECONDS, RESTORE_SECONDS_PER_FILE, catchUpAtFailover, restoreFromBackups, worstCaseDataLoss } from '../../constructs/recovery-objectives';

describe('recovery objectives from the log-shipping settings', () => {
  test('worst-case data loss: log backup interval + replication lag budget + restore interval', () => {
    expect(worstCaseDataLoss({ logBackupInterval: Duration.minutes(15), replicationLagBudget: Duration.minutes(5), restoreInterval: Duration.minutes(15) }).toString()).toBe('35m');
    expect(worstCaseDataLoss({ logBackupInterval: Duration.hours(1), replicationLagBudget: Duration.minutes(15), restoreInterval: Duration.hours(1) }).totalSeconds).toBe(8100);
  });

  test('a restore from backups alone: full, the largest differential a day can make, the logs since it, file overheads, recovery', () => {
    const estimate = restoreFromBackups({
      databaseMiB: 10_240,
      logMiBPerHour: 100,
      differentialBackupInterval: Duration.hours(6),
      fullBackupInterval: Duration.days(1),
      logBackupInterval: Duration.minutes(30),
      restoreMiBPerSecond: 64,
    });
    // 10240 + 2400 + 600 MiB at 64 MiB/s = 206.9 s; 14 files x 10 s; 300 s recovery.
    expect(estimate).toEqual({ fullMiB: 10_240, differentialMiB: 2400, logMiB: 600, logFiles: 12, minutes: Math.ceil((13_240 / 64 + 14 * RESTORE_SECONDS_PER_FILE + RECOVERY_SECONDS) / 60) });
    expect(estimate.minutes).toBe(11);
  });

  test('a differential never holds more than the database', () => {
    const estimate = restoreFromBackups({ databaseMiB: 1024, logMiBPerHour: 1024, differentialBackupInterval: Duration.hours(12), fullBackupInterval: Duration.days(1), logBackupInterval: Duration.hours(1), restoreMiBPerSecond: 100 });
    expect(estimate.differentialMiB).toBe(1024);
  });

  test('the standby copy catches up one restore interval and the lag budget of logs at a failover', () => {
    expect(catchUpAtFailover({ logMiBPerHour: 4096, logBackupInterval: Duration.minutes(15), restoreMiBPerSecond: 150, restoreInterval: Duration.minutes(15), replicationLagBudget: Duration.minutes(5) })).toEqual({
      fullMiB: 0,
      differentialMiB: 0,
      logMiB: 1366,
      logFiles: 2,
      minutes: 6,
    });
  });
});

describe('CronSchedule.every: a schedule with equal gaps for an interval', () => {
  test('intervals that divide an hour or a day', () => {
    const every = (interval: Duration, offset?: number) => CronSchedule.every(interval, 'test', offset).expression;
    expect(every(Duration.minutes(15))).toBe('*/15 * * * *');
    expect(every(Duration.minutes(15), 5)).toBe('5-59/15 * * * *');
    expect(every(Duration.minutes(1))).toBe('* * * * *');
    expect(every(Duration.hours(1), 7)).toBe('7 * * * *');
    expect(every(Duration.hours(6), 45)).toBe('45 */6 * * *');
    expect(every(Duration.days(1), 30)).toBe('30 0 * * *');
    expect(CronSchedule.every(Duration.minutes(20), 'test', 3).longestInterval.toString()).toBe('20m');
  });

  test('anything else names the interval and what is allowed', () => {
    expect(() => CronSchedule.every(Duration.minutes(45), 'restoreInterval')).toThrow(
      'restoreInterval: "45m" does not divide an hour or a day evenly (allowed: 1m, 2m, 3m, 4m, 5m, 6m, 10m, 12m, 15m, 20m, 30m, 1h, 2h, 3h, 4h, 6h, 8h, 12h or 1d)',
    );
    expect(() => CronSchedule.every(Duration.seconds(90), 'x')).toThrow('x: "90s" is not a whole number of minutes (allowed: an interval that divides an hour or a day evenly, e.g. "15m", "6h", "1d")');
    expect(() => CronSchedule.every(Duration.minutes(15), 'x', 15)).toThrow('x: offset 15 minutes is not allowed (allowed: a whole number of minutes below 15)');
    expect(() => CronSchedule.every(Duration.days(2), 'x')).toThrow('x: "2d" does not divide an hour or a day evenly');
  });
});
