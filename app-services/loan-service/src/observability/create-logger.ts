import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/service-config';

/**
 * JSON lines for Filebeat -> Elasticsearch: `level` as a word, `time` as ISO 8601, `service`
 * on every line, and the Authorization header and cookies redacted should anything log them.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'loan-service' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
