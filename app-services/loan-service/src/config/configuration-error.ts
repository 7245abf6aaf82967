/**
 * Thrown when the service's configuration (environment variables or Vault secret files)
 * is invalid. The message lists every problem, one per line, each naming the setting,
 * the bad value (never for secrets) and what is allowed.
 */
export class ConfigurationError extends Error {
  /** One line per invalid setting, e.g. `PORT: "abc" is not valid (allowed: an integer from 1 to 65535)`. */
  public readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
    this.name = 'ConfigurationError';
    this.problems = problems;
  }
}
