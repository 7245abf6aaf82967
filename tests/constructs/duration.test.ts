import { Duration } from '../../constructs/duration';
import { PlatformError } from '../../constructs/platform-error';

describe('Duration', () => {
  test.each([
    ['45s', 45, '45s'],
    ['15m', 900, '15m'],
    ['90m', 5400, '90m'],
    ['1h', 3600, '1h'],
    ['24h', 86400, '1d'],
    ['30d', 2592000, '30d'],
  ])('parses %s as %i seconds and prints it as %s', (text, seconds, shortest) => {
    const duration = Duration.parse(text);
    expect(duration.totalSeconds).toBe(seconds);
    expect(duration.toString()).toBe(shortest);
    expect(JSON.stringify({ duration })).toBe(`{"duration":"${shortest}"}`);
  });

  test('factories, sums and comparisons are exact', () => {
    expect(Duration.minutes(15).plus(Duration.minutes(45)).totalSeconds).toBe(Duration.hours(1).totalSeconds);
    expect(Duration.hours(4).isLongerThan(Duration.hours(1))).toBe(true);
    expect(Duration.hours(1).isLongerThan(Duration.minutes(60))).toBe(false);
    expect(Duration.days(1).totalSeconds).toBe(Duration.hours(24).totalSeconds);
    expect(Duration.seconds(90).toString()).toBe('90s');
  });

  test.each(['1 hour', '0h', '1.5h', '-1h', '1w', ''])('rejects %j, naming where and what is allowed', (text) => {
    expect(() => Duration.parse(text, 'objectives.recoveryPoint')).toThrow(
      new PlatformError(
        `objectives.recoveryPoint: ${JSON.stringify(text)} is not a duration (allowed: a whole number followed by s, m, h or d, e.g. "15m", "1h", "30d")`,
      ),
    );
  });

  test('rejects a non-positive span from a factory', () => {
    expect(() => Duration.minutes(0)).toThrow('Duration: 0 seconds is not allowed (allowed: a whole number of seconds above 0)');
  });
});
