import { PlatformError, formatValue } from './platform-error';

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;
type Unit = keyof typeof UNIT_SECONDS;

/** The text form every duration in the environments uses: a whole number and a unit. */
export const DURATION_PATTERN = /^([1-9][0-9]*)(s|m|h|d)$/;
export const DURATION_ALLOWED = 'a whole number followed by s, m, h or d, e.g. "15m", "1h", "30d"';

/**
 * A span of time, held as whole seconds so comparisons and sums are exact.
 *
 * Built with the static factories (`Duration.minutes(15)`) or parsed from the
 * environments' text form (`Duration.parse('1h')`).
 */
export class Duration {
  public static seconds(amount: number): Duration {
    return new Duration(amount);
  }

  public static minutes(amount: number): Duration {
    return new Duration(amount * UNIT_SECONDS.m);
  }

  public static hours(amount: number): Duration {
    return new Duration(amount * UNIT_SECONDS.h);
  }

  public static days(amount: number): Duration {
    return new Duration(amount * UNIT_SECONDS.d);
  }

  /** Parses `"15m"`, `"1h"`, `"30d"`; throws a {@link PlatformError} naming `where` otherwise. */
  public static parse(text: string, where = 'duration'): Duration {
    const match = DURATION_PATTERN.exec(text);
    if (!match) {
      throw new PlatformError(`${where}: ${formatValue(text)} is not a duration (allowed: ${DURATION_ALLOWED})`);
    }
    return new Duration(Number(match[1]) * UNIT_SECONDS[match[2] as Unit]);
  }

  private constructor(public readonly totalSeconds: number) {
    if (!Number.isSafeInteger(totalSeconds) || totalSeconds <= 0) {
      throw new PlatformError(
        `Duration: ${formatValue(totalSeconds)} seconds is not allowed (allowed: a whole number of seconds above 0)`,
      );
    }
  }

  public plus(other: Duration): Duration {
    return new Duration(this.totalSeconds + other.totalSeconds);
  }

  public isLongerThan(other: Duration): boolean {
    return this.totalSeconds > other.totalSeconds;
  }

  /** The shortest exact text form: `3600` seconds is `"1h"`, `5400` is `"90m"`. */
  public toString(): string {
    for (const unit of ['d', 'h', 'm'] as const) {
      if (this.totalSeconds % UNIT_SECONDS[unit] === 0) return `${this.totalSeconds / UNIT_SECONDS[unit]}${unit}`;
    }
    return `${this.totalSeconds}s`;
  }

  public toJSON(): string {
    return this.toString();
  }
}
