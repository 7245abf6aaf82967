import { PlatformError } from './platform-error';

/**
 * Values written into Logstash pipeline text, each either written so Logstash reads back
 * exactly the value, or refused. Logstash's configuration grammar has no escapes unless
 * `config.support_escapes` is set (it is not here): a double-quoted string ends at the first
 * `"` that no backslash precedes, and a backslash stays in the value as written. So a string
 * with a `"` is written in single quotes and one with a `'` in double quotes; one with both,
 * with a backslash (which would swallow the closing quote) or with a control character
 * (a newline would end a comment or a line) cannot be written and is refused. Logstash also
 * replaces `${NAME}` in every string with an environment variable (the Elasticsearch
 * password is one) and `%{field}` in many settings with a field of the event, so a value
 * holding either is refused too: environment variables are written only through
 * `logstashEnvironmentVariable`.
 *
 * @see https://www.elastic.co/docs/reference/logstash/configuration-file-structure#_value_types
 * @see https://www.elastic.co/docs/reference/logstash/environment-variables
 */

/** A value a condition compares a field with. */
export type LogstashScalar = string | number;

const CONTROL = /[\u0000-\u001f\u007f]/;
const FIELD_SEGMENT = /^[A-Za-z0-9_@.-]+$/;
const ENVIRONMENT_VARIABLE = /^[A-Z_][A-Z0-9_]*$/;
const ALLOWED_STRING = 'text without a backslash, a control character, "${" or "%{", and not both kinds of quote';

/**
 * A quoted Logstash string holding exactly `value`.
 * @throws PlatformError naming `where`, the value and what is allowed, when no quoting holds it
 */
export function logstashString(value: string, where: string): string {
  if (typeof value !== 'string' || value.includes('\\') || CONTROL.test(value) || value.includes('${') || value.includes('%{') || (value.includes('"') && value.includes("'"))) {
    throw PlatformError.invalidProp(where, 'Logstash string', value, ALLOWED_STRING);
  }
  return value.includes('"') ? `'${value}'` : `"${value}"`;
}

/**
 * A string or a number as a value of a condition or setting.
 * @throws PlatformError for a string `logstashString` refuses, or a number that is not a finite integer
 */
export function logstashValue(value: LogstashScalar, where: string): string {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw PlatformError.invalidProp(where, 'Logstash number', value, 'a whole number');
    return String(value);
  }
  return logstashString(value, where);
}

/**
 * A field reference, `[kubernetes][container][name]`.
 * @throws PlatformError for an empty path or a segment with anything but letters, digits, `_`, `@`, `.` and `-`
 */
export function logstashFieldReference(path: readonly string[], where: string): string {
  if (!Array.isArray(path) || path.length === 0) {
    throw PlatformError.invalidProp(where, 'field', path, 'a path of one or more field names, e.g. ["kubernetes", "namespace"]');
  }
  for (const segment of path) {
    if (typeof segment !== 'string' || !FIELD_SEGMENT.test(segment)) {
      throw PlatformError.invalidProp(where, 'field name', segment, 'letters, digits, "_", "@", "." and "-" (no brackets, quotes or spaces)');
    }
  }
  return path.map((segment) => `[${segment}]`).join('');
}

/**
 * A regular expression literal, `/.../`: every `/` of the pattern is escaped as `\/`, the one
 * escape a Logstash regular expression literal has.
 * @throws PlatformError for a pattern with a control character, a backslash before a `/`
 *   already, or a trailing backslash (each would end the literal somewhere else)
 */
export function logstashRegex(pattern: string, where: string): string {
  if (typeof pattern !== 'string' || pattern === '' || CONTROL.test(pattern) || pattern.includes('\\/') || pattern.endsWith('\\')) {
    throw PlatformError.invalidProp(where, 'Logstash regular expression', pattern, 'a non-empty pattern without control characters, "\\/" or a trailing backslash');
  }
  return `/${pattern.replace(/\//g, '\\/')}/`;
}

/**
 * A string Logstash fills from an environment variable at start-up: `"${LMS_ES_HOSTS}"`.
 * @throws PlatformError for a name that is not upper-case letters, digits and `_`
 */
export function logstashEnvironmentVariable(name: string, where: string): string {
  if (typeof name !== 'string' || !ENVIRONMENT_VARIABLE.test(name)) {
    throw PlatformError.invalidProp(where, 'environment variable', name, 'upper-case letters, digits and "_", not starting with a digit');
  }
  return `"\${${name}}"`;
}
