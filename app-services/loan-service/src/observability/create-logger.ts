import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/service-config';

/** Query parameters whose values the request log keeps: none of them identifies a person. */
const LOGGED_QUERY_PARAMETERS = new Set(['status', 'branch', 'productId', 'limit', 'cursor']);

/**
 * A request URL as the request log keeps it: every query value that could identify a person
 * (an NRC searched for by `applicant`, say, or any parameter not known to be harmless) is
 * replaced by `[redacted]`, so personal data never reaches the log store through a URL.
 */
export function loggableUrl(url: string): string {
  const mark = url.indexOf('?');
  if (mark < 0) return url;
  const query = url
    .slice(mark + 1)
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals < 0 ? pair : pair.slice(0, equals);
      return LOGGED_QUERY_PARAMETERS.has(name) ? pair : `${name}=[redacted]`;
    });
  return `${url.slice(0, mark)}?${query.join('&')}`;
}

interface LoggedRequest {
  readonly method: string;
  readonly url: string;
  readonly host?: string;
  readonly ip?: string;
  readonly socket?: { readonly remotePort?: number };
}

/** fastify's request serializer with the URL's query values redacted (see loggableUrl). */
function serializeRequest(request: LoggedRequest): Record<string, unknown> {
  return { method: request.method, url: loggableUrl(request.url), host: request.host, remoteAddress: request.ip, remotePort: request.socket?.remotePort };
}

/**
 * JSON lines for Filebeat -> Elasticsearch: `level` as a word, `time` as ISO 8601, `service`
 * on every line, the Authorization header and cookies redacted should anything log them, and
 * personal data kept out of logged request URLs.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'loan-service' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
    serializers: { req: serializeRequest },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
