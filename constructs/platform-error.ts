/**
 * The one error class the platform's constructs and loaders throw for bad input.
 *
 * Its message always names what is wrong, where, the bad value and what is allowed,
 * so that the entry point can print it as-is and exit non-zero.
 */
export class PlatformError extends Error {
  public override readonly name = 'PlatformError';

  constructor(message: string) {
    super(message);
  }

  /**
   * An invalid construct prop: `SiteCluster production-lusaka-base/site: prop "podSecurity" ...`.
   */
  public static invalidProp(where: string, prop: string, value: unknown, allowed: string): PlatformError {
    return new PlatformError(`${where}: ${prop}: ${formatValue(value)} is not allowed (allowed: ${allowed})`);
  }
}

/** Renders a user-supplied value for an error message: strings quoted, objects as JSON. */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  try {
    const json = JSON.stringify(value);
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
  } catch {
    return String(value);
  }
}
