import { z } from 'zod';
import { DURATION_ALLOWED, DURATION_PATTERN, Duration } from '../../constructs/duration';

/**
 * Field types and helpers every part of the environment schema shares: strict objects whose
 * messages list what is allowed, DNS labels, durations, and the way cross-field rules run.
 */

/** A DNS label: a node pool name, a storage class name, an environment name. */
export const dnsLabel = z
  .string()
  .regex(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not a DNS label (allowed: lower-case letters, digits and "-", starting with a letter, at most 63 characters)`,
  });

/** `"15m"`, `"1h"`, `"30d"`, parsed into a `Duration`. */
export const duration = z
  .string({ error: (issue) => `${describeValue(issue.input)} is not a duration (allowed: ${DURATION_ALLOWED})` })
  .regex(DURATION_PATTERN, {
    error: (issue) => `${JSON.stringify(issue.input)} is not a duration (allowed: ${DURATION_ALLOWED})`,
  })
  .transform((text) => Duration.parse(text));

export const positiveInt = z.int().positive();

/** `host` is `domain` or one of its subdomains. */
export function inDomain(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

/**
 * A strict object whose unknown-key error lists the keys that are allowed. `retired` names
 * keys that were once accepted, each with the message that says what to write instead; they
 * are not listed as allowed.
 */
export function strict<T extends z.ZodRawShape, R extends Record<string, string> = Record<never, string>>(shape: T, retired?: R) {
  const allowed = Object.keys(shape).join(', ');
  const retiredShape = Object.fromEntries(
    Object.entries(retired ?? {}).map(([key, message]) => [key, z.never({ error: message }).optional()]),
  ) as { [K in keyof R]: z.ZodOptional<z.ZodNever> };
  return z.strictObject(
    { ...shape, ...retiredShape },
    {
      error: (issue) => {
        if (issue.code === 'unrecognized_keys') return `unknown key (allowed: ${allowed})`;
        if (issue.code === 'invalid_type') {
          return issue.input === undefined
            ? `is required (allowed: an object with ${allowed})`
            : `${describeValue(issue.input)} is not an object (allowed: an object with ${allowed})`;
        }
        return undefined;
      },
    },
  );
}

/**
 * Messages for a union told apart by `kind` (or the field named `key`): a missing object, a
 * non-object, an unknown kind.
 */
export function kindError(what: string, kinds: readonly string[], key = 'kind') {
  const allowed = kinds.join(', ');
  return (issue: z.core.$ZodRawIssue): string => {
    if (issue.input === undefined) return `is required (allowed: an object with ${key} ${allowed})`;
    if (typeof issue.input !== 'object' || issue.input === null) {
      return `${describeValue(issue.input)} is not an object (allowed: an object with ${key} ${allowed})`;
    }
    return `${describeValue((issue.input as Record<string, unknown>)[key])} is not a ${what} (allowed: ${allowed})`;
  };
}

/** A value as a message shows it: JSON, or `nothing` for a missing one. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  return JSON.stringify(value) ?? String(value);
}

/**
 * Cross-field rules run even when other fields have problems, so one run reports them all;
 * each rule reads only fields that `parsedFields` says parsed cleanly.
 */
export const RUN_ALWAYS = { when: () => true };

/**
 * Which fields of the object a rule is on parsed without a problem (paths relative to that
 * object): a rule reads only those, so it never reads a value that failed to parse. Unknown
 * keys do not count as a problem of any field. Call it before the rule adds issues.
 */
export function parsedFields(ctx: z.core.$RefinementCtx<unknown>): (...reads: readonly (readonly PropertyKey[])[]) => boolean {
  const problems = ctx.issues.filter((issue) => issue.code !== 'unrecognized_keys').map((issue) => issue.path ?? []);
  return (...reads) => !problems.some((at) => reads.some((read) => startsWith(at, read) || startsWith(read, at)));
}

function startsWith(path: readonly PropertyKey[], prefix: readonly PropertyKey[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => path[index] === segment);
}
