/** One JSON object per line on stdout, ready for the log shipper. Never give it a secret. */
export type Logger = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

/** Prints a result line as it is, e.g. `{"action":"login","name":"loan_service","result":"created"}`. */
export type Reporter = (line: Record<string, unknown>) => void;

export const stdoutLogger: Logger = (level, message, fields = {}) => {
  process.stdout.write(`${JSON.stringify({ level, time: new Date().toISOString(), msg: message, ...fields })}\n`);
};

export const stdoutReporter: Reporter = (line) => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

/** What a command prints and when it is: the process streams, or a test's lists. */
export interface Output {
  readonly log: Logger;
  readonly report: Reporter;
  /** The clock, in milliseconds since the epoch. */
  readonly now: () => number;
}
