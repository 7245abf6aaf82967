import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigurationError, describeFileError } from '../errors';

/** Marks a refinement whose message is a whole sentence about the value, not an "allowed" list. */
export const SENTENCE = { sentence: true } as const;

/**
 * A `z.strictObject` whose errors say what is allowed: `allowed` when the value is not an
 * object, and the known field names for an unknown field.
 */
export function strictObject<Shape extends z.ZodRawShape>(shape: Shape, allowed: string) {
  const known = `known fields: ${Object.keys(shape).join(', ')}`;
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? known : allowed),
  });
}

/** Reads and parses a JSON config file, or throws a {@link ConfigurationError} naming the file. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigurationError([`${file}: cannot read the config file (${describeFileError(error)})`]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConfigurationError([`${file}: not valid JSON (${(error as Error).message})`]);
  }
}

/** Validates `data` read from `file`; every problem becomes one line of a {@link ConfigurationError}. */
export function parseConfig<Schema extends z.ZodType>(schema: Schema, data: unknown, file: string): z.output<Schema> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  throw new ConfigurationError(result.error.issues.flatMap((issue) => describeIssue(issue, data, file)));
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown, file: string): string[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `${file}: ${formatPath([...issue.path, key])}: unknown field (${issue.message})`);
  }
  const where = `${file}: ${formatPath(issue.path)}`;
  const found = valueAt(data, issue.path);
  if (issue.code === 'custom' && issue.params?.['sentence'] === true) {
    return [`${where}: ${formatValue(found.value)} ${issue.message}`];
  }
  if (!found.present) return [`${where}: missing (allowed: ${issue.message})`];
  return [`${where}: ${formatValue(found.value)} is not allowed (allowed: ${issue.message})`];
}

/** `["buckets", 0, "objectLock", "mode"]` -> `buckets[0].objectLock.mode`. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`))
    .join('');
}

/** A value as it appears in an error line: JSON, shortened past 80 characters. */
export function formatValue(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): { present: boolean; value: unknown } {
  let current: unknown = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, segment)) {
      return { present: false, value: undefined };
    }
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return { present: true, value: current };
}
