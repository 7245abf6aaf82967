/** One JSON object per line on stdout, ready for the log shipper. */
export type Logger = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export const stdoutLogger: Logger = (level, message, fields = {}) => {
  process.stdout.write(`${JSON.stringify({ level, time: new Date().toISOString(), msg: message, ...fields })}\n`);
};
