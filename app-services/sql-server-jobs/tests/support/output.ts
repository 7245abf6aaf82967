import type { Output } from '../../src/log';

/** An Output that keeps what a command logs and reports, on a clock the test moves. */
export interface RecordedOutput extends Output {
  readonly logs: Array<{ level: string; message: string; fields: Record<string, unknown> }>;
  readonly reports: Array<Record<string, unknown>>;
  clock: number;
}

export function recordedOutput(start = Date.parse('2026-01-05T08:00:00.000Z')): RecordedOutput {
  const output: RecordedOutput = {
    logs: [],
    reports: [],
    clock: start,
    log: (level, message, fields = {}) => output.logs.push({ level, message, fields }),
    report: (line) => output.reports.push(line),
    now: () => output.clock,
  };
  return output;
}
