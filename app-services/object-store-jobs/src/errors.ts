/**
 * A problem with what the program was given (arguments, config file, environment, credentials
 * file): nothing was done. Each line names what, where, the bad value and what is allowed, and
 * the program exits with code 2.
 */
export class ConfigurationError extends Error {
  readonly lines: readonly string[];

  constructor(lines: readonly string[]) {
    super(lines.join('\n'));
    this.name = 'ConfigurationError';
    this.lines = lines;
  }
}

/** The exit code of a run stopped by a {@link ConfigurationError}. */
export const CONFIGURATION_EXIT_CODE = 2;

/** `ENOENT: no such file or directory, open '/x'` -> `ENOENT: no such file or directory`. */
export function describeFileError(error: unknown): string {
  const message = typeof (error as { message?: unknown })?.message === 'string' ? (error as { message: string }).message : String(error);
  return message.replace(/, \w+ '.*'$/s, '');
}
