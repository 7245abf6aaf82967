import { z } from 'zod';

/**
 * zod schemas for one environment variable each. Every schema takes the raw string (or
 * undefined when unset) and reports a message of the form
 * `"<bad value>" is not valid (allowed: <what is allowed>)`; the caller prefixes the setting name.
 */

/** An optional string setting with a default; an empty string is rejected rather than defaulted. */
export function stringSetting(defaultValue: string, allowedDescription = 'a non-empty string') {
  return z
    .string()
    .optional()
    .transform((raw, context) => {
      if (raw === undefined) return defaultValue;
      if (raw.trim() === '') {
        context.addIssue({ code: 'custom', message: `"${raw}" is not valid (allowed: ${allowedDescription})` });
        return z.NEVER;
      }
      return raw;
    });
}

/** A string setting without default; `undefined` when unset (the caller decides whether it is required). */
export function optionalStringSetting(allowedDescription = 'a non-empty string') {
  return z
    .string()
    .optional()
    .transform((raw, context) => {
      if (raw === undefined) return undefined;
      if (raw.trim() === '') {
        context.addIssue({ code: 'custom', message: `"${raw}" is not valid (allowed: ${allowedDescription})` });
        return z.NEVER;
      }
      return raw;
    });
}

/** An integer setting within [minimum, maximum]. */
export function integerSetting<Default extends number | undefined>(defaultValue: Default, minimum: number, maximum: number) {
  return z
    .string()
    .optional()
    .transform((raw, context): number | Default => {
      if (raw === undefined) return defaultValue;
      const parsed = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isSafeInteger(parsed) || parsed < minimum || parsed > maximum) {
        context.addIssue({
          code: 'custom',
          message: `"${raw}" is not valid (allowed: an integer from ${minimum} to ${maximum})`,
        });
        return z.NEVER;
      }
      return parsed;
    });
}

/** A boolean setting spelled exactly `true` or `false`. */
export function booleanSetting(defaultValue: boolean) {
  return z
    .string()
    .optional()
    .transform((raw, context) => {
      if (raw === undefined) return defaultValue;
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      context.addIssue({ code: 'custom', message: `"${raw}" is not valid (allowed: true, false)` });
      return z.NEVER;
    });
}

/** One of a fixed list of values. */
export function enumSetting<const Values extends readonly [string, ...string[]]>(
  allowed: Values,
  defaultValue: Values[number] | undefined,
) {
  return z
    .string()
    .optional()
    .transform((raw, context): Values[number] | undefined => {
      if (raw === undefined) return defaultValue;
      if ((allowed as readonly string[]).includes(raw)) return raw as Values[number];
      context.addIssue({ code: 'custom', message: `"${raw}" is not allowed (allowed: ${allowed.join(', ')})` });
      return z.NEVER;
    });
}

/** An absolute http(s) URL. */
export function urlSetting() {
  return z
    .string()
    .optional()
    .transform((raw, context) => {
      if (raw === undefined) return undefined;
      let url: URL | undefined;
      try {
        url = new URL(raw);
      } catch {
        url = undefined;
      }
      if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
        context.addIssue({ code: 'custom', message: `"${raw}" is not valid (allowed: an http:// or https:// URL)` });
        return z.NEVER;
      }
      return raw;
    });
}
