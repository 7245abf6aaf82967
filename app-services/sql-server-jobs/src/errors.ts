/**
 * A problem with what the program was given (arguments, config file, environment, credentials
 * or password files): nothing was done. Each line names what, where, the bad value and what is
 * allowed, and the program exits with code 2.
 */
export class ConfigurationError extends Error {
  readonly lines: readonly string[];

  constructor(lines: readonly string[]) {
    super(lines.join('\n'));
    this.name = 'ConfigurationError';
    this.lines = lines;
  }
}

/**
 * The work could not be done (SQL Server or the object store refused, the database is in the
 * wrong state, a backup name is taken): one sentence that says what and what to do. Exit code 1.
 */
export class JobFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobFailure';
  }
}

/** The exit code of a run stopped by a {@link ConfigurationError}. */
export const CONFIGURATION_EXIT_CODE = 2;
/** The exit code of a run whose work failed. */
export const FAILURE_EXIT_CODE = 1;

/** `ENOENT: no such file or directory, open '/x'` -> `ENOENT: no such file or directory`. */
export function describeFileError(error: unknown): string {
  const message = typeof (error as { message?: unknown })?.message === 'string' ? (error as { message: string }).message : String(error);
  return message.replace(/, \w+ '.*'$/s, '');
}
